// The acceptance bar of issue #5: on the held-out synthetic encounters, findings reach
// precision >= 0.90 and recall >= 0.85 on (encounter, condition, kind).
#include "testdata/eval/eval_findings.h"

#include <fstream>

#include "gtest/gtest.h"

namespace cdiscan::eval {
namespace {

constexpr char kDir[] = "testdata/eval/";

TEST(EvalFindingsTest, BundledLibraryMeetsPrecisionAndRecall) {
  auto library = rules::RuleLibrary::LoadBundled();
  ASSERT_TRUE(library.ok()) << library.status();
  auto result = Evaluate(**library, std::string(kDir) + "notes.jsonl",
                         std::string(kDir) + "encounters.jsonl",
                         std::string(kDir) + "expected.tsv");
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_GE(result->expected.size(), 30u);
  std::string misses;
  for (const auto& [e, c, k] : result->false_positives) misses += "FP " + e + " " + c + " " + k + "\n";
  for (const auto& [e, c, k] : result->false_negatives) misses += "FN " + e + " " + c + " " + k + "\n";
  EXPECT_GE(result->precision(), 0.90) << misses;
  EXPECT_GE(result->recall(), 0.85) << misses;
}

TEST(EvalFindingsTest, CountsFalsePositivesAndNegatives) {
  // A tiny expected file against the same run: the scorer itself must be able to fail.
  const std::string path = ::testing::TempDir() + "/expected.tsv";
  {
    std::ofstream out(path);
    out << "# one right, one that cannot be found\n"
           "EV-001\tsepsis\tMISSING_DIAGNOSIS\n"
           "EV-001\tnot_a_condition\tCONFLICT\n";
  }
  auto library = rules::RuleLibrary::LoadBundled();
  ASSERT_TRUE(library.ok()) << library.status();
  auto result = Evaluate(**library, std::string(kDir) + "notes.jsonl",
                         std::string(kDir) + "encounters.jsonl", path);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->false_negatives.size(), 1u);
  EXPECT_DOUBLE_EQ(result->recall(), 0.5);
  EXPECT_LT(result->precision(), 0.2);  // every other finding of the set is now unexpected
}

TEST(EvalFindingsTest, RejectsMalformedExpectedLines) {
  const std::string path = ::testing::TempDir() + "/bad.tsv";
  {
    std::ofstream out(path);
    out << "EV-001\tsepsis\n";
  }
  EXPECT_FALSE(ReadExpected(path).ok());
  {
    std::ofstream out(path);
    out << "EV-001\tsepsis\tMISSING\n";
  }
  EXPECT_FALSE(ReadExpected(path).ok());
}

}  // namespace
}  // namespace cdiscan::eval
