// Every example of every bundled rule: notes that must fire do, notes that must stay silent do,
// and every query drafted for an example passes the query linter. Then the bundled rules on
// notes written here, for what examples cannot say: which options a query offers.
#include "engine/rule_examples.h"

#include <algorithm>

#include "absl/strings/str_join.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "rules/query_linter.h"
#include "rules/severity_table.h"

namespace cdiscan::engine {
namespace {

class BundledRulesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto library = rules::RuleLibrary::LoadBundled();
    ASSERT_TRUE(library.ok()) << library.status();
    library_ = library->release();
    evaluator_ = new rules::RuleEvaluator(*library_, rules::SeverityTable::Bundled());
  }

  // The options of the query `rule_id` drafts for `example` (textproto), or nullopt when the
  // rule does not fire.
  static std::optional<std::vector<std::string>> OptionsOf(const std::string& rule_id,
                                                           const std::string& example_text) {
    RuleExample example;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(example_text, &example));
    for (const Finding& finding : ExampleFindings(*evaluator_, example)) {
      if (finding.rule_id() != rule_id) continue;
      return std::vector<std::string>(finding.query().options().begin(),
                                      finding.query().options().end());
    }
    return std::nullopt;
  }

  static const rules::RuleLibrary* library_;
  static const rules::RuleEvaluator* evaluator_;
};

const rules::RuleLibrary* BundledRulesTest::library_ = nullptr;
const rules::RuleEvaluator* BundledRulesTest::evaluator_ = nullptr;

TEST_F(BundledRulesTest, EveryExampleBehaves) {
  std::vector<ExampleResult> results = RunRuleExamples(*evaluator_);
  ASSERT_FALSE(results.empty());
  for (const ExampleResult& result : results) {
    EXPECT_TRUE(result.passed()) << result.rule_id << " / \"" << result.example << "\": expected "
                                 << (result.should_fire ? "to fire" : "silence")
                                 << (result.fired ? ", fired: " + result.detail : ", was silent");
  }
}

TEST_F(BundledRulesTest, EveryDraftedQueryPassesTheQueryLinter) {
  for (const ExampleResult& result : RunRuleExamples(*evaluator_)) {
    if (!result.fired) continue;
    EXPECT_EQ(absl::StrJoin(rules::LintDraftQuery(result.query), "; "), "")
        << result.rule_id << " / \"" << result.example << "\"";
  }
}

bool Has(const std::vector<std::string>& options, const std::string& prefix) {
  return std::any_of(options.begin(), options.end(),
                     [&](const std::string& o) { return o.rfind(prefix, 0) == 0; });
}

TEST_F(BundledRulesTest, DebilityOffersFunctionalQuadriplegiaOnlyWithCompleteImmobility) {
  // cdi-domain.md B.1 #27: never push functional quadriplegia without complete immobility.
  const char kImmobile[] = R"pb(
    note { note_type: "Nursing Note" author_role: "NURSE"
           text: "Bedbound, total assist for all ADLs, bilateral knee contractures, turned q2h." }
    note { note_type: "Progress Note" author_role: "PHYSICIAN"
           text: "Lost 14 lb over 2 months.\nA/P: Failure to thrive, advanced dementia." }
  )pb";
  std::optional<std::vector<std::string>> options =
      OptionsOf("functional.debility.specificity", kImmobile);
  ASSERT_TRUE(options.has_value());
  EXPECT_TRUE(Has(*options, "Functional quadriplegia")) << absl::StrJoin(*options, " | ");
  EXPECT_TRUE(Has(*options, "Protein-calorie malnutrition"));

  const char kWalks[] = R"pb(
    note { note_type: "PT Evaluation" author_role: "THERAPIST"
           text: "PT: ambulates 40 ft with rolling walker, mod assist for transfers." }
    note { note_type: "Progress Note" author_role: "PHYSICIAN"
           text: "Lost 14 lb over 2 months.\nA/P: Failure to thrive, advanced dementia." }
  )pb";
  options = OptionsOf("functional.debility.specificity", kWalks);
  ASSERT_TRUE(options.has_value());
  EXPECT_FALSE(Has(*options, "Functional quadriplegia")) << absl::StrJoin(*options, " | ");
  EXPECT_TRUE(Has(*options, "Debility or deconditioning without"));
  EXPECT_TRUE(Has(*options, "Other"));
  EXPECT_TRUE(Has(*options, "Clinically undetermined"));
}

TEST_F(BundledRulesTest, HepaticFailureOffersAcuityByTheLiverDiseaseDocumented) {
  const char kCirrhosis[] = R"pb(
    note { author_role: "PHYSICIAN"
           text: "INR 2.4, bilirubin 7.2.\nA/P: Decompensated cirrhosis - lactulose." }
  )pb";
  std::optional<std::vector<std::string>> options =
      OptionsOf("hepatic.hepatic_failure.missing_dx", kCirrhosis);
  ASSERT_TRUE(options.has_value());
  EXPECT_TRUE(Has(*options, "Acute on chronic hepatic failure"));
  EXPECT_FALSE(Has(*options, "Acute hepatic failure")) << absl::StrJoin(*options, " | ");

  const char kOverdose[] = R"pb(
    note { author_role: "PHYSICIAN"
           text: "INR 4.1, ammonia 140.\nA/P: Acetaminophen overdose - NAC." }
  )pb";
  options = OptionsOf("hepatic.hepatic_failure.missing_dx", kOverdose);
  ASSERT_TRUE(options.has_value());
  EXPECT_TRUE(Has(*options, "Acute hepatic failure"));
  EXPECT_FALSE(Has(*options, "Chronic hepatic failure")) << absl::StrJoin(*options, " | ");
}

TEST_F(BundledRulesTest, SepsisWithoutSirsWithin24HoursIsNotQueried) {
  // The held-out encounter shape of testdata/eval: fever on day 1, tachycardia on day 3.
  const char kApart[] = R"pb(
    note { author_role: "PHYSICIAN" authored_at: "2026-06-01T08:00:00Z"
           text: "T 38.7, HR 82, RR 16. WBC 9.\nA/P: Pyelonephritis - ceftriaxone." }
    note { author_role: "PHYSICIAN" authored_at: "2026-06-03T10:00:00Z"
           text: "T 36.9, HR 108, RR 16.\nA/P: Pyelonephritis, improving." }
  )pb";
  EXPECT_FALSE(OptionsOf("infection.sepsis.missing_dx", kApart).has_value());
  const char kTogether[] = R"pb(
    note { author_role: "PHYSICIAN" authored_at: "2026-06-01T08:00:00Z"
           text: "T 38.7, HR 82, RR 16. WBC 9.\nA/P: Pyelonephritis - ceftriaxone." }
    note { author_role: "PHYSICIAN" authored_at: "2026-06-01T22:00:00Z"
           text: "T 37.9, HR 108, RR 16.\nA/P: Pyelonephritis." }
  )pb";
  EXPECT_TRUE(OptionsOf("infection.sepsis.missing_dx", kTogether).has_value());
}

}  // namespace
}  // namespace cdiscan::engine
