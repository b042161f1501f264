// Three nights over a changing synthetic extract: NEW -> OPEN -> RESOLVED, a disposition that
// suppresses until new evidence arrives, a discharge that moves an encounter to the
// retrospective list, a re-run that changes nothing, a run killed mid-way that the next run
// completes, a dry run that writes nothing, and clear errors for locked and newer state files.
#include "tools/nightly_command.h"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/test_files.h"
#include "gtest/gtest.h"
#include "io/state_store.h"
#include "tools/disposition_command.h"
#include "tools/exit_codes.h"

namespace cdiscan::tools {
namespace {

using ::cdiscan::test::ReadFile;
using ::cdiscan::test::WriteFile;

std::string Note(const std::string& id, const std::string& encounter, const std::string& time,
                 const std::string& text) {
  return absl::StrCat(R"({"note_id":")", id, R"(","patient_id":"P-)", encounter,
                      R"(","encounter_id":")", encounter,
                      R"(","note_type":"Progress Note","author_role":"PHYSICIAN","authored_at":")",
                      time, R"(","text":")", text, "\"}\n");
}

std::string Encounter(const std::string& id, const std::string& admit,
                      const std::string& discharge, const std::string& unit) {
  return absl::StrCat(R"({"encounter_id":")", id, R"(","patient_id":"P-)", id,
                      R"(","patient_class":"INPATIENT","admit_time":")", admit,
                      R"(","discharge_time":")", discharge, R"(","unit":")", unit, "\"}\n");
}

constexpr char kGap[] = R"(Labs: Na 126 (L).\nA/P: poor intake, fluid restriction.)";
constexpr char kDocumented[] = R"(Labs: Na 127.\nAssessment: hyponatremia, SIADH likely.)";
constexpr char kMoreEvidence[] = R"(Labs: Na 124 (L) this morning.\nPlan: continue fluid restriction.)";

// Writes night N's extract (a directory: notes.jsonl, encounters.jsonl) and returns its path.
//   A: the gap stays open; discharged on night 3.
//   B: the gap is documented on night 2 (auto-resolves).
//   C: dispositioned DISAGREED after night 1; new evidence on night 3 re-opens it.
//   D: appears on night 3.
std::string Extract(int night) {
  const std::string dir = absl::StrCat(test::TempDir(), "/extract", night);
  std::system(("mkdir -p " + dir).c_str());
  std::string notes = Note("A1", "E-A", "2026-11-18T09:00:00Z", kGap) +
                      Note("B1", "E-B", "2026-11-18T09:00:00Z", kGap) +
                      Note("C1", "E-C", "2026-11-18T09:00:00Z", kGap);
  std::string encounters =
      Encounter("E-A", "2026-11-17T20:00:00Z", night >= 3 ? "2026-11-21T15:00:00Z" : "", "4 West") +
      Encounter("E-B", "2026-11-17T21:00:00Z", "", "5 East") +
      Encounter("E-C", "2026-11-18T01:00:00Z", "", "5 East");
  if (night >= 2) notes += Note("B2", "E-B", "2026-11-20T08:00:00Z", kDocumented);
  if (night >= 3) {
    notes += Note("C2", "E-C", "2026-11-21T07:00:00Z", kMoreEvidence);
    notes += Note("D1", "E-D", "2026-11-21T08:00:00Z", kGap);
    encounters += Encounter("E-D", "2026-11-21T02:00:00Z", "", "ICU");
  }
  WriteFile(dir + "/notes.jsonl", notes);
  WriteFile(dir + "/encounters.jsonl", encounters);
  return dir;
}

std::string AsOf(int night) { return absl::StrCat("2026-11-", 19 + night, "T06:00:00Z"); }

struct NightRun {
  int exit_code;
  std::string out, err;
};

NightRun Nightly(int night, const std::string& state, const std::string& out_dir,
            std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--extract=" + Extract(night), "--state=" + state,
                                   "--out=" + out_dir, "--as-of=" + AsOf(night), "--threads=2"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::ostringstream out, err;
  int code = RunNightlyCommand(args, out, err);
  return {code, out.str(), err.str()};
}

// The state as a reviewer would see it: finding id -> encounter, lifecycle fields.
std::map<std::string, std::string> Dump(const std::string& state) {
  std::map<std::string, std::string> rows;
  auto store = io::StateStore::Open(state, {});
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return rows;
  EXPECT_TRUE((*store)
                  ->ForEachFinding([&](const io::StoredFinding& f) {
                    rows[f.finding.encounter_id()] = absl::StrJoin(
                        {f.finding.finding_id(), f.status, f.first_seen, f.opened, f.last_seen,
                         f.resolved, f.disposition, f.finding.evidence_fingerprint()},
                        "|");
                  })
                  .ok());
  return rows;
}

std::string Field(const std::string& row, int index) {
  std::vector<std::string> parts = absl::StrSplit(row, '|');
  return parts.at(index);
}
enum { kId, kStatus, kFirstSeen, kOpened, kLastSeen, kResolved, kDisposition };

std::string Copy(const std::string& from, const std::string& to) {
  std::system(absl::StrCat("cp ", from, " ", to).c_str());
  return to;
}

class NightlyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    state_ = test::TempDir() + "/cdi.sqlite";
    out_ = test::TempDir() + "/out";
    NightRun one = Nightly(1, state_, out_);
    ASSERT_EQ(one.exit_code, kExitOk) << one.err;
    after_night1_ = Dump(state_);
    // The reviewer disagrees with C's query.
    const std::string dispositions = test::TempDir() + "/dispositions.csv";
    WriteFile(dispositions,
              absl::StrCat("finding_id,disposition,reason,reviewer,at\n",
                           Field(after_night1_["E-C"], kId),
                           ",DISAGREED,\"Na chronic, at baseline\",rn.cdi,2026-11-20T14:00:00Z\n"));
    std::ostringstream out, err;
    ASSERT_EQ(RunDispositionCommand({"import", "--state=" + state_, dispositions}, out, err),
              kExitOk)
        << err.str();
    // Importing the same file again changes nothing.
    ASSERT_EQ(RunDispositionCommand({"import", "--state=" + state_, dispositions}, out, err),
              kExitOk);
    NightRun two = Nightly(2, state_, out_);
    ASSERT_EQ(two.exit_code, kExitOk) << two.err;
    after_night2_ = Dump(state_);
    Copy(state_, test::TempDir() + "/after_night2.sqlite");
    NightRun three = Nightly(3, state_, out_);
    ASSERT_EQ(three.exit_code, kExitOk) << three.err;
    after_night3_ = Dump(state_);
  }

  static std::string state_, out_;
  static std::map<std::string, std::string> after_night1_, after_night2_, after_night3_;
};
std::string NightlyTest::state_, NightlyTest::out_;
std::map<std::string, std::string> NightlyTest::after_night1_, NightlyTest::after_night2_,
    NightlyTest::after_night3_;

TEST_F(NightlyTest, NightOneFindsEveryGapAsNew) {
  ASSERT_EQ(after_night1_.size(), 3u);
  for (const char* encounter : {"E-A", "E-B", "E-C"}) {
    EXPECT_EQ(Field(after_night1_[encounter], kStatus), "OPEN") << encounter;
    EXPECT_EQ(Field(after_night1_[encounter], kOpened), "2026-11-20") << encounter;
  }
}

TEST_F(NightlyTest, LifecycleAcrossNights) {
  // A: NEW on night 1, still OPEN (same id, same opened night) on nights 2 and 3.
  EXPECT_EQ(Field(after_night2_["E-A"], kId), Field(after_night1_["E-A"], kId));
  EXPECT_EQ(Field(after_night2_["E-A"], kStatus), "OPEN");
  EXPECT_EQ(Field(after_night2_["E-A"], kOpened), "2026-11-20");
  EXPECT_EQ(Field(after_night2_["E-A"], kLastSeen), "2026-11-21");
  EXPECT_EQ(Field(after_night3_["E-A"], kStatus), "OPEN");
  // B: documented on night 2 -> RESOLVED with the night.
  EXPECT_EQ(Field(after_night2_["E-B"], kStatus), "RESOLVED");
  EXPECT_EQ(Field(after_night2_["E-B"], kResolved), "2026-11-21");
  EXPECT_EQ(Field(after_night3_["E-B"], kStatus), "RESOLVED");
  // C: DISAGREED -> suppressed on night 2 with the same evidence...
  EXPECT_EQ(Field(after_night2_["E-C"], kStatus), "SUPPRESSED");
  EXPECT_EQ(Field(after_night2_["E-C"], kDisposition), "DISAGREED");
  // ...and re-opened, same id, on night 3 when a new sodium arrives.
  EXPECT_EQ(Field(after_night3_["E-C"], kId), Field(after_night1_["E-C"], kId));
  EXPECT_EQ(Field(after_night3_["E-C"], kStatus), "OPEN");
  EXPECT_EQ(Field(after_night3_["E-C"], kOpened), "2026-11-22");
  EXPECT_EQ(Field(after_night3_["E-C"], kFirstSeen), "2026-11-20");
  EXPECT_NE(after_night3_["E-C"].substr(after_night3_["E-C"].rfind('|')),
            after_night2_["E-C"].substr(after_night2_["E-C"].rfind('|')));
  // D: new on night 3.
  EXPECT_EQ(Field(after_night3_["E-D"], kOpened), "2026-11-22");
}

TEST_F(NightlyTest, WorklistsFollowTheLifecycle) {
  const std::string concurrent = ReadFile(out_ + "/concurrent.csv");
  const std::string retrospective = ReadFile(out_ + "/retrospective.csv");
  // Night 3: A was discharged -> retrospective; C (re-opened) and D in house; B resolved.
  EXPECT_NE(retrospective.find(",E-A,"), std::string::npos) << retrospective;
  EXPECT_EQ(concurrent.find(",E-A,"), std::string::npos) << concurrent;
  EXPECT_NE(concurrent.find(",E-C,"), std::string::npos) << concurrent;
  EXPECT_NE(concurrent.find(",E-D,"), std::string::npos) << concurrent;
  EXPECT_EQ(concurrent.find(",E-B,"), std::string::npos) << concurrent;
  const std::string html = ReadFile(out_ + "/concurrent.html");
  EXPECT_NE(html.find("E-D"), std::string::npos);
  EXPECT_EQ(html.find("<script src"), std::string::npos);  // self-contained
  EXPECT_EQ(html.find("<link"), std::string::npos);
  // The evidence is highlighted inside its note line, and the report counts the night.
  EXPECT_NE(html.find(R"x("pre":"Labs: ","hit":"Na 124 (L) this morning","post":".")x"),
            std::string::npos);
  const std::string report = ReadFile(out_ + "/run-report.json");
  EXPECT_NE(report.find(R"("night":"2026-11-22")"), std::string::npos) << report;
  EXPECT_NE(report.find(R"("new":1,"still_open":1,"reopened":1)"), std::string::npos) << report;
  EXPECT_NE(report.find(R"("dispositions":1,"agreed":0,"disagreed":1)"), std::string::npos)
      << report;
  EXPECT_NE(report.find(R"("agreement_rate":0.000)"), std::string::npos) << report;
}

TEST(NightlyWorklistTest, FinalCodedEncountersLeaveTheRetrospectiveList) {
  const std::string dir = test::TempDir() + "/final_coded";
  std::system(("mkdir -p " + dir + "/extract").c_str());
  WriteFile(dir + "/extract/notes.jsonl", Note("F1", "E-F", "2026-11-18T09:00:00Z", kGap) +
                                              Note("G1", "E-G", "2026-11-18T09:00:00Z", kGap));
  WriteFile(dir + "/extract/encounters.jsonl",
            absl::StrCat(R"({"encounter_id":"E-F","patient_id":"P-F","admit_time":"2026-11-17T20:00:00Z","discharge_time":"2026-11-20T15:00:00Z","final_coded":true})",
                         "\n",
                         R"({"encounter_id":"E-G","patient_id":"P-G","admit_time":"2026-11-17T20:00:00Z","discharge_time":"2026-11-20T15:00:00Z"})",
                         "\n"));
  std::ostringstream out, err;
  ASSERT_EQ(RunNightlyCommand({"--extract=" + dir + "/extract", "--state=" + dir + "/cdi.sqlite",
                               "--out=" + dir + "/out", "--as-of=" + AsOf(2)},
                              out, err),
            kExitOk)
      << err.str();
  const std::string retrospective = ReadFile(dir + "/out/retrospective.csv");
  EXPECT_NE(retrospective.find(",E-G,"), std::string::npos) << retrospective;
  EXPECT_EQ(retrospective.find(",E-F,"), std::string::npos) << retrospective;
}

TEST_F(NightlyTest, ReRunningANightChangesNothing) {
  const std::string before_csv = ReadFile(out_ + "/concurrent.csv");
  NightRun again = Nightly(3, state_, out_);
  ASSERT_EQ(again.exit_code, kExitOk) << again.err;
  EXPECT_EQ(Dump(state_), after_night3_);
  EXPECT_EQ(ReadFile(out_ + "/concurrent.csv"), before_csv);
  EXPECT_NE(again.err.find("new 1, open 1, reopened 1"), std::string::npos) << again.err;
}

TEST_F(NightlyTest, KilledRunLeavesTheStoreConsistentAndTheNextRunCompletesIt) {
  const std::string state = Copy(test::TempDir() + "/after_night2.sqlite", test::TempDir() + "/crash.sqlite");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::ostringstream out, err;
    RunNightlyCommand({"--extract=" + Extract(3), "--state=" + state, "--out=" + test::TempDir() + "/crash",
                       "--as-of=" + AsOf(3), "--threads=1", "--crash-after-findings=2"},
                      out, err);
    _exit(0);  // not reached: the run dies inside its transaction
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 86);
  // Nothing of the killed night is visible: the store is exactly night 2's.
  EXPECT_EQ(Dump(state), after_night2_);
  NightRun next = Nightly(3, state, test::TempDir() + "/crash");
  ASSERT_EQ(next.exit_code, kExitOk) << next.err;
  EXPECT_NE(next.err.find("completed night 2026-11-22, left incomplete"), std::string::npos)
      << next.err;
  EXPECT_EQ(Dump(state), after_night3_);
}

TEST_F(NightlyTest, ProgressOnATerminalQuietLogsOtherwiseNeverNoteText) {
  const std::string state = Copy(test::TempDir() + "/after_night2.sqlite", test::TempDir() + "/progress.sqlite");
  std::vector<std::string> args = {"--extract=" + Extract(3), "--state=" + state,
                                   "--out=" + test::TempDir() + "/progress-out", "--as-of=" + AsOf(3),
                                   "--threads=1", "--dry-run"};
  std::ostringstream out, terminal, log;
  ASSERT_EQ(RunNightlyCommand(args, out, terminal, /*err_is_terminal=*/true), kExitOk);
  ASSERT_EQ(RunNightlyCommand(args, out, log, /*err_is_terminal=*/false), kExitOk);
  EXPECT_NE(terminal.str().find("\rcdiscan nightly: "), std::string::npos)
      << terminal.str();
  EXPECT_NE(terminal.str().find("notes/s"), std::string::npos);
  EXPECT_NE(terminal.str().find("evaluating encounters 4/4"), std::string::npos);
  const std::string quiet = log.str();
  EXPECT_EQ(quiet.find('\r'), std::string::npos) << quiet;
  EXPECT_EQ(std::count(quiet.begin(), quiet.end(), '\n'), 1) << quiet;
  for (const std::string& text : {terminal.str(), log.str()}) {
    EXPECT_EQ(text.find("poor intake"), std::string::npos);
    EXPECT_EQ(text.find("Na 12"), std::string::npos);
  }
}

TEST_F(NightlyTest, DryRunWritesNothing) {
  const std::string state = Copy(test::TempDir() + "/after_night2.sqlite", test::TempDir() + "/dry.sqlite");
  NightRun dry = Nightly(3, state, test::TempDir() + "/dry-out", {"--dry-run"});
  ASSERT_EQ(dry.exit_code, kExitOk) << dry.err;
  EXPECT_NE(dry.out.find(R"("reopened":1)"), std::string::npos) << dry.out;
  EXPECT_EQ(Dump(state), after_night2_);
  EXPECT_NE(access((test::TempDir() + "/dry-out").c_str(), F_OK), 0);
}

TEST_F(NightlyTest, LockedStateFileIsAClearFatalError) {
  const std::string state = Copy(test::TempDir() + "/after_night2.sqlite", test::TempDir() + "/locked.sqlite");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(state.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  NightRun locked = Nightly(3, state, test::TempDir() + "/locked-out", {"--lock-timeout=0.2"});
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_EQ(locked.exit_code, kExitFatal);
  EXPECT_NE(locked.err.find("locked by another process"), std::string::npos) << locked.err;
}

TEST_F(NightlyTest, NewerSchemaIsRefused) {
  const std::string state = Copy(test::TempDir() + "/after_night2.sqlite", test::TempDir() + "/newer.sqlite");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(state.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_version VALUES (99)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  NightRun newer = Nightly(3, state, test::TempDir() + "/newer-out");
  EXPECT_EQ(newer.exit_code, kExitFatal);
  EXPECT_NE(newer.err.find("schema version 99, newer than this cdiscan understands"),
            std::string::npos)
      << newer.err;
}

TEST_F(NightlyTest, BadDispositionsAreRejectedByLine) {
  const std::string path = test::TempDir() + "/bad_dispositions.jsonl";
  WriteFile(path, absl::StrCat(
                      R"({"finding_id":"f-unknown","disposition":"AGREED"})", "\n",
                      R"({"finding_id":")", Field(after_night1_["E-A"], kId),
                      R"(","disposition":"DISMISSED"})", "\n",
                      R"({"finding_id":")", Field(after_night1_["E-A"], kId),
                      R"(","disposition":"MAYBE"})", "\n"));
  const std::string state = Copy(test::TempDir() + "/after_night2.sqlite", test::TempDir() + "/dispo.sqlite");
  std::ostringstream out, err;
  EXPECT_EQ(RunDispositionCommand({"import", "--state=" + state, path}, out, err), kExitPartial);
  EXPECT_NE(err.str().find(":1: disposition rejected: finding_id \"f-unknown\" is not in"),
            std::string::npos)
      << err.str();
  EXPECT_NE(err.str().find(":2: disposition rejected: field 'reason': required for DISMISSED"),
            std::string::npos);
  EXPECT_NE(err.str().find(":3: disposition rejected: field 'disposition'"), std::string::npos);
}

}  // namespace
}  // namespace cdiscan::tools
