// Authoring errors are reported with file:line:col and rule id, all at once; site configs
// override parameters and are validated like rules.
#include "rules/rule_library.h"

#include <set>
#include <string>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "rules/priority_weights.h"

namespace cdiscan::rules {
namespace {

// A valid rule; each case below breaks one thing in it.
constexpr char kValidPack[] = R"pb(
name: "test.pack"
version: "1"
rule {
  id: "test.hyponatremia.missing_dx"
  condition: "hyponatremia"
  kind: MISSING_DIAGNOSIS
  status: STABLE
  title: "t"
  reference: "r"
  parameter { name: "below" value: 131 }
  documentation { pattern: "hyponatremia" }
  indicators {
    mode: AT_LEAST
    at_least: 1
    indicator { name: "low sodium" measurement { key: "sodium" comparison: LT threshold_param: "below" } }
    indicator { name: "restriction" treatment { key: "fluid_restriction" } }
  }
  query { format: MULTIPLE_CHOICE question: "Can the values above be clarified?" option { text: "Hyponatremia" } }
  example { name: "a" should_fire: true note { text: "Na 120." } }
  example { name: "b" should_fire: true note { text: "Na 121." } }
  example { name: "c" should_fire: false note { text: "Na 140." } }
  example { name: "d" should_fire: false note { text: "Na 141." } }
}
)pb";

absl::Status Load(const std::string& text, const SiteConfig& site = SiteConfig()) {
  return RuleLibrary::FromSources({{"packs/test.textproto", text}}, site).status();
}

TEST(RuleLibraryTest, ValidPackLoads) { EXPECT_TRUE(Load(kValidPack).ok()) << Load(kValidPack); }

struct LintCase {
  const char* name;
  const char* from;
  const char* to;
  const char* error;  // expected substring
};

class LintTest : public ::testing::TestWithParam<LintCase> {};

TEST_P(LintTest, ReportsTheAuthoringError) {
  const LintCase& c = GetParam();
  const std::string pack = absl::StrReplaceAll(kValidPack, {{c.from, c.to}});
  ASSERT_NE(pack, kValidPack) << "case does not change the pack";
  absl::Status status = Load(pack);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find(c.error), std::string::npos) << status.message();
  // Every rule error carries the file, a line and a column, and the rule id.
  EXPECT_NE(status.message().find("packs/test.textproto:"), std::string::npos) << status.message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LintTest,
    ::testing::Values(
        LintCase{"unknown_measurement", "key: \"sodium\"", "key: \"serum_sodium\"",
                 "unknown measurement key \"serum_sodium\""},
        LintCase{"unknown_treatment", "key: \"fluid_restriction\"", "key: \"water_pills\"",
                 "unknown treatment key \"water_pills\""},
        LintCase{"unreachable_at_least", "at_least: 1", "at_least: 3", "unreachable rule"},
        LintCase{"bad_re2", "pattern: \"hyponatremia\"", "pattern: \"hypo(natremia\"",
                 "bad pattern"},
        LintCase{"banned_word", "Can the values above be clarified?",
                 "Can the values above be clarified for the DRG?", "banned term"},
        LintCase{"missing_example", "example { name: \"d\" should_fire: false note { text: \"Na 141.\" } }",
                 "", "needs at least 2 that fire and 2 that stay silent"},
        LintCase{"missing_reference", "reference: \"r\"", "", "reference: at least one"},
        LintCase{"unknown_parameter", "threshold_param: \"below\"", "threshold_param: \"lower\"",
                 "unknown parameter \"lower\""},
        LintCase{"unknown_role", "title: \"t\"", "title: \"t\" documenting_role: \"SCRIBE\"",
                 "unknown author role \"SCRIBE\""},
        LintCase{"self_silencing_text_indicator",
                 "indicator { name: \"restriction\" treatment { key: \"fluid_restriction\" } }",
                 "indicator { name: \"words\" text { terms { pattern: \"hyponatremia\" } } }",
                 "is also a documentation term"},
        LintCase{"yes_no_for_new_diagnosis", "format: MULTIPLE_CHOICE", "format: YES_NO",
                 "YES_NO is not allowed"},
        LintCase{"window_on_any_of", "mode: AT_LEAST\n    at_least: 1",
                 "mode: ANY_OF within_hours: 24",
                 "within_hours applies to ALL_OF and AT_LEAST groups only"},
        LintCase{"threshold_and_patient_threshold", "threshold_param: \"below\" }",
                 "threshold_param: \"below\" patient_threshold { threshold: 130 } }",
                 "use either threshold / threshold_param or patient_threshold, not both"},
        LintCase{"patient_threshold_leaves_men_out", "comparison: LT threshold_param: \"below\" }",
                 "comparison: LT patient_threshold { sex: FEMALE threshold_param: \"below\" } }",
                 "no entry matches a patient who is male"},
        LintCase{"patient_threshold_unknown_parameter",
                 "comparison: LT threshold_param: \"below\" }",
                 "comparison: LT patient_threshold { threshold_param: \"lower\" } }",
                 "patient_threshold[0]: unknown parameter \"lower\""},
        LintCase{"patient_threshold_empty_age_band",
                 "comparison: LT threshold_param: \"below\" }",
                 "comparison: LT patient_threshold { age_at_least: 70 age_below: 60 threshold: 1 } "
                 "patient_threshold { threshold: 2 } }",
                 "age_below 60 must be above age_at_least 70"},
        LintCase{"one_name_two_predicates",
                 "indicator { name: \"restriction\" treatment { key: \"fluid_restriction\" } }",
                 "indicator { name: \"low sodium\" measurement { key: \"sodium\" comparison: LT "
                 "threshold: 125 } }",
                 "indicator \"low sodium\" is defined differently at packs/test.textproto:"}),
    [](const ::testing::TestParamInfo<LintCase>& info) { return std::string(info.param.name); });

TEST(RuleLibraryTest, ReportsEveryErrorAtOnceIncludingDuplicateIds) {
  std::string pack = kValidPack;
  std::string second = absl::StrReplaceAll(
      pack.substr(pack.find("rule {")), {{"key: \"sodium\"", "key: \"natrium\""}});
  absl::Status status = Load(pack + second);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("duplicate id"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("unknown measurement key \"natrium\""), std::string::npos);
}

TEST(RuleLibraryTest, DerivedKeysAreKnownAndBringTheirSources) {
  // pf_ratio is not written in notes; it is computed from pao2 and fio2, which the scanner must
  // then keep.
  auto library = RuleLibrary::FromSources(
      {{"packs/test.textproto",
        absl::StrReplaceAll(kValidPack, {{"key: \"sodium\"", "key: \"pf_ratio\""}})}});
  ASSERT_TRUE(library.ok()) << library.status();
  const std::set<std::string> keys((*library)->measurement_keys().begin(),
                                   (*library)->measurement_keys().end());
  EXPECT_EQ(keys, (std::set<std::string>{"pf_ratio", "pao2", "fio2"}));
}

TEST(RuleLibraryTest, OneIndicatorNameAcrossPacksPointsAtBothPlaces) {
  // The same rule twice under another id, its "low sodium" now below 125: the error names the
  // line and column of both names.
  std::string second = absl::StrReplaceAll(
      kValidPack, {{"test.pack", "test.other"},
                   {"test.hyponatremia.missing_dx", "test.hyponatremia2.missing_dx"},
                   {"threshold_param: \"below\"", "threshold: 125"}});
  absl::Status status =
      RuleLibrary::FromSources({{"packs/a.textproto", kValidPack}, {"packs/b.textproto", second}})
          .status();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("packs/b.textproto:16:17: rule test.hyponatremia2.missing_dx: "
                                  "indicator \"low sodium\" is defined differently at "
                                  "packs/a.textproto:16:17 (rule test.hyponatremia.missing_dx)"),
            std::string::npos)
      << status.message();
}

TEST(RuleLibraryTest, OneIndicatorNameWithOneParameterValueIsConsistent) {
  // A parameter and a literal threshold of the same value mean the same predicate.
  std::string second = absl::StrReplaceAll(
      kValidPack, {{"test.pack", "test.other"},
                   {"test.hyponatremia.missing_dx", "test.hyponatremia2.missing_dx"},
                   {"threshold_param: \"below\"", "threshold: 131"}});
  EXPECT_TRUE(
      RuleLibrary::FromSources({{"packs/a.textproto", kValidPack}, {"packs/b.textproto", second}})
          .ok());
}

TEST(RuleLibraryTest, SiteConfigOverridesAParameter) {
  SiteConfig site;
  ParameterOverride* o = site.add_override();
  o->set_rule_id("test.hyponatremia.missing_dx");
  o->set_parameter("below");
  o->set_value(126);
  auto library = RuleLibrary::FromSources({{"packs/test.textproto", kValidPack}}, site);
  ASSERT_TRUE(library.ok()) << library.status();
  EXPECT_DOUBLE_EQ((*library)->Parameter((*library)->rules()[0], "below", 0), 126);
}

TEST(RuleLibraryTest, ExampleSiteConfigLoadsWithTheBundledPacks) {
  // The example a site copies must stay valid as packs change; its anemia override is a patient
  // threshold's parameter.
  absl::StatusOr<SiteConfig> site = ReadSiteConfig("rules/data/site_config.example.textproto");
  ASSERT_TRUE(site.ok()) << site.status();
  auto library = RuleLibrary::LoadBundled(*site);
  ASSERT_TRUE(library.ok()) << library.status();
  for (const Rule& rule : (*library)->rules()) {
    if (rule.id() != "heme.anemia.missing_dx") continue;
    EXPECT_DOUBLE_EQ((*library)->Parameter(rule, "hemoglobin_below_female", 0), 11.5);
  }
}

TEST(RuleLibraryTest, SiteConfigRejectsUnknownRuleAndParameter) {
  SiteConfig site;
  ParameterOverride* unknown_rule = site.add_override();
  unknown_rule->set_rule_id("test.nothing.missing_dx");
  unknown_rule->set_parameter("below");
  ParameterOverride* unknown_param = site.add_override();
  unknown_param->set_rule_id("test.hyponatremia.missing_dx");
  unknown_param->set_parameter("above");
  absl::Status status = Load(kValidPack, site);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("unknown rule \"test.nothing.missing_dx\""), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("has no parameter \"above\""), std::string::npos)
      << status.message();
}

TEST(RuleLibraryTest, BundledLibraryLoadsAndCoversEveryConditionKey) {
  auto library = RuleLibrary::LoadBundled();
  ASSERT_TRUE(library.ok()) << library.status();
  std::set<std::string> conditions;
  for (const Rule& rule : (*library)->rules()) conditions.insert(rule.condition());
  for (const char* key :
       {"sepsis", "septic_shock", "shock", "acute_respiratory_failure",
        "chronic_respiratory_failure", "heart_failure", "aki", "ckd", "encephalopathy",
        "malnutrition", "obesity", "pressure_injury", "anemia", "hyponatremia", "hypernatremia",
        "hyperkalemia", "hypokalemia", "lactic_acidosis", "pneumonia", "functional_quadriplegia",
        "coagulopathy", "thrombocytopenia", "pancytopenia", "neutropenia", "type2_mi",
        "cerebral_edema", "copd", "alcohol_withdrawal", "hepatic_failure",
        "hepatic_encephalopathy", "debility"}) {
    EXPECT_TRUE(conditions.count(key)) << "no rule for condition " << key;
  }
}

TEST(PriorityWeightsTest, BundledWeightsParseAndMissingWeightIsAnError) {
  const PriorityWeightsConfig& weights = BundledPriorityWeights();
  EXPECT_GT(weights.missing_diagnosis(), weights.specificity());
  EXPECT_GT(weights.mcc(), weights.cc());
  EXPECT_FALSE(ParsePriorityWeights("missing_diagnosis: 3").ok());
  EXPECT_FALSE(ParsePriorityWeights("not a field: 1").ok());
}

}  // namespace
}  // namespace cdiscan::rules
