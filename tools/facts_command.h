// `cdiscan facts`: what the NLP layer found in each note — measurements (value, canonical
// unit, time, flag, qualifier, evidence span) and treatments (with negation/temporality) — as
// one NoteFacts JSON line per note, for rule authors debugging a rule and for users asking why
// a rule fired.
//
//   cdiscan facts --notes=notes.jsonl[.gz] [--observations=labs.ndjson[.gz]] [--timeline]
//                 [--dropped]
//
// Input notes are JSONL in protobuf's JSON mapping of cdiscan.Note (unknown fields ignored).
// Output, all JSONL on `out`:
//   - per note: a cdiscan.NoteFacts (proto field names);
//   - with --dropped, after each note with rejected candidates:
//       {"note_id": ..., "dropped": [{"key", "text", "begin", "end", "reason"}]};
//   - with --timeline or --observations, after all notes, per encounter:
//       {"encounter_id": ..., "values": {key: [{value, unit, time, source, evidence}]},
//        "derived": {"creatinine_ratio_to_baseline": {"value", "evidence"}, ...}}.
// Observations are FHIR R4 Observation NDJSON or cdiscan.Observation JSONL.
// Bad lines are reported on `err` with file and line number and the run goes on (exit 3).
#ifndef CDISCAN_TOOLS_FACTS_COMMAND_H_
#define CDISCAN_TOOLS_FACTS_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace cdiscan::tools {

// `args` are the words after "facts". Returns an exit code from tools/exit_codes.h.
int RunFactsCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace cdiscan::tools

#endif  // CDISCAN_TOOLS_FACTS_COMMAND_H_
