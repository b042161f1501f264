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
                                 << (result.fired ? ", fired: " : ", was silent: ")
                                 << result.detail;
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

// Why a rule stayed silent, as `cdiscan rules test` prints it for an example that should fire.
class ExplainSilenceTest : public BundledRulesTest {
 protected:
  static std::string Silence(const std::string& rule_id, const std::string& example_text) {
    RuleExample example;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(example_text, &example));
    return ExampleSilence(*evaluator_, rule_id, example);
  }
};

// What each way of staying silent says, rule by rule: the whole message.
TEST_F(ExplainSilenceTest, SaysWhyInWords) {
  struct Case {
    const char* why_silent;
    const char* rule_id;
    const char* example;  // RuleExample textproto
    const char* expected;
  };
  const Case kCases[] = {
      {"a rule that fires has nothing to explain", "electrolytes.hyponatremia.missing_dx",
       R"pb(note { text: "Na 126 (L). On fluid restriction 1.5 L." })pb", ""},
      {"the diagnosis is documented", "electrolytes.hyponatremia.missing_dx",
       R"pb(note { text: "Na 126 (L). A/P: Hyponatremia, fluid restrict." })pb",
       "a provider documents the condition: \"Hyponatremia\" (note example-note-0)"},
      {"an indicator is not met, with the values seen", "electrolytes.hyponatremia.missing_dx",
       R"pb(note { text: "Na 133. Repeat BMP in the morning." })pb",
       "the indicators do not hold: all of: sodium below the significant threshold: not met "
       "(sodium 133)"},
      {"more than six values: the first and last three", "electrolytes.hyponatremia.missing_dx",
       R"pb(note { text: "Na 131\nNa 132\nNa 133\nNa 134\nNa 135\nNa 136\nNa 137\nNa 138" })pb",
       "the indicators do not hold: all of: sodium below the significant threshold: not met "
       "(sodium 131, 132, 133, ..., 136, 137, 138)"},
      {"no value of the key at all", "electrolytes.hyponatremia.missing_dx",
       R"pb(note { text: "Repeat BMP in the morning." })pb",
       "the indicators do not hold: all of: sodium below the significant threshold: not met "
       "(no sodium in the record)"},
      // Hypernatremia: a sodium above the threshold and, in a nested group, a second value, a
      // sodium of 150 or more, or free water replacement.
      {"a nested group", "electrolytes.hypernatremia.missing_dx",
       R"pb(note { text: "Na 147. Encourage oral intake." })pb",
       "the indicators do not hold: all of: sodium above threshold: 1 value(s), highest 147; "
       "[any of: sodium 150 or more: not met (sodium 147); sodium above threshold twice: not "
       "met (sodium 147); free water replacement: not met]: not met"},
      {"every specificity axis is documented", "cardiac.heart_failure.specificity",
       R"pb(note {
              text: "BNP 1,450. IV Lasix 40 mg BID.\nA/P: Acute on chronic systolic heart failure."
            })pb",
       "every specificity axis is documented: acuity (acute on chronic): \"Acute on chronic "
       "systolic heart failure\" (note example-note-0); type (systolic): \"systolic heart "
       "failure\" (note example-note-0)"},
      {"a suppressor", "electrolytes.hypernatremia.missing_dx",
       R"pb(note { text: "Na 158, 156. D5W started. Transitioned to comfort care." })pb",
       "suppressed by \"comfort care\" (note example-note-0)"},
      {"nothing to specify when undocumented", "cardiac.heart_failure.specificity",
       R"pb(note { text: "BNP 1,450. IV Lasix 40 mg BID." })pb",
       "no provider documents the condition as a current diagnosis of the patient (affirmed or "
       "possible)"},
      // An exclusion (NONE_OF): the pancytopenia criteria are met, so thrombocytopenia alone
      // is not asked about.
      {"an exclusion that holds", "heme.thrombocytopenia.missing_dx",
       R"pb(note { text: "Hgb 8.1, WBC 3.1, Plt 80." })pb",
       "the indicators do not hold: all of: platelets below threshold: 1 value(s), lowest 80; "
       "[none of: [all of (within 24 h; each judged over the stay): hemoglobin below 10: 1 "
       "value(s), lowest 8.1; WBC below 4: 1 value(s), lowest 3.1; platelets below 150: 1 "
       "value(s), lowest 80]: met]: not met"},
      // A treatment met is quoted; a derived value not met shows what was computed.
      {"a treatment met, the rest not", "cardiac.shock.missing_dx",
       R"pb(note { text: "Norepinephrine started. BP 110/70." })pb",
       "the indicators do not hold: all of (within 24 h; each judged over the stay): [any of: "
       "vasopressor: met (\"Norepinephrine\", note example-note-0); inotrope: not met]: met; "
       "[any of: lactate 2 or more: not met (no lactate in the record); MAP below 65: not met "
       "(map 83.3); SBP below 90: not met (sbp 110); urine output below 30 mL/h: not met (no "
       "urine_output in the record)]: not met"},
      {"no disagreement", "renal.ckd.conflict",
       R"pb(note { text: "Cr 1.8.\nA/P: CKD stage 3a." })pb",
       "no provider notes disagree: no specificity axis has two values, and no provider note "
       "denies what another affirms"},
      {"an unknown rule", "no.such.rule", R"pb(note { text: "x" })pb", "no such rule"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(Silence(c.rule_id, c.example), c.expected) << c.why_silent;
  }
}

TEST_F(ExplainSilenceTest, AWindowedGroupSaysItsMembersAreJudgedOverTheStay) {
  // Fever on day 1, tachycardia on day 3: each SIRS criterion is met over the stay, never two
  // within 24 h, which is what the reader must see.
  const std::string why = Silence("infection.sepsis.missing_dx", R"pb(
    note { author_role: "PHYSICIAN" authored_at: "2026-06-01T08:00:00Z"
           text: "T 38.7, HR 82, RR 16. WBC 9.\nA/P: Pyelonephritis - ceftriaxone." }
    note { author_role: "PHYSICIAN" authored_at: "2026-06-03T10:00:00Z"
           text: "T 36.9, HR 108, RR 16.\nA/P: Pyelonephritis, improving." })pb");
  EXPECT_NE(why.find("(within 24 h; each judged over the stay)"), std::string::npos) << why;
  EXPECT_NE(why.find("temperature"), std::string::npos) << why;
  EXPECT_NE(why.find("heart rate"), std::string::npos) << why;
}

TEST_F(ExplainSilenceTest, ValidationIsSilentWhenTheIndicatorsAreThere) {
  const std::string why = Silence("infection.sepsis.clinical_validation", R"pb(
    note { text: "T 39.2 C, HR 124, RR 28, WBC 18.2, lactate 4.1.\n"
                 "A/P: Sepsis from pneumonia." })pb");
  EXPECT_EQ(why.rfind("the indicators are in the record: ", 0), 0u) << why;
}

}  // namespace
}  // namespace cdiscan::engine
