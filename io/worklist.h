// The two CDI worklists, built from the state store after a night:
//   concurrent    — encounters still in house (no discharge time) with open findings;
//   retrospective — encounters discharged within the lookback window before as-of, with open
//                   findings, and not final-coded (Encounter.final_coded).
// One row per encounter, ranked by priority: the highest open-finding priority, then the number
// of open findings, then encounter id. Findings a reviewer dispositioned (SUPPRESSED) or that
// resolved are not listed.
//
// Written as CSV and as one self-contained HTML page per list (inline CSS/JS, data embedded as
// JSON; no external assets, works opened from disk): sortable columns, filters by kind,
// condition and unit, and per encounter its findings with the evidence highlighted in its note
// snippet and the draft query ready to copy. The run report is shown at the bottom.
// Files are written to a temporary name and renamed, so a reader never sees half a worklist.
//
// Example:
//   ASSIGN_OR_RETURN(Worklists lists, BuildWorklists(store, "2026-11-21", as_of, absl::Hours(24*14)));
//   RETURN_IF_ERROR(WriteWorklistCsv(dir + "/concurrent.csv", lists.concurrent));
//   RETURN_IF_ERROR(WriteWorklistHtml(dir + "/concurrent.html", "Concurrent", lists.concurrent,
//                                     "2026-11-21", report_json));
#ifndef CDISCAN_IO_WORKLIST_H_
#define CDISCAN_IO_WORKLIST_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "io/state_store.h"

namespace cdiscan::io {

struct WorklistRow {
  Encounter encounter;                 // what the store knows (ids at least)
  std::vector<StoredFinding> findings;  // open findings, by priority (highest first)
  int new_count = 0;                    // opened tonight
  std::map<std::string, int> by_kind;   // MISSING_DIAGNOSIS -> 2, ...
  std::string top_condition;            // condition of the highest-priority finding
  double priority = 0;
  int oldest_open_days = 0;             // as-of night minus the earliest `opened` night
  double length_of_stay_days = -1;      // admit to discharge (or as-of); -1 when unknown
};

struct Worklists {
  std::vector<WorklistRow> concurrent;
  std::vector<WorklistRow> retrospective;
};

absl::StatusOr<Worklists> BuildWorklists(StateStore* store, absl::string_view night,
                                         absl::Time as_of, absl::Duration lookback);

absl::Status WriteWorklistCsv(const std::string& path, const std::vector<WorklistRow>& rows);
absl::Status WriteWorklistHtml(const std::string& path, absl::string_view title,
                               const std::vector<WorklistRow>& rows, absl::string_view night,
                               absl::string_view report_json);
// Writes `content` to `path` through a temporary file and a rename.
absl::Status WriteFileAtomically(const std::string& path, absl::string_view content);

}  // namespace cdiscan::io

#endif  // CDISCAN_IO_WORKLIST_H_
