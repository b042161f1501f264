#include "tools/scan_command.h"

#include <algorithm>
#include <memory>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "engine/reject_log.h"
#include "engine/scan_pipeline.h"
#include "io/finding_writer.h"
#include "rules/rule_evaluator.h"
#include "rules/rule_library.h"
#include "rules/severity_table.h"
#include "tools/command_line.h"
#include "tools/exit_codes.h"

namespace cdiscan::tools {
namespace {

const std::vector<FlagSpec>& ScanFlags() {
  static const auto* const kFlags = new std::vector<FlagSpec>{
      {"notes", true, "note extract: JSONL/CSV of cdiscan.Note or FHIR NDJSON, plain/.gz/.zst, a directory, '-' = stdin (repeatable)"},
      {"extract", true, "mixed extract (FHIR Bulk NDJSON, JSONL, CSV; file or directory); kind recognised per file (repeatable)"},
      {"csv-columns", true, "CSV column names: field=Column,... (e.g. note_id=DOC_ID,text=NOTE_TEXT)"},
      {"encounters", true, "JSONL of cdiscan.Encounter (repeatable)"},
      {"observations", true, "JSONL of cdiscan.Observation: structured labs/vitals (repeatable)"},
      {"rules", true, "directory of *.textproto rule packs (default: the bundled packs)"},
      {"site_config", true, "SiteConfig textproto overriding rule parameters (proto/rule.proto)"},
      {"out", true, "where findings go (default: stdout)"},
      {"format", true, "jsonl (default) | binpb (length-delimited Finding) | textproto"},
      {"threads", true, "scanning threads (default: all cores); output is identical for any value"},
      {"rejects", true, "write every rejected input line here, verbatim"},
      {"max_note_bytes", true, "reject notes with more text than this (default 8388608)"},
      {"spill_dir", true,
       "where facts beyond 64 MB wait for their encounter (default $TMPDIR, else /tmp; "
       "\"none\": in memory)"},
      {"quiet", false, "no run summary on stderr"},
      {"help", false, "this help"},
  };
  return *kFlags;
}

void PrintUsage(std::ostream& os) {
  os << "usage: cdiscan scan --notes=PATH [--notes=PATH...] [--extract=PATH...] [--encounters=PATH]\n"
        "                    [--observations=PATH] [--rules=DIR] [--site_config=PATH]\n"
        "                    [--out=PATH]\n"
        "                    [--format=jsonl|binpb|textproto] [--threads=N] [--rejects=PATH]\n\n"
        "Scans clinical notes for documentation gaps and writes one finding per query\n"
        "opportunity. Exit status: 0 clean, 3 some input records rejected (see stderr),\n"
        "2 usage error, 1 fatal error.\n\nflags:\n"
     << FlagHelp(ScanFlags());
}

int Usage(std::ostream& err, absl::string_view message) {
  err << "cdiscan scan: " << message << "\n";
  PrintUsage(err);
  return kExitUsage;
}

int Fatal(std::ostream& err, const absl::Status& status) {
  err << "cdiscan scan: " << status.message() << "\n";
  return kExitFatal;
}

void PrintSummary(const RunSummary& s, std::ostream& err) {
  const double mb = static_cast<double>(s.note_bytes()) / (1 << 20);
  err << absl::StrFormat(
      "cdiscan scan: notes read %d, scanned %d, rejected %d; encounters %d; findings %d",
      s.notes_read(), s.notes_scanned(), s.notes_rejected(), s.encounters(), s.findings());
  if (s.encounter_records_read() > 0) {
    err << absl::StrFormat("; encounter records %d (rejected %d)", s.encounter_records_read(),
                           s.encounter_records_rejected());
  }
  if (s.observations_read() > 0) {
    err << absl::StrFormat("; observations %d (rejected %d)", s.observations_read(),
                           s.observations_rejected());
  }
  if (s.patients_read() > 0) err << absl::StrFormat("; patients %d", s.patients_read());
  if (s.records_ignored() > 0) {
    err << absl::StrFormat("; unused FHIR resources %d", s.records_ignored());
  }
  if (s.other_records_rejected() > 0) {
    err << absl::StrFormat("; other records rejected %d", s.other_records_rejected());
  }
  if (s.facts_spilled_bytes() > 0) {
    err << absl::StrFormat("; facts spilled to disk %.1f MB",
                           static_cast<double>(s.facts_spilled_bytes()) / (1 << 20));
  }
  err << absl::StrFormat("; %.2f s (%.0f notes/s, %.1f MB/s)\n", s.seconds(),
                         s.seconds() > 0 ? s.notes_read() / s.seconds() : 0.0,
                         s.seconds() > 0 ? mb / s.seconds() : 0.0);
}

}  // namespace

int RunScanCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<CommandLine> flags = CommandLine::Parse(args, ScanFlags());
  if (!flags.ok()) return Usage(err, flags.status().message());
  if (flags->Has("help")) {
    PrintUsage(out);
    return kExitOk;
  }
  if (!flags->positional().empty()) {
    return Usage(err, absl::StrCat("unexpected argument \"", flags->positional()[0], "\""));
  }
  if (!flags->Has("notes") && !flags->Has("extract")) {
    return Usage(err, "--notes or --extract is required");
  }
  engine::ScanOptions options;
  options.threads = std::max(1u, std::thread::hardware_concurrency());
  if (flags->Has("threads") &&
      (!absl::SimpleAtoi(flags->Get("threads"), &options.threads) || options.threads < 1 ||
       options.threads > 256)) {
    return Usage(err, "--threads must be a number from 1 to 256");
  }
  if (flags->Has("max_note_bytes") &&
      (!absl::SimpleAtoi(flags->Get("max_note_bytes"), &options.limits.max_note_bytes) ||
       options.limits.max_note_bytes == 0)) {
    return Usage(err, "--max_note_bytes must be a positive number");
  }
  if (flags->Has("spill_dir")) options.spill_dir = flags->Get("spill_dir");
  if (flags->Has("csv-columns")) {
    absl::StatusOr<io::CsvColumnMap> columns = io::ParseCsvColumns(flags->Get("csv-columns"));
    if (!columns.ok()) return Usage(err, columns.status().message());
    options.csv_columns = *std::move(columns);
  }
  absl::StatusOr<io::OutputFormat> format = io::ParseOutputFormat(flags->Get("format", "jsonl"));
  if (!format.ok()) return Usage(err, format.status().message());

  const absl::Time start = absl::Now();
  SiteConfig site;
  if (flags->Has("site_config")) {
    absl::StatusOr<SiteConfig> read = rules::ReadSiteConfig(flags->Get("site_config"));
    if (!read.ok()) return Fatal(err, read.status());
    site = *std::move(read);
  }
  absl::StatusOr<std::unique_ptr<const rules::RuleLibrary>> library =
      flags->Has("rules") ? rules::RuleLibrary::LoadDirectory(flags->Get("rules"), site)
                          : rules::RuleLibrary::LoadBundled(site);
  if (!library.ok()) return Fatal(err, library.status());
  absl::StatusOr<std::unique_ptr<engine::RejectLog>> rejects =
      engine::RejectLog::Open(&err, flags->Get("rejects"));
  if (!rejects.ok()) return Fatal(err, rejects.status());
  absl::StatusOr<std::unique_ptr<io::FindingWriter>> writer =
      io::FindingWriter::Open(flags->Get("out", "-"), *format, &out);
  if (!writer.ok()) return Fatal(err, writer.status());

  engine::NoteScanner scanner(**library);
  rules::RuleEvaluator evaluator(**library, rules::SeverityTable::Bundled());
  engine::ScanPipeline pipeline(scanner, evaluator, options, rejects->get());
  pipeline.set_release_after_evaluate(true);  // findings are written as they come
  for (const std::string& path : flags->GetAll("encounters")) {
    if (absl::Status s = pipeline.ReadEncounters(path); !s.ok()) return Fatal(err, s);
  }
  for (const std::string& path : flags->GetAll("observations")) {
    if (absl::Status s = pipeline.ReadObservations(path); !s.ok()) return Fatal(err, s);
  }
  for (const std::string& path : flags->GetAll("notes")) {
    if (absl::Status s = pipeline.ScanNotes(path); !s.ok()) return Fatal(err, s);
  }
  for (const std::string& path : flags->GetAll("extract")) {
    if (absl::Status s = pipeline.ReadExtract(path); !s.ok()) return Fatal(err, s);
  }
  io::FindingWriter& output = **writer;
  absl::Status status = pipeline.EvaluateRendered(
      [&output](const Finding& finding) { return output.Render(finding); },
      [&output](const std::string& bytes) { return output.WriteRendered(bytes); });
  if (status.ok()) status = (*writer)->Close();
  if (status.ok()) status = (*rejects)->Finish();
  if (!status.ok()) return Fatal(err, status);

  RunSummary summary = pipeline.summary();
  summary.set_seconds(absl::ToDoubleSeconds(absl::Now() - start));
  if (!flags->Has("quiet")) PrintSummary(summary, err);
  const bool any_rejected = summary.notes_rejected() + summary.encounter_records_rejected() +
                                summary.observations_rejected() +
                                summary.other_records_rejected() > 0;
  return any_rejected ? kExitPartial : kExitOk;
}

}  // namespace cdiscan::tools
