#include "io/state_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/stable_hash.h"

namespace cdiscan::io {
namespace {

// Numbered schema migrations; entry i takes the schema from version i to i + 1. Never edit a
// released entry: add one.
constexpr const char* kMigrations[] = {
    // 1: findings with their lifecycle, encounters, reviewer dispositions, runs.
    R"sql(
    CREATE TABLE runs (
      night TEXT PRIMARY KEY,
      as_of TEXT NOT NULL,
      status TEXT NOT NULL,          -- STARTED | FINISHED
      started_count INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE findings (
      finding_id TEXT PRIMARY KEY,
      encounter_id TEXT NOT NULL,
      rule_id TEXT NOT NULL,
      condition TEXT NOT NULL,
      kind TEXT NOT NULL,
      priority REAL NOT NULL,
      status TEXT NOT NULL,          -- OPEN | RESOLVED | SUPPRESSED
      first_seen TEXT NOT NULL,
      opened TEXT NOT NULL,
      last_seen TEXT NOT NULL,
      resolved TEXT,
      evidence_fp TEXT NOT NULL,
      finding BLOB NOT NULL,         -- serialized cdiscan.Finding
      disposition TEXT,
      disposition_reason TEXT,
      disposition_fp TEXT
    );
    CREATE INDEX findings_by_encounter ON findings(encounter_id);
    CREATE TABLE encounters (
      encounter_id TEXT PRIMARY KEY,
      encounter BLOB NOT NULL,       -- serialized cdiscan.Encounter
      last_seen TEXT NOT NULL,
      evaluated TEXT                 -- last night its notes were evaluated
    );
    CREATE TABLE dispositions (
      finding_id TEXT NOT NULL,
      rule_id TEXT NOT NULL,
      disposition TEXT NOT NULL,
      reason TEXT NOT NULL,
      reviewer TEXT NOT NULL,
      at TEXT NOT NULL,
      evidence_fp TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      PRIMARY KEY (finding_id, disposition, at)
    );
    )sql",
    // 2: the run report, kept per night for the HTML and for trend queries.
    R"sql(
    ALTER TABLE runs ADD COLUMN report_json TEXT;
    )sql",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == StateStore::kSchemaVersion);

absl::Status SqlError(sqlite3* db, absl::string_view what) {
  const int code = sqlite3_errcode(db);
  const std::string message = absl::StrCat(what, ": ", sqlite3_errmsg(db));
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    return absl::UnavailableError(absl::StrCat(
        "state file is locked by another process (is another cdiscan nightly running?): ",
        message));
  }
  return absl::InternalError(absl::StrCat("state store: ", message));
}

}  // namespace

// SQL text -> its prepared statement, and whether a Statement has it now.
class PreparedStatements {
 public:
  ~PreparedStatements() {
    for (auto& [sql, entry] : by_sql_) sqlite3_finalize(entry.stmt);
  }
  // The statement for `sql` if there is one and it is free (then it is taken); else null.
  sqlite3_stmt* Take(absl::string_view sql) {
    auto it = by_sql_.find(sql);
    if (it == by_sql_.end() || it->second.in_use) return nullptr;
    it->second.in_use = true;
    return it->second.stmt;
  }
  // Keeps `stmt`, prepared from `sql`, taken; false if `sql` already has one (then the caller
  // keeps ownership).
  bool Add(absl::string_view sql, sqlite3_stmt* stmt) {
    return by_sql_.try_emplace(std::string(sql), Entry{stmt, true}).second;
  }
  void Give(absl::string_view sql) { by_sql_.find(sql)->second.in_use = false; }

 private:
  struct Entry {
    sqlite3_stmt* stmt;
    bool in_use;
  };
  absl::flat_hash_map<std::string, Entry> by_sql_;
};

namespace {

// A prepared statement with positional binding. With a PreparedStatements, it borrows the
// statement for its SQL (preparing it the first time) and gives it back reset; otherwise (SQL
// built at run time) it prepares its own and finalizes it.
class Statement {
 public:
  Statement(sqlite3* db, absl::string_view sql) : Statement(db, nullptr, sql) {}
  Statement(sqlite3* db, PreparedStatements* cache, absl::string_view sql) : db_(db), sql_(sql) {
    if (cache != nullptr) stmt_ = cache->Take(sql);
    if (stmt_ != nullptr) {
      cache_ = cache;
      return;
    }
    status_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) ==
                      SQLITE_OK
                  ? absl::OkStatus()
                  : SqlError(db, "prepare");
    if (status_.ok() && cache != nullptr && cache->Add(sql, stmt_)) cache_ = cache;
  }
  ~Statement() {
    if (cache_ == nullptr) {
      sqlite3_finalize(stmt_);
      return;
    }
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    cache_->Give(sql_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(absl::string_view text) {
    if (status_.ok()) {
      sqlite3_bind_text(stmt_, ++index_, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT);
    }
    return *this;
  }
  Statement& BindNull() {
    if (status_.ok()) sqlite3_bind_null(stmt_, ++index_);
    return *this;
  }
  Statement& BindDouble(double value) {
    if (status_.ok()) sqlite3_bind_double(stmt_, ++index_, value);
    return *this;
  }
  Statement& BindBlob(const std::string& bytes) {
    if (status_.ok()) {
      sqlite3_bind_blob(stmt_, ++index_, bytes.data(), static_cast<int>(bytes.size()),
                        SQLITE_TRANSIENT);
    }
    return *this;
  }
  // True while there is a row; false at the end or on error (see status()).
  bool Step() {
    if (!status_.ok()) return false;
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) status_ = SqlError(db_, "step");
    return false;
  }
  absl::Status Run() {
    while (Step()) {
    }
    return status_;
  }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text == nullptr ? std::string()
                           : std::string(reinterpret_cast<const char*>(text),
                                         sqlite3_column_bytes(stmt_, column));
  }
  std::string Blob(int column) const {
    const void* data = sqlite3_column_blob(stmt_, column);
    return data == nullptr ? std::string()
                           : std::string(static_cast<const char*>(data),
                                         sqlite3_column_bytes(stmt_, column));
  }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  const absl::Status& status() const { return status_; }

 private:
  sqlite3* db_;
  absl::string_view sql_;  // the caller's literal, alive for the statement's scope
  PreparedStatements* cache_ = nullptr;  // set when stmt_ is borrowed from it
  sqlite3_stmt* stmt_ = nullptr;
  int index_ = 0;
  absl::Status status_;
};

}  // namespace

bool IsDisposition(absl::string_view value) {
  for (const char* d : kDispositions) {
    if (value == d) return true;
  }
  return false;
}

std::string EvidenceFingerprint(const Finding& finding) {
  StableHasher hasher;
  for (const Evidence& evidence : finding.evidence()) {
    hasher.Add(evidence.note_id())
        .Add(evidence.observation_id())
        .Add(static_cast<uint64_t>(evidence.begin()))
        .Add(static_cast<uint64_t>(evidence.end()))
        .Add(evidence.text())
        .Add(evidence.label());
  }
  return hasher.Hex();
}

absl::StatusOr<std::unique_ptr<StateStore>> StateStore::Open(const std::string& path,
                                                              const Options& options) {
  sqlite3* db = nullptr;
  if (options.in_memory_copy) {
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
      sqlite3_close(db);
      return absl::ResourceExhaustedError("cannot open an in-memory database");
    }
    if (access(path.c_str(), F_OK) == 0) {
      sqlite3* source = nullptr;
      if (sqlite3_open_v2(path.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        std::string message = source != nullptr ? sqlite3_errmsg(source) : "out of memory";
        sqlite3_close(source);
        sqlite3_close(db);
        return absl::NotFoundError(absl::StrCat(path, ": cannot open state file: ", message));
      }
      sqlite3_busy_timeout(source,
                           static_cast<int>(absl::ToInt64Milliseconds(options.busy_timeout)));
      sqlite3_backup* backup = sqlite3_backup_init(db, "main", source, "main");
      const int rc = backup == nullptr ? SQLITE_ERROR : sqlite3_backup_step(backup, -1);
      sqlite3_backup_finish(backup);
      if (rc != SQLITE_DONE) {
        absl::Status s = SqlError(source, "copying the state file");
        sqlite3_close(source);
        sqlite3_close(db);
        return absl::Status(s.code(), absl::StrCat(path, ": ", s.message()));
      }
      sqlite3_close(source);
    }
  } else if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                             nullptr) != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::NotFoundError(absl::StrCat(path, ": cannot open state file: ", message));
  }
  std::unique_ptr<StateStore> store(new StateStore(db));
  sqlite3_busy_timeout(db, static_cast<int>(absl::ToInt64Milliseconds(options.busy_timeout)));
  if (!options.in_memory_copy) {
    // WAL: readers (a worklist viewer, a report query) never block the nightly writer.
    if (absl::Status s = store->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        !s.ok()) {
      return absl::Status(s.code(), absl::StrCat(path, ": ", s.message()));
    }
  }
  if (absl::Status s = store->Migrate(); !s.ok()) {
    return absl::Status(s.code(), absl::StrCat(path, ": ", s.message()));
  }
  return store;
}

StateStore::StateStore(sqlite3* db)
    : db_(db), prepared_(std::make_unique<PreparedStatements>()) {}

StateStore::~StateStore() {
  prepared_.reset();  // finalized before the database closes, or it would not close
  sqlite3_close(db_);
}

absl::Status StateStore::Exec(absl::string_view sql) {
  const std::string owned(sql);
  char* error = nullptr;
  if (sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    sqlite3_free(error);
    return SqlError(db_, "exec");
  }
  return absl::OkStatus();
}

absl::Status StateStore::Migrate() {
  int version = 0;
  {
    Statement exists(db_, prepared_.get(),
        "SELECT count(*) FROM sqlite_master WHERE name = 'schema_version'");
    if (!exists.Step()) return exists.status();
    if (exists.Int(0) > 0) {
      Statement current(db_, prepared_.get(), "SELECT max(version) FROM schema_version");
      if (!current.Step()) return current.status();
      version = static_cast<int>(current.Int(0));
    }
  }
  if (version > kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "state file has schema version ", version, ", newer than this cdiscan understands (",
        kSchemaVersion, "); upgrade cdiscan or use the state file of this version"));
  }
  while (version < kSchemaVersion) {
    // Each migration is its own transaction, together with its version row.
    if (absl::Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    absl::Status s = version == 0
                         ? Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                         : absl::OkStatus();
    if (s.ok()) s = Exec(kMigrations[version]);
    if (s.ok()) s = Exec(absl::StrCat("INSERT INTO schema_version VALUES (", version + 1, ")"));
    if (s.ok()) s = Exec("COMMIT");
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return absl::Status(s.code(), absl::StrCat("migration to schema version ", version + 1,
                                                 " failed: ", s.message()));
    }
    ++version;
  }
  schema_version_ = version;
  return absl::OkStatus();
}

absl::StatusOr<std::string> StateStore::IncompleteNight() {
  Statement q(db_, prepared_.get(),
      "SELECT night FROM runs WHERE status = 'STARTED' ORDER BY night LIMIT 1");
  if (q.Step()) return q.Text(0);
  if (!q.status().ok()) return q.status();
  return std::string();
}

absl::StatusOr<std::string> StateStore::LastFinishedNight() {
  Statement q(db_, prepared_.get(),
      "SELECT coalesce(max(night), '') FROM runs WHERE status = 'FINISHED'");
  if (q.Step()) return q.Text(0);
  return q.status();
}

absl::Status StateStore::MarkRunStarted(absl::string_view night, absl::string_view as_of) {
  // A re-run of a finished night keeps its FINISHED row until the new transaction commits:
  // only a night that never finished is marked STARTED.
  Statement q(db_, prepared_.get(),
              "INSERT INTO runs (night, as_of, status) VALUES (?, ?, 'STARTED') "
              "ON CONFLICT(night) DO UPDATE SET started_count = started_count + 1");
  return q.Bind(night).Bind(as_of).Run();
}

absl::Status StateStore::Begin() { return Exec("BEGIN IMMEDIATE"); }
absl::Status StateStore::Commit() { return Exec("COMMIT"); }
absl::Status StateStore::Rollback() { return Exec("ROLLBACK"); }

absl::StatusOr<FindingChange> StateStore::UpsertFinding(const Finding& finding,
                                                         absl::string_view night) {
  std::string status = "OPEN", opened(night), first_seen(night);
  std::string disposition, disposition_reason, disposition_fp, resolved;
  FindingChange change = FindingChange::kNew;
  {
    Statement q(db_, prepared_.get(),
                "SELECT status, opened, first_seen, coalesce(disposition, ''), "
                "coalesce(disposition_reason, ''), coalesce(disposition_fp, ''), "
                "coalesce(resolved, '') FROM findings WHERE finding_id = ?");
    q.Bind(finding.finding_id());
    if (q.Step()) {
      const std::string old_status = q.Text(0);
      opened = q.Text(1);
      first_seen = q.Text(2);
      disposition = q.Text(3);
      disposition_reason = q.Text(4);
      disposition_fp = q.Text(5);
      resolved = q.Text(6);
      const FindingChange opened_tonight =
          first_seen == night ? FindingChange::kNew : FindingChange::kReopened;
      if (!disposition.empty() && disposition_fp == finding.evidence_fingerprint()) {
        // The reviewer has seen exactly this evidence: do not ask again.
        status = "SUPPRESSED";
        change = FindingChange::kSuppressed;
      } else if (!disposition.empty() || old_status == "RESOLVED") {
        // New evidence after a disposition, or the gap is back after it was documented.
        opened = std::string(night);
        disposition.clear();
        disposition_reason.clear();
        disposition_fp.clear();
        resolved.clear();
        change = opened_tonight;
      } else {
        // Re-running the night that opened it reports it the same way.
        change = opened == night ? opened_tonight : FindingChange::kStillOpen;
      }
    } else if (!q.status().ok()) {
      return q.status();
    }
  }
  std::string blob;
  finding.SerializeToString(&blob);
  Statement upsert(db_, prepared_.get(),
                   "INSERT OR REPLACE INTO findings (finding_id, encounter_id, rule_id, condition, "
                   "kind, priority, status, first_seen, opened, last_seen, resolved, evidence_fp, "
                   "finding, disposition, disposition_reason, disposition_fp) VALUES "
                   "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  upsert.Bind(finding.finding_id())
      .Bind(finding.encounter_id())
      .Bind(finding.rule_id())
      .Bind(finding.condition())
      .Bind(FindingKind_Name(finding.kind()))
      .BindDouble(finding.priority())
      .Bind(status)
      .Bind(first_seen)
      .Bind(opened)
      .Bind(night);
  if (resolved.empty()) upsert.BindNull(); else upsert.Bind(resolved);
  upsert.Bind(finding.evidence_fingerprint()).BindBlob(blob);
  if (disposition.empty()) {
    upsert.BindNull().BindNull().BindNull();
  } else {
    upsert.Bind(disposition).Bind(disposition_reason).Bind(disposition_fp);
  }
  if (absl::Status s = upsert.Run(); !s.ok()) return s;
  return change;
}

absl::Status StateStore::UpsertEncounter(const Encounter& encounter, absl::string_view night,
                                         bool keep_richer) {
  std::string blob;
  encounter.SerializeToString(&blob);
  Statement q(db_, prepared_.get(),
              keep_richer
                  ? "INSERT INTO encounters (encounter_id, encounter, last_seen) VALUES (?, ?, ?) "
                    "ON CONFLICT(encounter_id) DO UPDATE SET last_seen = excluded.last_seen"
                  : "INSERT INTO encounters (encounter_id, encounter, last_seen) VALUES (?, ?, ?) "
                    "ON CONFLICT(encounter_id) DO UPDATE SET encounter = excluded.encounter, "
                    "last_seen = excluded.last_seen");
  return q.Bind(encounter.encounter_id()).BindBlob(blob).Bind(night).Run();
}

absl::Status StateStore::MarkEvaluated(absl::string_view encounter_id, absl::string_view night) {
  Statement q(db_, prepared_.get(), "UPDATE encounters SET evaluated = ? WHERE encounter_id = ?");
  return q.Bind(night).Bind(encounter_id).Run();
}

absl::StatusOr<int64_t> StateStore::ResolveMissing(absl::string_view night) {
  Statement q(db_, prepared_.get(),
              "UPDATE findings SET status = 'RESOLVED', resolved = ? WHERE status = 'OPEN' AND "
              "last_seen < ? AND encounter_id IN "
              "(SELECT encounter_id FROM encounters WHERE evaluated = ?)");
  if (absl::Status s = q.Bind(night).Bind(night).Bind(night).Run(); !s.ok()) return s;
  return static_cast<int64_t>(sqlite3_changes(db_));
}

absl::StatusOr<Finding> StateStore::GetFinding(absl::string_view finding_id) {
  Statement q(db_, prepared_.get(), "SELECT finding FROM findings WHERE finding_id = ?");
  q.Bind(finding_id);
  if (!q.Step()) {
    if (!q.status().ok()) return q.status();
    return absl::NotFoundError(absl::StrCat("finding \"", finding_id, "\" is not stored"));
  }
  Finding finding;
  if (!finding.ParseFromString(q.Blob(0))) {
    return absl::DataLossError("state store: a stored finding does not parse");
  }
  return finding;
}

absl::Status StateStore::UpdateFindingEvidence(const Finding& finding) {
  std::string blob;
  finding.SerializeToString(&blob);
  Statement q(db_, prepared_.get(), "UPDATE findings SET finding = ? WHERE finding_id = ?");
  return q.BindBlob(blob).Bind(finding.finding_id()).Run();
}

absl::Status StateStore::FinishRun(absl::string_view night, absl::string_view report_json) {
  Statement q(db_, prepared_.get(),
      "UPDATE runs SET status = 'FINISHED', report_json = ? WHERE night = ?");
  return q.Bind(report_json).Bind(night).Run();
}

absl::Status StateStore::ImportDisposition(const Disposition& d, absl::string_view imported_at) {
  std::string rule_id, evidence_fp;
  {
    Statement q(db_, prepared_.get(),
        "SELECT rule_id, evidence_fp FROM findings WHERE finding_id = ?");
    q.Bind(d.finding_id);
    if (!q.Step()) {
      if (!q.status().ok()) return q.status();
      return absl::NotFoundError(
          absl::StrCat("finding_id \"", d.finding_id, "\" is not in the state file"));
    }
    rule_id = q.Text(0);
    evidence_fp = q.Text(1);
  }
  Statement history(db_, prepared_.get(),
                    "INSERT OR IGNORE INTO dispositions (finding_id, rule_id, disposition, reason, "
                    "reviewer, at, evidence_fp, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (absl::Status s = history.Bind(d.finding_id)
                           .Bind(rule_id)
                           .Bind(d.disposition)
                           .Bind(d.reason)
                           .Bind(d.reviewer)
                           .Bind(d.at)
                           .Bind(evidence_fp)
                           .Bind(imported_at)
                           .Run();
      !s.ok()) {
    return s;
  }
  if (sqlite3_changes(db_) == 0) return absl::OkStatus();  // imported before
  // The latest decision stands; it covers the evidence the finding has now.
  Statement update(db_, prepared_.get(),
                   "UPDATE findings SET status = 'SUPPRESSED', disposition = ?, "
                   "disposition_reason = ?, disposition_fp = evidence_fp WHERE finding_id = ?");
  return update.Bind(d.disposition).Bind(d.reason).Bind(d.finding_id).Run();
}

absl::Status StateStore::ForEachFinding(const std::function<void(const StoredFinding&)>& fn) {
  Statement q(db_, prepared_.get(),
              "SELECT finding, status, first_seen, opened, last_seen, coalesce(resolved, ''), "
              "coalesce(disposition, ''), coalesce(disposition_reason, '') FROM findings "
              "ORDER BY encounter_id, finding_id");
  StoredFinding row;
  while (q.Step()) {
    row.finding.Clear();
    if (!row.finding.ParseFromString(q.Blob(0))) {
      return absl::DataLossError("state store: a stored finding does not parse");
    }
    row.status = q.Text(1);
    row.first_seen = q.Text(2);
    row.opened = q.Text(3);
    row.last_seen = q.Text(4);
    row.resolved = q.Text(5);
    row.disposition = q.Text(6);
    row.disposition_reason = q.Text(7);
    row.evidence_total = row.finding.evidence_size();
    fn(row);
  }
  return q.status();
}

absl::StatusOr<std::vector<StoredEncounter>> StateStore::Encounters() {
  Statement q(db_, prepared_.get(),
      "SELECT encounter, last_seen FROM encounters ORDER BY encounter_id");
  std::vector<StoredEncounter> out;
  while (q.Step()) {
    StoredEncounter e;
    if (!e.encounter.ParseFromString(q.Blob(0))) {
      return absl::DataLossError("state store: a stored encounter does not parse");
    }
    e.last_seen = q.Text(1);
    out.push_back(std::move(e));
  }
  if (!q.status().ok()) return q.status();
  return out;
}

absl::StatusOr<std::vector<RuleAgreement>> StateStore::Agreement() {
  // The latest disposition of each finding counts once.
  Statement q(db_, prepared_.get(),
              "SELECT rule_id, count(*), "
              "sum(disposition = 'AGREED'), "
              "sum(disposition IN ('DISAGREED', 'NOT_CLINICALLY_SIGNIFICANT', 'DISMISSED')), "
              "sum(disposition = 'QUERIED') FROM ("
              "  SELECT d.rule_id, d.disposition FROM dispositions d WHERE d.at = ("
              "    SELECT max(at) FROM dispositions e WHERE e.finding_id = d.finding_id)"
              "  GROUP BY d.finding_id) GROUP BY rule_id ORDER BY rule_id");
  std::vector<RuleAgreement> out;
  while (q.Step()) {
    out.push_back({q.Text(0), q.Int(1), q.Int(2), q.Int(3), q.Int(4)});
  }
  if (!q.status().ok()) return q.status();
  return out;
}

absl::StatusOr<int64_t> StateStore::Count(absl::string_view sql_where) {
  Statement q(db_, absl::StrCat("SELECT count(*) FROM findings WHERE ", sql_where));
  if (q.Step()) return q.Int(0);
  return q.status();
}

absl::StatusOr<std::string> StateStore::RunReport(absl::string_view night) {
  Statement q(db_, prepared_.get(), "SELECT coalesce(report_json, '') FROM runs WHERE night = ?");
  q.Bind(night);
  if (q.Step()) return q.Text(0);
  if (!q.status().ok()) return q.status();
  return std::string();
}

}  // namespace cdiscan::io
