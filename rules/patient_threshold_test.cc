// Patient-dependent thresholds: the entry that matches a known patient, the conservative choice
// when sex or age is unknown (which way depends on whether holding fires the rule), coverage.
#include "rules/patient_threshold.h"

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace cdiscan::rules {
namespace {

MeasurementPredicate Parse(const char* text) {
  MeasurementPredicate predicate;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &predicate)) << text;
  return predicate;
}

// WHO anemia: hemoglobin < 13 g/dL in men, < 12 in women.
const char kHemoglobin[] = R"pb(
  key: "hemoglobin" comparison: LT
  patient_threshold { sex: MALE threshold: 13 }
  patient_threshold { sex: FEMALE threshold: 12 }
)pb";

// GLIM low BMI: < 20 under 70 years, < 22 from 70; the 70+ value comes from a parameter.
const char kBmi[] = R"pb(
  key: "bmi" comparison: LT
  patient_threshold { age_below: 70 threshold: 20 }
  patient_threshold { age_at_least: 70 threshold_param: "bmi_below_70_and_over" }
)pb";

double Parameter(const std::string& name, double fallback) {
  return name == "bmi_below_70_and_over" ? 22 : fallback;
}

struct ChoiceCase {
  const char* name;
  const char* predicate;
  Patient patient;
  FiringSense sense;
  double expected;
  const char* explanation;  // substring
};

class ChooseThresholdTest : public ::testing::TestWithParam<ChoiceCase> {};

TEST_P(ChooseThresholdTest, PicksTheThreshold) {
  const ChoiceCase& c = GetParam();
  ThresholdChoice choice = ChooseThreshold(Parse(c.predicate), c.patient, c.sense, Parameter);
  EXPECT_DOUBLE_EQ(choice.value, c.expected);
  EXPECT_NE(choice.explanation.find(c.explanation), std::string::npos) << choice.explanation;
}

constexpr FiringSense kHeld = FiringSense::kFiresWhenHeld;
constexpr FiringSense kNotHeld = FiringSense::kFiresWhenNotHeld;

INSTANTIATE_TEST_SUITE_P(
    Cases, ChooseThresholdTest,
    ::testing::Values(
        ChoiceCase{"male", kHemoglobin, {MALE, 50}, kHeld, 13, "threshold 13 (male)"},
        ChoiceCase{"female", kHemoglobin, {FEMALE, 50}, kHeld, 12, "threshold 12 (female)"},
        // Unknown sex, and the low hemoglobin would fire the rule: the lower threshold holds
        // for fewer values.
        ChoiceCase{"sex_unknown_fires_when_held", kHemoglobin, {ANY_SEX, 50}, kHeld, 12,
                   "the threshold that fires less"},
        // Unknown sex, and the low hemoglobin keeps the rule silent (clinical validation): the
        // higher threshold holds for more values.
        ChoiceCase{"sex_unknown_fires_when_not_held", kHemoglobin, {ANY_SEX, 0}, kNotHeld, 13,
                   "threshold 13 (sex unknown: the threshold that fires less)"},
        ChoiceCase{"under_70", kBmi, {FEMALE, 69}, kHeld, 20, "threshold 20 (age 69)"},
        ChoiceCase{"70_exactly", kBmi, {MALE, 70}, kHeld, 22, "threshold 22 (age 70)"},
        ChoiceCase{"age_unknown", kBmi, {MALE, 0}, kHeld, 20, "threshold 20 (age unknown: the threshold that fires less)"},
        ChoiceCase{"age_unknown_validation", kBmi, {MALE, 0}, kNotHeld, 22, "fires less"},
        // Only age matters for BMI, so an unknown sex is no ambiguity.
        ChoiceCase{"sex_irrelevant", kBmi, {ANY_SEX, 80}, kHeld, 22, "threshold 22 (age 80)"}),
    [](const ::testing::TestParamInfo<ChoiceCase>& info) { return std::string(info.param.name); });

TEST(ChooseThresholdTest, HigherThresholdHoldsLessForGreaterThan) {
  // Upper bounds flip the order: for GT the higher threshold is the one that holds less.
  const MeasurementPredicate predicate = Parse(R"pb(
    key: "heart_rate" comparison: GT
    patient_threshold { age_below: 12 threshold: 120 }
    patient_threshold { threshold: 100 }
  )pb");
  EXPECT_DOUBLE_EQ(ChooseThreshold(predicate, Patient{}, kHeld, Parameter).value, 120);
  EXPECT_DOUBLE_EQ(ChooseThreshold(predicate, Patient{}, kNotHeld, Parameter).value, 100);
  EXPECT_DOUBLE_EQ(ChooseThreshold(predicate, Patient{MALE, 40}, kHeld, Parameter).value, 100);
}

TEST(PatientThresholdTest, SexFromTextKnowsOnlyMaleAndFemale) {
  EXPECT_EQ(SexFromText("male"), MALE);
  EXPECT_EQ(SexFromText(" M "), MALE);
  EXPECT_EQ(SexFromText("Female"), FEMALE);
  EXPECT_EQ(SexFromText("f"), FEMALE);
  EXPECT_EQ(SexFromText("other"), ANY_SEX);
  EXPECT_EQ(SexFromText("unknown"), ANY_SEX);
  EXPECT_EQ(SexFromText(""), ANY_SEX);
}

TEST(PatientThresholdTest, PatientOfTreatsAgeZeroAsUnknown) {
  Encounter encounter;
  encounter.set_sex("female");
  Patient patient = PatientOf(encounter);
  EXPECT_EQ(patient.sex, FEMALE);
  EXPECT_EQ(patient.age, 0);
  EXPECT_EQ(Describe(patient), "female, age unknown");
}

TEST(PatientThresholdTest, UncoveredPatientFindsTheGap) {
  EXPECT_FALSE(UncoveredPatient(Parse(kHemoglobin)).has_value());
  EXPECT_FALSE(UncoveredPatient(Parse(kBmi)).has_value());
  std::optional<Patient> gap = UncoveredPatient(Parse(R"pb(
    key: "hemoglobin" comparison: LT
    patient_threshold { sex: FEMALE threshold: 12 }
    patient_threshold { sex: MALE age_below: 65 threshold: 13 }
  )pb"));
  ASSERT_TRUE(gap.has_value());
  EXPECT_EQ(gap->sex, MALE);
  EXPECT_GE(gap->age, 65);
}

}  // namespace
}  // namespace cdiscan::rules
