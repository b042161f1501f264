#include "tools/facts_command.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/note_scanner.h"
#include "engine/timeline/observation_mapper.h"
#include "engine/timeline/timeline.h"
#include "google/protobuf/struct.pb.h"
#include "io/finding_writer.h"
#include "io/json_record.h"
#include "io/line_reader.h"
#include "io/record_validation.h"
#include "nlp/measure/derived_values.h"
#include "nlp/measure/measurement_extractor.h"
#include "proto/facts.pb.h"
#include "proto/note.pb.h"
#include "rules/rule_library.h"
#include "tools/command_line.h"
#include "tools/exit_codes.h"

namespace cdiscan::tools {
namespace {

const std::vector<FlagSpec>& Specs() {
  static const std::vector<FlagSpec>* const kSpecs = new std::vector<FlagSpec>{
      {"notes", true, "notes JSONL (cdiscan.Note), plain/.gz/.zst, '-' for stdin; repeatable"},
      {"observations", true, "FHIR R4 Observation NDJSON or cdiscan.Observation JSONL; repeatable"},
      {"timeline", false, "print per-encounter values and derived values after the notes"},
      {"dropped", false, "print rejected measurement candidates with the reason"},
      {"rules", true, "directory of rule packs whose term mentions to show (default: bundled)"},
      {"help", false, "show this help"},
  };
  return *kSpecs;
}

using google::protobuf::Struct;
using google::protobuf::Value;

void Set(Struct* s, const std::string& key, const std::string& v) {
  (*s->mutable_fields())[key].set_string_value(v);
}
void Set(Struct* s, const std::string& key, double v) {
  (*s->mutable_fields())[key].set_number_value(v);
}

bool PrintJson(const google::protobuf::Message& message, std::ostream& out, std::ostream& err) {
  absl::StatusOr<std::string> json = io::ToJsonLine(message);
  if (!json.ok()) {
    err << "facts: cannot print JSON: " << json.status().ToString() << "\n";
    return false;
  }
  out << *json << "\n";
  return true;
}

Struct ValueJson(const timeline::TimedValue& v) {
  Struct s;
  Set(&s, "value", v.value);
  Set(&s, "unit", v.unit);
  if (v.time_known) {
    Set(&s, "time", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", v.time, absl::UTCTimeZone()));
  }
  if (v.time_approximate) (*s.mutable_fields())["time_approximate"].set_bool_value(true);
  if (v.source == timeline::TimedValue::Source::kNote) {
    Set(&s, "source", absl::StrCat("note:", v.note_id));
    Set(&s, "evidence", v.span.text());
  } else {
    Set(&s, "source", absl::StrCat("observation:", v.observation_id));
    Set(&s, "evidence", v.as_written);
  }
  return s;
}

Struct DerivedJson(const timeline::Derived& d) {
  Struct s;
  Set(&s, "value", d.value);
  Set(&s, "evidence", d.Describe());
  if (d.approximate_time) (*s.mutable_fields())["approximate_time"].set_bool_value(true);
  return s;
}

void AddDerived(Struct* derived, const std::string& name,
                const std::optional<timeline::Derived>& d) {
  if (!d.has_value()) return;
  *(*derived->mutable_fields())[name].mutable_struct_value() = DerivedJson(*d);
}

Struct EncounterJson(const std::string& encounter_id, const timeline::Timeline& t) {
  Struct root;
  Set(&root, "encounter_id", encounter_id);
  Struct values;
  for (const std::string& key : t.Keys()) {
    google::protobuf::ListValue* list = (*values.mutable_fields())[key].mutable_list_value();
    for (const timeline::TimedValue& v : t.Values(key)) {
      *list->add_values()->mutable_struct_value() = ValueJson(v);
    }
  }
  *(*root.mutable_fields())["values"].mutable_struct_value() = std::move(values);
  Struct derived;
  for (const std::string& key : t.Keys()) {
    AddDerived(&derived, key + "_min", t.Min(key));
    AddDerived(&derived, key + "_max", t.Max(key));
  }
  AddDerived(&derived, "creatinine_ratio_to_baseline", t.MaxRatioToBaseline("creatinine"));
  AddDerived(&derived, "creatinine_rise_48h", t.MaxRiseWithin("creatinine"));
  AddDerived(&derived, "hemoglobin_drop_from_first", t.DropFromFirst("hemoglobin"));
  AddDerived(&derived, "platelets_fall_48h", t.MaxFallWithin("platelets"));
  AddDerived(&derived, "pf_ratio_min", t.MinPfRatio());
  AddDerived(&derived, "bmi", t.Bmi());
  AddDerived(&derived, "map_min", t.MinMap());
  *(*root.mutable_fields())["derived"].mutable_struct_value() = std::move(derived);
  // Every value of the derived keys, as the rules see them (a rule fires on any one of them).
  Struct derived_values;
  for (const nlp::DerivedKey& key : nlp::DerivedKeys()) {
    std::vector<timeline::Derived> values = t.DerivedValues(key.key);
    if (values.empty()) continue;
    google::protobuf::ListValue* list =
        (*derived_values.mutable_fields())[std::string(key.key)].mutable_list_value();
    for (const timeline::Derived& d : values) {
      *list->add_values()->mutable_struct_value() = DerivedJson(d);
    }
  }
  if (!derived_values.fields().empty()) {
    *(*root.mutable_fields())["derived_values"].mutable_struct_value() =
        std::move(derived_values);
  }
  return root;
}

Struct DroppedJson(const std::string& note_id,
                   const std::vector<nlp::DroppedMeasurement>& dropped) {
  Struct root;
  Set(&root, "note_id", note_id);
  google::protobuf::ListValue* list = (*root.mutable_fields())["dropped"].mutable_list_value();
  for (const nlp::DroppedMeasurement& d : dropped) {
    Struct s;
    Set(&s, "key", d.key);
    Set(&s, "text", d.as_written);
    Set(&s, "begin", d.span.begin);
    Set(&s, "end", d.span.end);
    Set(&s, "reason", d.reason);
    *list->add_values()->mutable_struct_value() = std::move(s);
  }
  return root;
}

struct Run {
  std::ostream& out;
  std::ostream& err;
  const rules::RuleLibrary& library;
  bool timeline = false;
  bool dropped = false;
  int rejected = 0;
  uint64_t sequence = 0;
  std::map<std::string, timeline::Timeline> timelines;  // by encounter, printed in order
  // Every measurement and treatment key, not only those the rules use; built once for all the
  // --notes files (it compiles the rule terms with the treatment lexicon).
  const engine::NoteScanner scanner{library, engine::NoteScanner::Keep::kEverything};
  engine::NoteScanner::Scratch scratch;  // reused across notes

  void Reject(const io::LineReader& reader, const std::string& why) {
    err << reader.path() << ":" << reader.line_number() << ": " << why << "\n";
    ++rejected;
  }

  absl::Status ReadNotes(const std::string& path) {
    absl::StatusOr<std::unique_ptr<io::LineReader>> reader = io::LineReader::Open(path);
    if (!reader.ok()) return reader.status();
    io::JsonRecordParser parser;  // the same reading and checks as `cdiscan scan`
    std::vector<nlp::DroppedMeasurement> dropped_values;
    std::string line;
    while ((*reader)->Next(&line)) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      Note note;
      absl::Status status = parser.Parse(line, &note);
      if (status.ok()) status = io::ValidateNote(note, io::RecordLimits());
      if (!status.ok()) {
        Reject(**reader, absl::StrCat("note rejected: ", status.message()));
        continue;
      }
      NoteFacts facts;
      dropped_values.clear();
      scanner.Scan(note, sequence++, &scratch, &facts, &dropped_values);
      // Rule term mentions show their list's name, what a rule author needs to see why a rule
      // did or did not count a phrase; its number means something only inside one run.
      for (MentionFact& mention : *facts.mutable_mention()) {
        mention.set_term_list(library.matcher().term_list_name(mention.term_list_id()));
        mention.clear_term_list_id();
      }
      if (!PrintJson(facts, out, err)) return absl::InternalError("JSON output failed");
      if (dropped && !dropped_values.empty()) {
        PrintJson(DroppedJson(note.note_id(), dropped_values), out, err);
      }
      if (timeline) timelines[note.encounter_id()].AddNoteFacts(facts);
    }
    return (*reader)->status();
  }

  absl::Status ReadObservations(const std::string& path) {
    absl::StatusOr<std::unique_ptr<io::LineReader>> reader = io::LineReader::Open(path);
    if (!reader.ok()) return reader.status();
    std::string line;
    while ((*reader)->Next(&line)) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      absl::StatusOr<std::vector<Observation>> observations = timeline::ParseObservationLine(line);
      if (!observations.ok()) {
        Reject(**reader, std::string(observations.status().message()));
        continue;
      }
      for (const Observation& o : *observations) {
        if (o.encounter_id().empty()) {
          Reject(**reader, "observation without encounter");
          continue;
        }
        const absl::Status added = timelines[o.encounter_id()].AddObservation(o);
        // Codes outside the vocabulary (MCV, cholesterol...) are not indicators: skipped
        // silently. A known code with a bad unit or an implausible value is reported.
        if (!added.ok() && !absl::IsNotFound(added)) {
          Reject(**reader, std::string(added.message()));
        }
      }
    }
    return (*reader)->status();
  }
};

}  // namespace

int RunFactsCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<CommandLine> flags = CommandLine::Parse(args, Specs());
  if (!flags.ok()) {
    err << "facts: " << flags.status().message() << "\n" << FlagHelp(Specs());
    return kExitUsage;
  }
  if (flags->Has("help")) {
    out << "usage: cdiscan facts --notes=PATH [--observations=PATH] [--timeline] [--dropped]\n"
           "                     [--rules=DIR]\n"
        << FlagHelp(Specs());
    return kExitOk;
  }
  if (!flags->Has("notes")) {
    err << "facts: --notes is required\n" << FlagHelp(Specs());
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<const rules::RuleLibrary>> library =
      flags->Has("rules") ? rules::RuleLibrary::LoadDirectory(flags->Get("rules"))
                          : rules::RuleLibrary::LoadBundled();
  if (!library.ok()) {
    err << "facts: " << library.status().message() << "\n";
    return kExitFatal;
  }
  Run run{out, err, **library};
  run.dropped = flags->Has("dropped");
  run.timeline = flags->Has("timeline") || flags->Has("observations");
  for (const std::string& path : flags->GetAll("notes")) {
    if (absl::Status s = run.ReadNotes(path); !s.ok()) {
      err << "facts: " << path << ": " << s.message() << "\n";
      return kExitFatal;
    }
  }
  for (const std::string& path : flags->GetAll("observations")) {
    if (absl::Status s = run.ReadObservations(path); !s.ok()) {
      err << "facts: " << path << ": " << s.message() << "\n";
      return kExitFatal;
    }
  }
  if (run.timeline) {
    for (const auto& [encounter_id, t] : run.timelines) {
      if (!PrintJson(EncounterJson(encounter_id, t), out, err)) return kExitFatal;
    }
  }
  out.flush();
  return run.rejected > 0 ? kExitPartial : kExitOk;
}

}  // namespace cdiscan::tools
