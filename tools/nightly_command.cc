#include "tools/nightly_command.h"

#include <sys/stat.h>

#include <cerrno>

#include <algorithm>
#include <memory>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "engine/nightly.h"
#include "engine/reject_log.h"
#include "io/record_source.h"
#include "io/state_store.h"
#include "io/worklist.h"
#include "rules/rule_library.h"
#include "rules/severity_table.h"
#include "tools/command_line.h"
#include "tools/exit_codes.h"

namespace cdiscan::tools {
namespace {

const std::vector<FlagSpec>& NightlyFlags() {
  static const auto* const kFlags = new std::vector<FlagSpec>{
      {"extract", true, "tonight's extract: FHIR Bulk NDJSON, JSONL or CSV; file, directory or '-' (repeatable)"},
      {"state", true, "the SQLite state file (created on first use)"},
      {"out", true, "directory for concurrent/retrospective .csv/.html and run-report.json"},
      {"as-of", true, "the night's time, RFC 3339 (default: now); the night is its UTC date"},
      {"lookback", true, "retrospective window before --as-of: 14d (default), 72h, ..."},
      {"rules", true, "directory of *.textproto rule packs (default: the bundled packs)"},
      {"threads", true, "scanning threads (default: all cores)"},
      {"csv-columns", true, "CSV column names: field=Column,..."},
      {"rejects", true, "write every rejected input record here, verbatim"},
      {"max_note_bytes", true, "reject notes with more text than this (default 8388608)"},
      {"spill_dir", true,
       "where facts beyond 64 MB wait for their encounter (default $TMPDIR, else /tmp; "
       "\"none\": in memory)"},
      {"lock-timeout", true, "seconds to wait for a state file locked by another process (default 10)"},
      {"dry-run", false, "scan and reconcile against an in-memory copy of the state; write nothing"},
      {"quiet", false, "no progress or summary on stderr"},
      {"crash-after-findings", true, "testing only: exit abruptly after N findings are written"},
      {"help", false, "this help"},
  };
  return *kFlags;
}

void PrintUsage(std::ostream& os) {
  os << "usage: cdiscan nightly --extract=PATH... --state=cdi.sqlite --out=DIR [--as-of=TIME]\n"
        "                       [--lookback=14d] [--dry-run] [--threads=N] [--csv-columns=...]\n\n"
        "Scans tonight's extract, updates each finding's lifecycle in the state file (NEW, OPEN,\n"
        "RESOLVED, suppressed by a reviewer's disposition), and writes the concurrent and\n"
        "retrospective worklists (CSV and HTML) and run-report.json to --out. Re-running a night\n"
        "changes nothing; a run that was killed is completed by the next one.\n"
        "Exit status: 0 clean, 3 some input records rejected, 2 usage error, 1 fatal (including\n"
        "a locked state file or one written by a newer cdiscan).\n\nflags:\n"
     << FlagHelp(NightlyFlags());
}

int Usage(std::ostream& err, absl::string_view command, absl::string_view message) {
  err << "cdiscan " << command << ": " << message << "\n";
  if (command == "nightly") PrintUsage(err);
  return kExitUsage;
}

int Fatal(std::ostream& err, absl::string_view command, const absl::Status& status) {
  err << "cdiscan " << command << ": " << status.message() << "\n";
  return kExitFatal;
}

absl::StatusOr<absl::Duration> ParseLookback(const std::string& text) {
  int days = 0;
  if (absl::SimpleAtoi(text, &days) && days >= 0) return absl::Hours(24 * days);
  if (absl::EndsWith(text, "d") && absl::SimpleAtoi(text.substr(0, text.size() - 1), &days) &&
      days >= 0) {
    return absl::Hours(24 * days);
  }
  absl::Duration duration;
  if (absl::ParseDuration(text, &duration) && duration >= absl::ZeroDuration()) return duration;
  return absl::InvalidArgumentError(
      absl::StrCat("--lookback: \"", text, "\" is not a duration (14d, 72h)"));
}

// Total bytes of the inputs, for the ETA; 0 when unknown (stdin, compressed input whose
// decompressed size is not known up front).
uint64_t InputBytes(const std::vector<std::string>& extracts) {
  uint64_t total = 0;
  for (const std::string& path : extracts) {
    absl::StatusOr<std::vector<std::string>> files = io::ExpandExtractPath(path);
    if (!files.ok()) return 0;
    for (const std::string& file : *files) {
      struct stat info;
      if (file == "-" || absl::EndsWith(file, ".gz") || absl::EndsWith(file, ".zst") ||
          stat(file.c_str(), &info) != 0) {
        return 0;
      }
      total += static_cast<uint64_t>(info.st_size);
    }
  }
  return total;
}

// mkdir -p.
bool MakeDirectories(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) == 0) return S_ISDIR(info.st_mode);
  const size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0 && !MakeDirectories(path.substr(0, slash))) {
    return false;
  }
  return mkdir(path.c_str(), 0755) == 0 || errno == EEXIST;
}

std::string FormatEta(double seconds) {
  const int64_t s = static_cast<int64_t>(seconds);
  return s >= 3600 ? absl::StrFormat("%dh%02dm", s / 3600, (s / 60) % 60)
                   : absl::StrFormat("%dm%02ds", s / 60, s % 60);
}

}  // namespace

int RunNightlyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                      bool err_is_terminal) {
  constexpr absl::string_view kName = "nightly";
  absl::StatusOr<CommandLine> flags = CommandLine::Parse(args, NightlyFlags());
  if (!flags.ok()) return Usage(err, kName, flags.status().message());
  if (flags->Has("help")) {
    PrintUsage(out);
    return kExitOk;
  }
  if (!flags->positional().empty()) {
    return Usage(err, kName, absl::StrCat("unexpected argument \"", flags->positional()[0], "\""));
  }
  if (!flags->Has("extract")) return Usage(err, kName, "--extract is required");
  if (!flags->Has("state")) return Usage(err, kName, "--state is required");
  const bool dry_run = flags->Has("dry-run");
  if (!flags->Has("out") && !dry_run) return Usage(err, kName, "--out is required");
  const bool quiet = flags->Has("quiet");

  engine::NightlyOptions options;
  options.extracts = flags->GetAll("extract");
  options.scan.threads = 0;
  if (flags->Has("threads") &&
      (!absl::SimpleAtoi(flags->Get("threads"), &options.scan.threads) ||
       options.scan.threads < 1 || options.scan.threads > 256)) {
    return Usage(err, kName, "--threads must be a number from 1 to 256");
  }
  if (options.scan.threads == 0) {
    options.scan.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  if (flags->Has("spill_dir")) options.scan.spill_dir = flags->Get("spill_dir");
  if (flags->Has("max_note_bytes") &&
      (!absl::SimpleAtoi(flags->Get("max_note_bytes"), &options.scan.limits.max_note_bytes) ||
       options.scan.limits.max_note_bytes == 0)) {
    return Usage(err, kName, "--max_note_bytes must be a positive number");
  }
  if (flags->Has("csv-columns")) {
    absl::StatusOr<io::CsvColumnMap> columns = io::ParseCsvColumns(flags->Get("csv-columns"));
    if (!columns.ok()) return Usage(err, kName, columns.status().message());
    options.scan.csv_columns = *std::move(columns);
  }
  options.as_of = absl::Now();
  if (flags->Has("as-of")) {
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, flags->Get("as-of"), &options.as_of, &error) &&
        !absl::ParseTime("%Y-%m-%d", flags->Get("as-of"), absl::UTCTimeZone(), &options.as_of,
                         &error)) {
      return Usage(err, kName,
                   absl::StrCat("--as-of: \"", flags->Get("as-of"), "\" is not RFC 3339"));
    }
  }
  options.night = absl::FormatTime("%Y-%m-%d", options.as_of, absl::UTCTimeZone());
  absl::StatusOr<absl::Duration> lookback = ParseLookback(flags->Get("lookback", "14d"));
  if (!lookback.ok()) return Usage(err, kName, lookback.status().message());
  io::StateStore::Options store_options;
  store_options.in_memory_copy = dry_run;
  if (flags->Has("lock-timeout")) {
    double seconds;
    if (!absl::SimpleAtod(flags->Get("lock-timeout"), &seconds) || seconds < 0) {
      return Usage(err, kName, "--lock-timeout must be a number of seconds");
    }
    store_options.busy_timeout = absl::Seconds(seconds);
  }
  if (flags->Has("crash-after-findings") &&
      !absl::SimpleAtoi(flags->Get("crash-after-findings"), &options.crash_after_findings)) {
    return Usage(err, kName, "--crash-after-findings must be a number");
  }
  const std::string out_dir = flags->Get("out");
  if (!dry_run) {
    if (!MakeDirectories(out_dir)) {
      return Fatal(err, kName, absl::PermissionDeniedError(
                                   absl::StrCat(out_dir, ": cannot create output directory")));
    }
  }

  absl::StatusOr<std::unique_ptr<const rules::RuleLibrary>> library =
      flags->Has("rules") ? rules::RuleLibrary::LoadDirectory(flags->Get("rules"))
                          : rules::RuleLibrary::LoadBundled();
  if (!library.ok()) return Fatal(err, kName, library.status());
  absl::StatusOr<std::unique_ptr<io::StateStore>> store =
      io::StateStore::Open(flags->Get("state"), store_options);
  if (!store.ok()) return Fatal(err, kName, store.status());
  absl::StatusOr<std::string> last = (*store)->LastFinishedNight();
  if (!last.ok()) return Fatal(err, kName, last.status());
  if (!last->empty() && options.night < *last) {
    return Fatal(err, kName, absl::FailedPreconditionError(absl::StrCat(
                                 "night ", options.night, " is before the last finished night ",
                                 *last, "; nights must run in order")));
  }
  absl::StatusOr<std::unique_ptr<engine::RejectLog>> rejects =
      engine::RejectLog::Open(&err, flags->Get("rejects"));
  if (!rejects.ok()) return Fatal(err, kName, rejects.status());

  // Progress: a live line on a terminal; nothing per batch otherwise (logs stay quiet).
  const absl::Time start = absl::Now();
  const uint64_t total_bytes = InputBytes(options.extracts);
  uint64_t done_bytes = 0, last_file_bytes = 0;
  absl::Time last_print = absl::InfinitePast();
  if (err_is_terminal && !quiet) {
    options.scan.progress = [&](uint64_t file_bytes, uint64_t notes) {
      if (file_bytes < last_file_bytes) done_bytes += last_file_bytes;  // next file
      last_file_bytes = file_bytes;
      const absl::Time now = absl::Now();
      if (now - last_print < absl::Milliseconds(500)) return;
      last_print = now;
      const double elapsed = absl::ToDoubleSeconds(now - start);
      const uint64_t bytes = done_bytes + file_bytes;
      std::string eta = "?";
      if (total_bytes > 0 && bytes > 0 && bytes <= total_bytes) {
        eta = FormatEta(elapsed * (total_bytes - bytes) / bytes);
      }
      err << absl::StrFormat("\rcdiscan nightly: %d notes, %.0f notes/s, %.1f MB/s, ETA %s   ",
                             notes, elapsed > 0 ? notes / elapsed : 0.0,
                             elapsed > 0 ? bytes / elapsed / (1 << 20) : 0.0, eta)
          << std::flush;
    };
    options.scan.evaluate_progress = [&](size_t done, size_t total) {
      const absl::Time now = absl::Now();
      if (now - last_print < absl::Milliseconds(500) && done != total) return;
      last_print = now;
      err << absl::StrFormat("\rcdiscan nightly: evaluating encounters %d/%d (%.0f%%)          ",
                             done, total, total > 0 ? 100.0 * done / total : 100.0)
          << std::flush;
    };
  }

  absl::StatusOr<engine::NightReport> report = engine::RunNight(
      **library, rules::SeverityTable::Bundled(), options, store->get(), rejects->get());
  if (err_is_terminal && !quiet) err << "\r\033[K";
  if (!report.ok()) return Fatal(err, kName, report.status());
  if (absl::Status s = (*rejects)->Finish(); !s.ok()) return Fatal(err, kName, s);

  absl::StatusOr<io::Worklists> lists =
      io::BuildWorklists(store->get(), options.night, options.as_of, *lookback);
  if (!lists.ok()) return Fatal(err, kName, lists.status());
  report->concurrent_rows = static_cast<int64_t>(lists->concurrent.size());
  report->retrospective_rows = static_cast<int64_t>(lists->retrospective.size());
  report->total_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  const std::string report_json = engine::NightReportJson(*report);
  if (!dry_run) {
    for (const auto& [name, rows] :
         {std::pair<std::string, const std::vector<io::WorklistRow>*>{"concurrent",
                                                                      &lists->concurrent},
          {"retrospective", &lists->retrospective}}) {
      const std::string base = absl::StrCat(out_dir, "/", name);
      absl::Status s = io::WriteWorklistCsv(base + ".csv", *rows);
      if (s.ok()) {
        s = io::WriteWorklistHtml(base + ".html",
                                  name == "concurrent" ? "Concurrent" : "Retrospective", *rows,
                                  options.night, report_json);
      }
      if (!s.ok()) return Fatal(err, kName, s);
    }
    if (absl::Status s = io::WriteFileAtomically(out_dir + "/run-report.json", report_json + "\n");
        !s.ok()) {
      return Fatal(err, kName, s);
    }
  }
  const RunSummary& scan = report->scan;
  const uint64_t rejected = scan.notes_rejected() + scan.encounter_records_rejected() +
                            scan.observations_rejected() + scan.other_records_rejected();
  if (!quiet) {
    if (!report->resumed_night.empty()) {
      err << "cdiscan nightly: completed night " << report->resumed_night
          << ", left incomplete by an earlier run\n";
    }
    err << absl::StrFormat(
        "cdiscan nightly%s: night %s; notes %d (rejected %d); encounters %d; findings %d: new "
        "%d, open %d, reopened %d, suppressed %d; resolved %d; worklists %d concurrent, %d "
        "retrospective; %.2f s (%.0f notes/s)\n",
        dry_run ? " (dry run, nothing written)" : "", options.night, scan.notes_read(), rejected,
        scan.encounters(), report->findings, report->new_findings, report->still_open,
        report->reopened, report->suppressed, report->resolved, report->concurrent_rows,
        report->retrospective_rows, report->total_seconds,
        report->total_seconds > 0 ? scan.notes_read() / report->total_seconds : 0.0);
  }
  if (dry_run) out << report_json << "\n";
  return rejected > 0 ? kExitPartial : kExitOk;
}

}  // namespace cdiscan::tools
