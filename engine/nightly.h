// One night of operation: scan tonight's extract, reconcile the findings with the state store
// (NEW / OPEN / RESOLVED / SUPPRESSED, see io/state_store.h), cut evidence snippets for the
// worklists, and produce the run report.
//
// Snippets: the scan never keeps note text (memory must not grow with the extract), and which
// spans are evidence is only known once an encounter is evaluated, after all of its notes are
// read. So after reconciliation the extract is read a second time, decoding only the notes that
// carry evidence of an open finding, and a bounded window around each span (its line(s), at
// most kSnippetContext bytes either side) is stored with the finding. The second pass costs
// I/O and JSON parsing but no NLP, and it holds nothing but the windows it keeps. Stdin cannot
// be re-read; from stdin the worklist shows the evidence text without its surrounding lines.
//
// Example:
//   NightlyOptions options;  options.extracts = {"extract/"};  options.night = "2026-11-21";
//   ASSIGN_OR_RETURN(NightReport report, RunNight(library, severity, options, store, &rejects));
//
// Thread safety: one night at a time per store; scanning uses options.scan.threads workers.
#ifndef CDISCAN_ENGINE_NIGHTLY_H_
#define CDISCAN_ENGINE_NIGHTLY_H_

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/reject_log.h"
#include "engine/scan_pipeline.h"
#include "io/state_store.h"
#include "rules/rule_library.h"
#include "rules/severity_table.h"

namespace cdiscan::engine {

inline constexpr size_t kSnippetContext = 300;
// Snippets are cut for the first evidence items of a finding only (the worklist shows these; a
// reviewer reads a dozen highlighted lines, not a hundred), which bounds the memory and the
// page size of a big night.
inline constexpr int kMaxSnippetsPerFinding = 12;

struct NightlyOptions {
  std::vector<std::string> extracts;  // files, directories or "-"
  std::string night;                  // YYYY-MM-DD (UTC date of as_of)
  absl::Time as_of;
  ScanOptions scan;
  // Testing only: the process exits abruptly (as if killed) after this many findings were
  // written inside the night's transaction. < 0: never.
  int64_t crash_after_findings = -1;
};

struct RuleCount {
  int64_t fired = 0;  // findings tonight
  int64_t new_tonight = 0;
};

struct NightReport {
  std::string night;
  std::string as_of;
  std::string resumed_night;  // a night left incomplete by an earlier run, completed now
  RunSummary scan;
  int64_t findings = 0;
  int64_t new_findings = 0;
  int64_t still_open = 0;
  int64_t reopened = 0;
  int64_t suppressed = 0;
  int64_t resolved = 0;
  int64_t open_after = 0;  // open findings in the store after tonight
  std::map<std::string, int64_t> by_kind;       // tonight's findings
  std::map<std::string, int64_t> by_condition;  // tonight's findings
  std::map<std::string, RuleCount> by_rule;
  std::vector<io::RuleAgreement> agreement;
  int64_t snippets = 0;
  double scan_seconds = 0, reconcile_seconds = 0, snippet_seconds = 0, total_seconds = 0;
  int64_t concurrent_rows = 0, retrospective_rows = 0;  // filled by the worklist writer
};

// JSON of the report (stable key order), for run-report.json and the HTML.
std::string NightReportJson(const NightReport& report);

// The line(s) around [begin, end) of `text`, at most `context` bytes either side, cut on UTF-8
// boundaries. Returns the window and sets `window_begin` to its offset in `text`.
std::string SnippetWindow(absl::string_view text, size_t begin, size_t end, size_t context,
                          size_t* window_begin);

// Runs one night against `store` (which may be an in-memory copy for --dry-run).
absl::StatusOr<NightReport> RunNight(const rules::RuleLibrary& library,
                                     const rules::SeverityTable& severity,
                                     const NightlyOptions& options, io::StateStore* store,
                                     RejectLog* rejects);

}  // namespace cdiscan::engine

#endif  // CDISCAN_ENGINE_NIGHTLY_H_
