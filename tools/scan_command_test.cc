// End-to-end tests of `cdiscan scan` over files: bad input handling, exit codes, determinism
// across thread counts, and the offsets contract.
#include "tools/scan_command.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/test_files.h"
#include "gtest/gtest.h"
#include "io/json_record.h"
#include "proto/finding.pb.h"
#include "proto/note.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tools/exit_codes.h"
#include "tools/scan_command_testing.h"

namespace cdiscan::tools {
namespace {

using ::cdiscan::test::TempPath;
using ::cdiscan::test::ReadFile;

std::string NoteLine(const std::string& id, const std::string& encounter, const std::string& role,
                     const std::string& text) {
  return absl::StrCat(R"({"note_id":")", id, R"(","patient_id":"p-)", encounter,
                      R"(","encounter_id":")", encounter, R"(","note_type":"Progress Note",)",
                      R"("author_role":")", role, R"(","authored_at":"2026-11-20T08:00:00Z",)",
                      R"("text":")", text, R"("})");
}

const std::string kFiring =
    NoteLine("n1", "e1", "PHYSICIAN", R"(Labs: Na 126 (L).\nA/P: poor intake, fluid restriction.)");
const std::string kSilent =
    NoteLine("n2", "e2", "PHYSICIAN", R"(Labs: Na 125.\nAssessment: hyponatremia, SIADH likely.)");

TEST(ScanCommandTest, CleanRunFindsTheGapAndExitsZero) {
  const std::string notes = test::WriteTempFile("clean.jsonl", kFiring + "\n" + kSilent + "\n");
  ScanRun run = Scan({"--notes=" + notes});
  EXPECT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_NE(run.out.find(R"("rule_id":"electrolytes.hyponatremia.missing_dx")"), std::string::npos);
  EXPECT_NE(run.out.find(R"("encounter_id":"e1")"), std::string::npos);
  EXPECT_EQ(run.out.find(R"("encounter_id":"e2")"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("notes read 2, scanned 2, rejected 0; encounters 2; findings 1"),
            std::string::npos)
      << run.err;
}

struct BadInput {
  std::string name;
  std::string line;
  std::string message;
};

class BadInputTest : public testing::TestWithParam<BadInput> {};

// Each bad record: a clear message with file:line, counted, the rest of the run continues, and
// the exit code says "partial".
TEST_P(BadInputTest, RejectedWithFileLineAndCounted) {
  const BadInput& bad = GetParam();
  const std::string notes =
      test::WriteTempFile(bad.name + ".jsonl", kFiring + "\n" + bad.line + "\n" + kSilent + "\n");
  const std::string rejects = TempPath(bad.name + ".rejects.jsonl");
  ScanRun run = Scan({"--notes=" + notes, "--rejects=" + rejects});
  EXPECT_EQ(run.exit_code, kExitPartial) << run.err;
  EXPECT_NE(run.err.find(absl::StrCat(notes, ":2: note rejected: ", bad.message)),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("notes read 3, scanned 2, rejected 1"), std::string::npos) << run.err;
  // The good notes were still scanned.
  EXPECT_NE(run.out.find(R"("encounter_id":"e1")"), std::string::npos);
  // Nothing is lost: the rejected line is kept.
  EXPECT_FALSE(ReadFile(rejects).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadInputTest,
    testing::Values(
        BadInput{"malformed_json", R"({"note_id":"n9","text":"unterminated)", "malformed JSON"},
        BadInput{"missing_field",
                 R"({"note_id":"n9","patient_id":"p","text":"Na 120"})",
                 "field 'encounter_id': required but missing"},
        BadInput{"invalid_utf8",
                 "{\"note_id\":\"n9\",\"patient_id\":\"p\",\"encounter_id\":\"e9\",\"text\":\"Na "
                 "\xc3\x28 120\"}",
                 "invalid UTF-8"},
        BadInput{"unknown_role", NoteLine("n9", "e9", "SURGEON", "Na 120"),
                 "field 'author_role': unknown value \"SURGEON\""},
        BadInput{"duplicate_id", NoteLine("n1", "e1", "NURSE", "Na 120"),
                 "field 'note_id': duplicate \"n1\""},
        BadInput{"bad_time",
                 R"({"note_id":"n9","patient_id":"p","encounter_id":"e9","authored_at":"yesterday","text":"x"})",
                 "field 'authored_at'"}),
    [](const testing::TestParamInfo<BadInput>& info) { return info.param.name; });

TEST(ScanCommandTest, HugeNoteIsRejectedNotTruncated) {
  // 50 MB of note text, over the default 8 MiB limit.
  std::string huge = NoteLine("n9", "e9", "PHYSICIAN", std::string(50 << 20, 'a'));
  const std::string notes = test::WriteTempFile("huge.jsonl", kFiring + "\n" + huge + "\n");
  huge.clear();
  ScanRun run = Scan({"--notes=" + notes});
  EXPECT_EQ(run.exit_code, kExitPartial);
  EXPECT_NE(run.err.find(":2: note rejected: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("(--max_note_bytes)"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("rejected 1"), std::string::npos);
}

TEST(ScanCommandTest, RejectsFileHoldsTheLinesVerbatim) {
  const std::string bad = R"({"note_id":"broken)";
  const std::string notes = test::WriteTempFile("verbatim.jsonl", kFiring + "\n" + bad + "\n");
  const std::string rejects = TempPath("verbatim.rejects");
  ScanRun run = Scan({"--notes=" + notes, "--rejects=" + rejects});
  EXPECT_EQ(run.exit_code, kExitPartial);
  EXPECT_EQ(ReadFile(rejects), bad + "\n");
}

TEST(ScanCommandTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Scan({}).exit_code, kExitUsage);
  EXPECT_EQ(Scan({"--notes=x", "--threads=0"}).exit_code, kExitUsage);
  EXPECT_EQ(Scan({"--notes=x", "--format=xml"}).exit_code, kExitUsage);
  EXPECT_EQ(Scan({"--notes=x", "--bogus"}).exit_code, kExitUsage);
  ScanRun help = Scan({"--help"});
  EXPECT_EQ(help.exit_code, kExitOk);
  EXPECT_NE(help.out.find("--notes"), std::string::npos);
}

TEST(ScanCommandTest, MissingFileIsFatal) {
  ScanRun run = Scan({"--notes=" + TempPath("no-such-file.jsonl")});
  EXPECT_EQ(run.exit_code, kExitFatal);
  EXPECT_NE(run.err.find("no-such-file.jsonl"), std::string::npos);
}

// A few thousand notes over many encounters, interleaved so one encounter's notes are far apart.
std::string SyntheticExtract(int notes) {
  std::string out;
  for (int i = 0; i < notes; ++i) {
    const std::string encounter = absl::StrCat("e", i % 97);
    const int sodium = 120 + (i * 7) % 25;
    const std::string text =
        i % 97 < 40 && i % 5 == 0 ? absl::StrCat(R"(Assessment: hyponatremia. Na )", sodium)
                   : absl::StrCat(R"(HPI: weakness.\nLabs: Na )", sodium, R"(, K 4.0\nPlan: recheck.)");
    absl::StrAppend(&out, NoteLine(absl::StrCat("n", i), encounter, i % 3 ? "PHYSICIAN" : "NURSE", text),
                    "\n");
  }
  return out;
}

TEST(ScanCommandTest, OutputIsIdenticalForAnyThreadCount) {
  const std::string notes = test::WriteTempFile("many.jsonl", SyntheticExtract(3000));
  ScanRun one = Scan({"--notes=" + notes, "--threads=1", "--quiet"});
  ScanRun eight = Scan({"--notes=" + notes, "--threads=8", "--quiet"});
  ASSERT_EQ(one.exit_code, kExitOk) << one.err;
  ASSERT_EQ(eight.exit_code, kExitOk) << eight.err;
  EXPECT_FALSE(one.out.empty());
  EXPECT_EQ(one.out, eight.out);
}

TEST(ScanCommandTest, BinaryAndTextFormats) {
  const std::string notes = test::WriteTempFile("formats.jsonl", kFiring + "\n");
  const std::string binpb = TempPath("findings.binpb");
  ASSERT_EQ(Scan({"--notes=" + notes, "--format=binpb", "--out=" + binpb}).exit_code, kExitOk);
  const std::string bytes = ReadFile(binpb);
  ASSERT_FALSE(bytes.empty());
  // Length-delimited: a varint size, then exactly one Finding.
  const size_t size = static_cast<unsigned char>(bytes[0]) < 0x80
                          ? static_cast<unsigned char>(bytes[0])
                          : (bytes[0] & 0x7f) | (static_cast<unsigned char>(bytes[1]) << 7);
  const size_t header = static_cast<unsigned char>(bytes[0]) < 0x80 ? 1 : 2;
  Finding finding;
  ASSERT_TRUE(finding.ParseFromString(bytes.substr(header, size)));
  EXPECT_EQ(finding.condition(), "hyponatremia");
  ScanRun text = Scan({"--notes=" + notes, "--format=textproto"});
  EXPECT_NE(text.out.find("condition: \"hyponatremia\""), std::string::npos);
}

}  // namespace
}  // namespace cdiscan::tools

namespace cdiscan::tools {
namespace {

TEST(ScanCommandTest, StructuredObservationsAreIndicators) {
  const std::string notes = test::WriteTempFile(
      "obs_notes.jsonl",
      NoteLine("n1", "e7", "PHYSICIAN", R"(Assessment: pneumonia, continue antibiotics.)") + "\n");
  // One cdiscan Observation (sodium in mEq/L) and one FHIR R4 Observation, plus one bad unit.
  const std::string observations = test::WriteTempFile(
      "obs.jsonl",
      R"({"observation_id":"o1","encounter_id":"e7","code_system":"http://loinc.org","code":"2951-2","name":"Sodium","value":124,"unit":"mmol/L","effective_time":"2026-11-20T06:00:00Z"})"
      "\n"
      R"({"resourceType":"Observation","id":"o2","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2951-2","display":"Sodium"}]},"encounter":{"reference":"Encounter/e7"},"subject":{"reference":"Patient/p-e7"},"effectiveDateTime":"2026-11-21T06:00:00Z","valueQuantity":{"value":126,"unit":"mmol/L"}})"
      "\n"
      R"({"observation_id":"o3","encounter_id":"e7","code":"2951-2","value":126,"unit":"furlongs"})"
      "\n");
  ScanRun run = Scan({"--notes=" + notes, "--observations=" + observations});
  EXPECT_EQ(run.exit_code, kExitPartial) << run.err;
  EXPECT_NE(run.err.find(observations + ":3: observation rejected"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("observations 3 (rejected 1)"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find(R"("observation_id":"o1")"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(R"("observation_id":"o2")"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace cdiscan::tools
