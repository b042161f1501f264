#include "tools/facts_command.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "base/test_files.h"
#include "gtest/gtest.h"
#include "tools/exit_codes.h"

namespace cdiscan::tools {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(FactsCommand, PrintsMeasurementsAndTreatmentsPerNote) {
  const std::string notes = test::WriteTempFile(
      "notes.jsonl",
      R"({"note_id":"n1","patient_id":"p1","encounter_id":"e1","author_role":"PHYSICIAN","authored_at":"2024-03-03T08:00:00Z","text":"Na 126 (L). Cr 2.3 <- 0.9. Given IV Lasix 40 mg. No pressors."})"
      "\n"
      R"({"note_id":"n2","patient_id":"p1","encounter_id":"e1","text":"sodium 1260"})"
      "\n"
      "this is not json\n");
  std::ostringstream out, err;
  const int code = RunFactsCommand({"--notes=" + notes, "--dropped"}, out, err);
  EXPECT_EQ(code, kExitPartial);
  // The same reading and checks as `cdiscan scan`.
  EXPECT_THAT(err.str(), HasSubstr("notes.jsonl:3: note rejected: malformed JSON"));
  const std::string o = out.str();
  EXPECT_THAT(o, HasSubstr(R"("note_id":"n1")"));
  EXPECT_THAT(o, HasSubstr(R"("key":"sodium","value":126,"unit":"mmol/L")"));
  EXPECT_THAT(o, HasSubstr(R"("flag":"L")"));
  EXPECT_THAT(o, HasSubstr(R"("key":"creatinine","value":0.9)"));
  EXPECT_THAT(o, HasSubstr(R"("key":"iv_loop_diuretic")"));
  EXPECT_THAT(o, HasSubstr(R"("key":"vasopressor","negation":"NEGATED")"));
  EXPECT_THAT(o, HasSubstr("plausible range"));  // --dropped line for n2
}

TEST(FactsCommand, ShowsRuleTermMentionsWithAssertion) {
  const std::string notes = test::WriteTempFile(
      "mentions.jsonl",
      R"({"note_id":"n1","patient_id":"p1","encounter_id":"e1","author_role":"PHYSICIAN","text":"Assessment: no hyponatremia."})"
      "\n");
  std::ostringstream out, err;
  ASSERT_EQ(RunFactsCommand({"--notes=" + notes}, out, err), kExitOk) << err.str();
  EXPECT_THAT(out.str(), HasSubstr(R"("term_list":"electrolytes.hyponatremia.missing_dx/documentation","negation":"NEGATED")"));
}

TEST(FactsCommand, TimelineMergesObservations) {
  const std::string notes = test::WriteTempFile(
      "notes2.jsonl",
      R"({"note_id":"n1","patient_id":"p1","encounter_id":"e1","authored_at":"2024-03-03T08:00:00Z","text":"Cr 2.3 today"})"
      "\n");
  const std::string obs = test::WriteTempFile(
      "obs.ndjson",
      R"({"resourceType":"Observation","id":"o1","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"encounter":{"reference":"Encounter/e1"},"effectiveDateTime":"2024-03-01T06:00:00Z","valueQuantity":{"value":0.9,"unit":"mg/dL"}})"
      "\n"
      R"({"resourceType":"Observation","id":"o2","code":{"coding":[{"system":"http://loinc.org","code":"787-2"}]},"encounter":{"reference":"Encounter/e1"},"effectiveDateTime":"2024-03-01T06:00:00Z","valueQuantity":{"value":90,"unit":"fL"}})"
      "\n");
  std::ostringstream out, err;
  EXPECT_EQ(RunFactsCommand({"--notes", notes, "--observations=" + obs}, out, err), kExitOk)
      << err.str();
  EXPECT_THAT(out.str(), HasSubstr(R"("encounter_id":"e1")"));
  EXPECT_THAT(out.str(), HasSubstr("creatinine_ratio_to_baseline"));
  // protobuf's JSON printer escapes ">" as \u003e.
  EXPECT_THAT(out.str(), HasSubstr("creatinine 0.9 (2024-03-01 06:00) -\\u003e creatinine 2.3 "
                                   "(2024-03-03 08:00): 2.556"));
  EXPECT_THAT(err.str(), Not(HasSubstr("787-2")));
  // The same input prints the same bytes: object keys come in sorted order, not in the hash
  // order of protobuf's Struct maps.
  const std::string printed = out.str();
  const size_t timeline = printed.rfind(R"({"derived")");
  ASSERT_NE(timeline, std::string::npos) << printed;
  const std::string o = printed.substr(timeline);  // the timeline line
  const size_t keys[] = {o.find(R"("derived")"), o.find(R"("creatinine_max")"),
                         o.find(R"("creatinine_min")"), o.find(R"("creatinine_ratio_to_baseline")"),
                         o.find(R"("encounter_id":"e1")"), o.find(R"("values")")};
  for (size_t i = 0; i < std::size(keys); ++i) ASSERT_NE(keys[i], std::string::npos) << i;
  EXPECT_TRUE(std::is_sorted(std::begin(keys), std::end(keys))) << o;
}

TEST(FactsCommand, TimelineListsEveryDerivedValueAsTheRulesSeeThem) {
  // Two readings: the monitor's MAP stands for the first; the second's is calculated.
  const std::string notes = test::WriteTempFile(
      "notes3.jsonl",
      R"({"note_id":"n1","patient_id":"p1","encounter_id":"e1","authored_at":"2024-03-03T08:00:00Z","text":"BP 92/48 (MAP 70). BP 88/50 later."})"
      "\n");
  std::ostringstream out, err;
  ASSERT_EQ(RunFactsCommand({"--notes", notes, "--timeline"}, out, err), kExitOk) << err.str();
  EXPECT_THAT(out.str(), HasSubstr(R"("derived_values":{"map":[{"evidence":"map 70 (2024-03-03 08:00): 70","value":70},{"evidence":"sbp 88 (2024-03-03 08:00) and dbp 50 (2024-03-03 08:00): 62.7","value":62.7}]})"));
}

TEST(FactsCommand, UsageErrors) {
  std::ostringstream out, err;
  EXPECT_EQ(RunFactsCommand({}, out, err), kExitUsage);
  EXPECT_EQ(RunFactsCommand({"--bogus"}, out, err), kExitUsage);
  EXPECT_EQ(RunFactsCommand({"--notes=/nonexistent/x.jsonl"}, out, err), kExitFatal);
  EXPECT_EQ(RunFactsCommand({"--help"}, out, err), kExitOk);
}

}  // namespace
}  // namespace cdiscan::tools
