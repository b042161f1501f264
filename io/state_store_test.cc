#include "io/state_store.h"

#include <sqlite3.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/test_files.h"
#include "gtest/gtest.h"

namespace cdiscan::io {
namespace {

using ::cdiscan::test::TempPath;

Finding MakeFinding(const std::string& id, const std::string& encounter,
                    const std::string& evidence_text) {
  Finding finding;
  finding.set_finding_id(id);
  finding.set_encounter_id(encounter);
  finding.set_rule_id("electrolytes.hyponatremia.missing_dx");
  finding.set_condition("hyponatremia");
  finding.set_kind(MISSING_DIAGNOSIS);
  Evidence* evidence = finding.add_evidence();
  evidence->set_note_id("n1");
  evidence->set_text(evidence_text);
  evidence->set_end(static_cast<uint32_t>(evidence_text.size()));
  finding.set_evidence_fingerprint(EvidenceFingerprint(finding));
  return finding;
}

TEST(EvidenceFingerprintTest, ChangesWithTheEvidenceOnly) {
  Finding a = MakeFinding("f", "e", "Na 126");
  Finding b = MakeFinding("f", "e", "Na 126");
  b.set_priority(9);  // not evidence
  EXPECT_EQ(EvidenceFingerprint(a), EvidenceFingerprint(b));
  b.add_evidence()->set_note_id("n2");
  EXPECT_NE(EvidenceFingerprint(a), EvidenceFingerprint(b));
  EXPECT_NE(EvidenceFingerprint(a), EvidenceFingerprint(MakeFinding("f", "e", "Na 125")));
}

// One finding through a sequence of nights: each step is (evidence tonight or "" for not
// firing, disposition imported before the night or "") -> expected change and status.
struct Step {
  std::string night;
  std::string evidence;     // "" = the rule does not fire tonight
  std::string disposition;  // imported before this night
  std::string status;       // after the night
  std::string opened;
};

TEST(StateStoreTest, LifecycleTable) {
  const std::vector<Step> steps = {
      {"2026-11-20", "Na 126", "", "OPEN", "2026-11-20"},
      {"2026-11-21", "Na 126", "", "OPEN", "2026-11-20"},
      {"2026-11-22", "", "", "RESOLVED", "2026-11-20"},
      {"2026-11-23", "Na 126", "", "OPEN", "2026-11-23"},           // back: re-opened
      {"2026-11-24", "Na 126", "AGREED", "SUPPRESSED", "2026-11-23"},
      {"2026-11-25", "", "", "SUPPRESSED", "2026-11-23"},          // dispositions stand
      {"2026-11-26", "Na 124", "", "OPEN", "2026-11-26"},          // new evidence
  };
  const std::string path = TempPath("lifecycle.sqlite");
  std::remove(path.c_str());
  auto store = StateStore::Open(path, {});
  ASSERT_TRUE(store.ok()) << store.status();
  for (const Step& step : steps) {
    if (!step.disposition.empty()) {
      ASSERT_TRUE((*store)->Begin().ok());
      ASSERT_TRUE((*store)
                      ->ImportDisposition({"f-1", step.disposition, "", "rn", step.night + "T01:00:00Z"},
                                          step.night)
                      .ok());
      ASSERT_TRUE((*store)->Commit().ok());
    }
    ASSERT_TRUE((*store)->MarkRunStarted(step.night, step.night).ok());
    ASSERT_TRUE((*store)->Begin().ok());
    Encounter encounter;
    encounter.set_encounter_id("e-1");
    ASSERT_TRUE((*store)->UpsertEncounter(encounter, step.night).ok());
    ASSERT_TRUE((*store)->MarkEvaluated("e-1", step.night).ok());
    if (!step.evidence.empty()) {
      ASSERT_TRUE((*store)->UpsertFinding(MakeFinding("f-1", "e-1", step.evidence), step.night).ok());
    }
    ASSERT_TRUE((*store)->ResolveMissing(step.night).ok());
    ASSERT_TRUE((*store)->FinishRun(step.night, "{}").ok());
    ASSERT_TRUE((*store)->Commit().ok());
    std::vector<StoredFinding> rows;
    ASSERT_TRUE((*store)->ForEachFinding([&](const StoredFinding& f) { rows.push_back(f); }).ok());
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].status, step.status) << step.night;
    EXPECT_EQ(rows[0].opened, step.opened) << step.night;
    EXPECT_EQ(rows[0].first_seen, "2026-11-20") << step.night;
  }
  auto agreement = (*store)->Agreement();
  ASSERT_TRUE(agreement.ok());
  ASSERT_EQ(agreement->size(), 1u);
  EXPECT_EQ((*agreement)[0].agreed, 1);
}

TEST(StateStoreTest, MigratesAndRecordsTheVersion) {
  const std::string path = TempPath("migrate.sqlite");
  std::remove(path.c_str());
  {
    auto store = StateStore::Open(path, {});
    ASSERT_TRUE(store.ok());
    EXPECT_EQ((*store)->schema_version(), StateStore::kSchemaVersion);
  }
  // Reopening applies nothing twice.
  auto again = StateStore::Open(path, {});
  ASSERT_TRUE(again.ok()) << again.status();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*), max(version) FROM schema_version", -1, &q,
                               nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(q, 0), StateStore::kSchemaVersion);
  EXPECT_EQ(sqlite3_column_int(q, 1), StateStore::kSchemaVersion);
  sqlite3_finalize(q);
  sqlite3_close(db);
}

TEST(StateStoreTest, InMemoryCopyNeverWritesTheFile) {
  const std::string path = TempPath("copy.sqlite");
  std::remove(path.c_str());
  {
    auto store = StateStore::Open(path, {});
    ASSERT_TRUE(store.ok());
  }
  StateStore::Options options;
  options.in_memory_copy = true;
  auto copy = StateStore::Open(path, options);
  ASSERT_TRUE(copy.ok());
  ASSERT_TRUE((*copy)->Begin().ok());
  ASSERT_TRUE((*copy)->UpsertFinding(MakeFinding("f-9", "e-9", "x"), "2026-11-20").ok());
  ASSERT_TRUE((*copy)->Commit().ok());
  auto original = StateStore::Open(path, {});
  ASSERT_TRUE(original.ok());
  auto count = (*original)->Count("1 = 1");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);
  // A missing file is an empty state for a dry run, and is not created.
  const std::string missing = TempPath("missing.sqlite");
  std::remove(missing.c_str());
  EXPECT_TRUE(StateStore::Open(missing, options).ok());
  EXPECT_NE(access(missing.c_str(), F_OK), 0);
}

TEST(StateStoreTest, UnknownFindingDispositionIsNotFound) {
  const std::string path = TempPath("unknown.sqlite");
  std::remove(path.c_str());
  auto store = StateStore::Open(path, {});
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(absl::IsNotFound(
      (*store)->ImportDisposition({"f-x", "AGREED", "", "", "2026-11-20T00:00:00Z"}, "now")));
  EXPECT_TRUE(IsDisposition("NOT_CLINICALLY_SIGNIFICANT"));
  EXPECT_FALSE(IsDisposition("agreed"));
}

}  // namespace
}  // namespace cdiscan::io
