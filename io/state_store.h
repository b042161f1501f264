// The nightly state: what cdiscan has told the CDI team before, so each finding has a lifecycle
// across nights (NEW tonight, OPEN, RESOLVED, or SUPPRESSED by a reviewer's disposition) and
// reviewers never see the same question twice without new evidence.
//
// One SQLite file (embedded; WAL journal so the worklist can be read while a night runs).
// Schema changes are numbered migrations applied in order inside a transaction; the file
// records its version in `schema_version`. A file written by a newer cdiscan is refused
// (FailedPrecondition) rather than guessed at; a file locked by another process past the busy
// timeout is Unavailable. Both are reported by the commands as clear errors with exit code 1.
//
// Consistency: a night is one BEGIN IMMEDIATE transaction (Begin/Commit). If the process dies in
// the middle, SQLite rolls the transaction back when the file is next opened; the `runs` row
// written before the transaction (MarkRunStarted) tells the next run that a night was left
// incomplete, and re-running that night completes it. Re-running a completed night changes
// nothing: every write is an upsert keyed by finding id and night.
//
// Example:
//   ASSIGN_OR_RETURN(std::unique_ptr<StateStore> store, StateStore::Open("cdi.sqlite", {}));
//   RETURN_IF_ERROR(store->MarkRunStarted(night, as_of));
//   RETURN_IF_ERROR(store->Begin());
//   for (...) RETURN_IF_ERROR(store->UpsertFinding(finding, night));
//   ASSIGN_OR_RETURN(int resolved, store->ResolveMissing(night));
//   RETURN_IF_ERROR(store->FinishRun(night, report_json));
//   RETURN_IF_ERROR(store->Commit());
//
// Thread safety: one store per thread (the SQLite connection is not shared).
#ifndef CDISCAN_IO_STATE_STORE_H_
#define CDISCAN_IO_STATE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "proto/finding.pb.h"
#include "proto/note.pb.h"

struct sqlite3;

namespace cdiscan::io {

// Reviewer dispositions, as CDI tools name them.
inline constexpr const char* kDispositions[] = {"QUERIED", "AGREED", "DISAGREED",
                                                "NOT_CLINICALLY_SIGNIFICANT", "DISMISSED"};
bool IsDisposition(absl::string_view value);

// A finding as the store knows it.
struct StoredFinding {
  Finding finding;            // as last seen (evidence snippets included when captured)
  std::string status;         // OPEN | RESOLVED | SUPPRESSED
  std::string first_seen;     // night (YYYY-MM-DD)
  std::string opened;         // night it last became open; NEW when == tonight
  std::string last_seen;
  std::string resolved;       // night it auto-resolved, when RESOLVED
  std::string disposition;    // current disposition, when SUPPRESSED
  std::string disposition_reason;
  int evidence_total = 0;  // before any trimming by the reader (BuildWorklists)
};

struct StoredEncounter {
  Encounter encounter;
  std::string last_seen;
};

// How one finding changed tonight.
enum class FindingChange { kNew, kStillOpen, kReopened, kSuppressed };

struct Disposition {
  std::string finding_id;
  std::string disposition;  // one of kDispositions
  std::string reason;
  std::string reviewer;
  std::string at;           // when the reviewer decided (RFC 3339)
};

struct RuleAgreement {
  std::string rule_id;
  int64_t dispositions = 0;  // findings with a disposition (latest per finding)
  int64_t agreed = 0;
  int64_t disagreed = 0;     // DISAGREED + NOT_CLINICALLY_SIGNIFICANT + DISMISSED
  int64_t queried = 0;       // awaiting the provider's answer
};

class PreparedStatements;  // state_store.cc

class StateStore {
 public:
  static constexpr int kSchemaVersion = 2;
  struct Options {
    absl::Duration busy_timeout = absl::Seconds(10);
    // --dry-run: the night runs against an in-memory copy of the file (made with SQLite's
    // backup API), so the file itself is never written; a missing file is an empty state.
    bool in_memory_copy = false;
  };
  static absl::StatusOr<std::unique_ptr<StateStore>> Open(const std::string& path,
                                                          const Options& options);
  ~StateStore();

  int schema_version() const { return schema_version_; }

  // A night that was started and never finished ("" if none): the next run should redo it.
  absl::StatusOr<std::string> IncompleteNight();
  // The latest finished night ("" if none).
  absl::StatusOr<std::string> LastFinishedNight();
  // Committed on its own, before the night's transaction.
  absl::Status MarkRunStarted(absl::string_view night, absl::string_view as_of);

  absl::Status Begin();  // BEGIN IMMEDIATE: takes the write lock now, not at first write
  absl::Status Commit();
  absl::Status Rollback();

  // Lifecycle of one finding seen tonight; `finding.evidence_fingerprint` must be set.
  absl::StatusOr<FindingChange> UpsertFinding(const Finding& finding, absl::string_view night);
  // `keep_richer`: the encounter is only what notes imply (ids); keep a stored record.
  absl::Status UpsertEncounter(const Encounter& encounter, absl::string_view night,
                               bool keep_richer = false);
  // Encounters whose notes were evaluated tonight: only their open findings can auto-resolve
  // (an encounter missing from tonight's extract says nothing about its documentation).
  absl::Status MarkEvaluated(absl::string_view encounter_id, absl::string_view night);
  // Open findings of encounters evaluated tonight that did not fire tonight -> RESOLVED.
  absl::StatusOr<int64_t> ResolveMissing(absl::string_view night);
  // The stored copy of a finding; kNotFound when unknown.
  absl::StatusOr<Finding> GetFinding(absl::string_view finding_id);
  // Replaces the evidence snippets of a finding's stored copy.
  absl::Status UpdateFindingEvidence(const Finding& finding);
  absl::Status FinishRun(absl::string_view night, absl::string_view report_json);

  // kNotFound when the finding id is unknown. Idempotent: the same row imported twice is one.
  absl::Status ImportDisposition(const Disposition& disposition, absl::string_view imported_at);

  // Reads.
  absl::Status ForEachFinding(const std::function<void(const StoredFinding&)>& fn);
  absl::StatusOr<std::vector<StoredEncounter>> Encounters();
  absl::StatusOr<std::vector<RuleAgreement>> Agreement();
  // Counts tonight: resolved on `night`, etc. For reports and tests.
  absl::StatusOr<int64_t> Count(absl::string_view sql_where);
  // Report JSON of a finished night, "" if none.
  absl::StatusOr<std::string> RunReport(absl::string_view night);

 private:
  explicit StateStore(sqlite3* db);
  absl::Status Exec(absl::string_view sql);
  absl::Status Migrate();

  sqlite3* db_;
  // Statements are prepared once and reused: preparing (parsing the SQL) was most of the cost
  // of writing a finding.
  std::unique_ptr<PreparedStatements> prepared_;
  int schema_version_ = 0;
};

// Hash of the evidence (note/observation ids, spans, texts): stable across nights, changes when
// the evidence does. Stored to tell "new evidence" from the evidence a reviewer already saw.
std::string EvidenceFingerprint(const Finding& finding);

}  // namespace cdiscan::io

#endif  // CDISCAN_IO_STATE_STORE_H_
