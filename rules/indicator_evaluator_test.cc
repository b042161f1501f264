// Indicator evaluation over hand-built note facts: time windows on groups (which facts share a
// window, untimed facts, exclusions inside windows, the window that is quoted) and thresholds
// that follow the patient's sex and age.
#include "rules/indicator_evaluator.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "proto/facts.pb.h"

namespace cdiscan::rules {
namespace {

constexpr char kRuleId[] = "test.sirs.missing_dx";

// A minimal valid library that hosts the rules under test: the evaluator reads parameters
// from the rule it is given, not from this pack.
constexpr char kLibraryPack[] = R"pb(
name: "test.pack"
version: "1"
rule {
  id: "test.host.missing_dx"
  condition: "host_condition"
  kind: MISSING_DIAGNOSIS
  status: STABLE
  title: "t"
  reference: "r"
  documentation { pattern: "host condition" }
  indicators { indicator { name: "low sodium" measurement { key: "sodium" comparison: LT threshold: 131 } } }
  query { format: OPEN_ENDED question: "Can the values above be clarified?" }
  example { name: "a" should_fire: true note { text: "Na 120." } }
  example { name: "b" should_fire: true note { text: "Na 121." } }
  example { name: "c" should_fire: false note { text: "Na 140." } }
  example { name: "d" should_fire: false note { text: "Na 141." } }
}
# Hosts the term lists of the text indicators below: mentions name their list by number.
rule {
  id: "test.sirs.missing_dx"
  condition: "sirs_host"
  kind: MISSING_DIAGNOSIS
  status: STABLE
  title: "t"
  reference: "r"
  documentation { pattern: "sirs" }
  indicators {
    indicator { name: "chemotherapy" text { terms { pattern: "chemo" } } }
    indicator { name: "infection" text { terms { pattern: "pneumonia" } } }
  }
  query { format: OPEN_ENDED question: "Can the findings above be clarified?" }
  example { name: "a" should_fire: true note { text: "Chemo today." } }
  example { name: "b" should_fire: true note { text: "Pneumonia." } }
  example { name: "c" should_fire: false note { text: "Well." } }
  example { name: "d" should_fire: false note { text: "Fine." } }
}
)pb";

const RuleLibrary& Library() {
  static const RuleLibrary* const kLibrary = [] {
    auto library = RuleLibrary::FromSources({{"packs/test.textproto", kLibraryPack}});
    EXPECT_TRUE(library.ok()) << library.status();
    return library->release();
  }();
  return *kLibrary;
}

Rule ParseRule(const std::string& body) {
  Rule rule;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      absl::StrCat("id: \"", kRuleId, "\" ", body), &rule))
      << body;
  return rule;
}

// Two of four SIRS-like criteria within 24 hours, with a chemotherapy exclusion on low WBC.
const char kSirs[] = R"pb(
  kind: MISSING_DIAGNOSIS
  indicators {
    mode: AT_LEAST at_least: 2 within_hours: 24
    indicator { name: "fever" measurement { key: "temperature" comparison: GT threshold: 38 } }
    indicator { name: "tachycardia" measurement { key: "heart_rate" comparison: GT threshold: 90 } }
    indicator { name: "tachypnea" measurement { key: "respiratory_rate" comparison: GT threshold: 20 } }
    group {
      mode: ALL_OF
      group { mode: NONE_OF indicator { name: "chemotherapy" text { terms { pattern: "chemo" } } } }
      indicator { name: "leukopenia" measurement { key: "wbc" comparison: LT threshold: 4 } }
    }
  }
)pb";

class EncounterBuilder {
 public:
  NoteFacts* Note(const std::string& authored_at) {
    NoteFacts& note = record_.notes.emplace_back();
    note.set_note_id(absl::StrCat("N", record_.notes.size()));
    note.set_authored_at(authored_at);
    note.set_author_role(NURSE);
    return &note;
  }
  static void Value(NoteFacts* note, const std::string& key, double value,
                    const std::string& time = "") {
    MeasurementFact* fact = note->add_measurement();
    fact->set_key(key);
    fact->set_value(value);
    fact->set_time(time);
    const std::string text = absl::StrCat(key, " ", value);
    fact->mutable_span()->set_text(text);
    fact->mutable_span()->set_begin(note->measurement_size() * 100);
    fact->mutable_span()->set_end(note->measurement_size() * 100 + text.size());
  }
  // "BP 92/48": an SBP and a DBP written together share their span.
  static void BloodPressure(NoteFacts* note, double sbp, double dbp) {
    Value(note, "sbp", sbp);
    Value(note, "dbp", dbp);
    const int n = note->measurement_size();
    *note->mutable_measurement(n - 1)->mutable_span() = note->measurement(n - 2).span();
  }
  static void Text(NoteFacts* note, const std::string& indicator, const std::string& text) {
    MentionFact* mention = note->add_mention();
    const int64_t list =
        Library().matcher().TermListId(absl::StrCat(kRuleId, "/indicator/", indicator));
    EXPECT_GE(list, 0) << indicator;
    mention->set_term_list_id(static_cast<uint32_t>(list));
    mention->mutable_span()->set_text(text);
  }
  void Patient(const std::string& sex, int age) {
    Encounter encounter;
    encounter.set_sex(sex);
    encounter.set_age(age);
    record_.encounter = encounter;
  }
  // REQUIRES: no more notes are added while the result is used.
  IndicatorResult Evaluate(const Rule& rule,
                           FiringSense sense = FiringSense::kFiresWhenHeld) const {
    IndicatorEvaluator evaluator(record_, Library());
    return evaluator.Evaluate(rule, rule.indicators(), sense);
  }

 private:
  EncounterRecord record_;
};

std::string Quoted(const IndicatorResult& result) {
  std::vector<std::string> texts;
  for (const Evidence& e : result.evidence) texts.push_back(absl::StrCat(e.note_id(), ":", e.text()));
  return absl::StrJoin(texts, ", ");
}

TEST(TimeWindowTest, CriteriaWithin24HoursHold) {
  EncounterBuilder encounter;
  EncounterBuilder::Value(encounter.Note("2026-03-01T08:00:00Z"), "temperature", 38.9);
  EncounterBuilder::Value(encounter.Note("2026-03-02T07:00:00Z"), "heart_rate", 118);
  IndicatorResult result = encounter.Evaluate(ParseRule(kSirs));
  EXPECT_TRUE(result.satisfied);
  EXPECT_EQ(Quoted(result), "N1:temperature 38.9, N2:heart_rate 118");
  EXPECT_NE(absl::StrJoin(result.reasons, "; ").find("within 24 h"), std::string::npos);
}

TEST(TimeWindowTest, CriteriaMoreThan24HoursApartDoNot) {
  EncounterBuilder encounter;
  EncounterBuilder::Value(encounter.Note("2026-03-01T08:00:00Z"), "temperature", 38.9);
  EncounterBuilder::Value(encounter.Note("2026-03-02T09:00:00Z"), "heart_rate", 118);
  EXPECT_FALSE(encounter.Evaluate(ParseRule(kSirs)).satisfied);
}

TEST(TimeWindowTest, WithoutAWindowTheSameCriteriaHold) {
  EncounterBuilder encounter;
  EncounterBuilder::Value(encounter.Note("2026-03-01T08:00:00Z"), "temperature", 38.9);
  EncounterBuilder::Value(encounter.Note("2026-03-02T09:00:00Z"), "heart_rate", 118);
  std::string unwindowed = kSirs;
  unwindowed.replace(unwindowed.find(" within_hours: 24"), 17, "");
  EXPECT_TRUE(encounter.Evaluate(ParseRule(unwindowed)).satisfied);
}

TEST(TimeWindowTest, WrittenTimeWinsOverTheNoteTime) {
  // Both values are written in one note, but the fever was recorded 30 hours earlier.
  EncounterBuilder encounter;
  NoteFacts* note = encounter.Note("2026-03-02T14:00:00Z");
  EncounterBuilder::Value(note, "temperature", 38.9, "2026-03-01T08:00:00Z");
  EncounterBuilder::Value(note, "heart_rate", 118);
  EXPECT_FALSE(encounter.Evaluate(ParseRule(kSirs)).satisfied);
}

TEST(TimeWindowTest, AWrittenClockTimeIsPlacedAgainstTheNote) {
  // "T 38.9 at 06:00" in a note written at 14:00 is a fever at 06:00: 26 hours before a
  // tachycardia the next day at 08:00, so the two are not within 24 hours.
  EncounterBuilder encounter;
  EncounterBuilder::Value(encounter.Note("2026-03-01T14:00:00Z"), "temperature", 38.9, "06:00");
  EncounterBuilder::Value(encounter.Note("2026-03-02T08:00:00Z"), "heart_rate", 118);
  EXPECT_FALSE(encounter.Evaluate(ParseRule(kSirs)).satisfied);
  // "yesterday" in a note of 03-02 14:00 is 03-01 14:00, within 24 hours of the tachycardia.
  EncounterBuilder yesterday;
  EncounterBuilder::Value(yesterday.Note("2026-03-02T14:00:00Z"), "temperature", 38.9,
                          "yesterday");
  EncounterBuilder::Value(yesterday.Note("2026-03-02T08:00:00Z"), "heart_rate", 118);
  EXPECT_TRUE(yesterday.Evaluate(ParseRule(kSirs)).satisfied);
}

TEST(TimeWindowTest, UnreadableWrittenTimeFallsBackToTheNoteTime) {
  EncounterBuilder encounter;
  NoteFacts* note = encounter.Note("2026-03-02T14:00:00Z");
  EncounterBuilder::Value(note, "temperature", 38.9, "overnight");
  EncounterBuilder::Value(encounter.Note("2026-03-02T20:00:00Z"), "heart_rate", 118);
  EXPECT_TRUE(encounter.Evaluate(ParseRule(kSirs)).satisfied);
}

TEST(TimeWindowTest, UntimedFactsShareAWindowOnlyWithTheirOwnNote) {
  EncounterBuilder apart;
  EncounterBuilder::Value(apart.Note(""), "temperature", 38.9);
  EncounterBuilder::Value(apart.Note(""), "heart_rate", 118);
  EXPECT_FALSE(apart.Evaluate(ParseRule(kSirs)).satisfied);

  EncounterBuilder together;
  NoteFacts* note = together.Note("");
  EncounterBuilder::Value(note, "temperature", 38.9);
  EncounterBuilder::Value(note, "heart_rate", 118);
  EXPECT_TRUE(together.Evaluate(ParseRule(kSirs)).satisfied);

  // An untimed note never joins a timed one.
  EncounterBuilder mixed;
  EncounterBuilder::Value(mixed.Note(""), "temperature", 38.9);
  EncounterBuilder::Value(mixed.Note("2026-03-01T08:00:00Z"), "heart_rate", 118);
  EXPECT_FALSE(mixed.Evaluate(ParseRule(kSirs)).satisfied);
}

TEST(TimeWindowTest, TheWindowWhereMostCriteriaHoldIsQuoted) {
  EncounterBuilder encounter;
  NoteFacts* day1 = encounter.Note("2026-03-01T08:00:00Z");
  EncounterBuilder::Value(day1, "temperature", 38.4);
  EncounterBuilder::Value(day1, "heart_rate", 96);
  NoteFacts* day4 = encounter.Note("2026-03-04T08:00:00Z");
  EncounterBuilder::Value(day4, "temperature", 39.5);
  EncounterBuilder::Value(day4, "heart_rate", 130);
  EncounterBuilder::Value(day4, "respiratory_rate", 30);
  IndicatorResult result = encounter.Evaluate(ParseRule(kSirs));
  ASSERT_TRUE(result.satisfied);
  EXPECT_EQ(Quoted(result), "N2:temperature 39.5, N2:heart_rate 130, N2:respiratory_rate 30");
}

TEST(TimeWindowTest, ExclusionInsideAWindowLooksAtTheWholeEncounter) {
  // Chemotherapy is written on day 1; the low WBC and the fever are on day 5. The exclusion is
  // about the stay, so the low WBC still does not count.
  EncounterBuilder encounter;
  EncounterBuilder::Text(encounter.Note("2026-03-01T08:00:00Z"), "chemotherapy", "chemo");
  NoteFacts* day5 = encounter.Note("2026-03-05T08:00:00Z");
  EncounterBuilder::Value(day5, "temperature", 38.6);
  EncounterBuilder::Value(day5, "wbc", 1.1);
  EXPECT_FALSE(encounter.Evaluate(ParseRule(kSirs)).satisfied);
}

TEST(TimeWindowTest, MinCountCountsOnlyValuesInTheWindow) {
  const Rule rule = ParseRule(R"pb(
    indicators {
      mode: ALL_OF within_hours: 12
      indicator { name: "two fevers" measurement { key: "temperature" comparison: GT threshold: 38 min_count: 2 } }
    }
  )pb");
  EncounterBuilder apart;
  EncounterBuilder::Value(apart.Note("2026-03-01T08:00:00Z"), "temperature", 38.5);
  EncounterBuilder::Value(apart.Note("2026-03-02T08:00:00Z"), "temperature", 38.6);
  EXPECT_FALSE(apart.Evaluate(rule).satisfied);
  EncounterBuilder close;
  EncounterBuilder::Value(close.Note("2026-03-01T08:00:00Z"), "temperature", 38.5);
  EncounterBuilder::Value(close.Note("2026-03-01T16:00:00Z"), "temperature", 38.6);
  EXPECT_TRUE(close.Evaluate(rule).satisfied);
}

TEST(TimeWindowTest, TextAndTreatmentTakeTheirNoteTime) {
  const Rule rule = ParseRule(R"pb(
    indicators {
      mode: ALL_OF within_hours: 24
      indicator { name: "infection" text { terms { pattern: "pneumonia" } } }
      indicator { name: "fever" measurement { key: "temperature" comparison: GT threshold: 38 } }
    }
  )pb");
  EncounterBuilder late;
  EncounterBuilder::Text(late.Note("2026-03-01T08:00:00Z"), "infection", "pneumonia");
  EncounterBuilder::Value(late.Note("2026-03-03T08:00:00Z"), "temperature", 38.5);
  EXPECT_FALSE(late.Evaluate(rule).satisfied);
  EncounterBuilder same_day;
  EncounterBuilder::Text(same_day.Note("2026-03-01T08:00:00Z"), "infection", "pneumonia");
  EncounterBuilder::Value(same_day.Note("2026-03-01T20:00:00Z"), "temperature", 38.5);
  EXPECT_TRUE(same_day.Evaluate(rule).satisfied);
}

// WHO anemia thresholds.
const char kHemoglobin[] = R"pb(
  kind: MISSING_DIAGNOSIS
  parameter { name: "hemoglobin_below_male" value: 13 }
  parameter { name: "hemoglobin_below_female" value: 12 }
  indicators {
    indicator {
      name: "hemoglobin below the WHO normal"
      measurement {
        key: "hemoglobin" comparison: LT
        patient_threshold { sex: MALE threshold_param: "hemoglobin_below_male" }
        patient_threshold { sex: FEMALE threshold_param: "hemoglobin_below_female" }
      }
    }
  }
)pb";

struct ThresholdCase {
  const char* name;
  const char* sex;
  FiringSense sense;
  bool holds;
};

class PatientThresholdEvaluationTest : public ::testing::TestWithParam<ThresholdCase> {};

TEST_P(PatientThresholdEvaluationTest, HemoglobinOf12Point5) {
  const ThresholdCase& c = GetParam();
  EncounterBuilder encounter;
  EncounterBuilder::Value(encounter.Note("2026-03-01T08:00:00Z"), "hemoglobin", 12.5);
  encounter.Patient(c.sex, 60);
  IndicatorResult result = encounter.Evaluate(ParseRule(kHemoglobin), c.sense);
  EXPECT_EQ(result.satisfied, c.holds);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PatientThresholdEvaluationTest,
    ::testing::Values(
        ThresholdCase{"man_below_13", "male", FiringSense::kFiresWhenHeld, true},
        ThresholdCase{"woman_not_below_12", "female", FiringSense::kFiresWhenHeld, false},
        // Unknown sex: when holding fires the rule, the lower threshold (12) applies; when
        // holding silences it (clinical validation), the higher one (13).
        ThresholdCase{"unknown_fires_when_held", "unknown", FiringSense::kFiresWhenHeld, false},
        ThresholdCase{"unknown_fires_when_not_held", "", FiringSense::kFiresWhenNotHeld, true}),
    [](const ::testing::TestParamInfo<ThresholdCase>& info) {
      return std::string(info.param.name);
    });

TEST(PatientThresholdEvaluationTest, RationaleSaysWhichThresholdApplied) {
  EncounterBuilder encounter;
  EncounterBuilder::Value(encounter.Note("2026-03-01T08:00:00Z"), "hemoglobin", 11.0);
  IndicatorResult result = encounter.Evaluate(ParseRule(kHemoglobin));
  ASSERT_TRUE(result.satisfied);
  EXPECT_EQ(absl::StrJoin(result.reasons, "; "),
            "hemoglobin below the WHO normal: 1 value(s), lowest 11, threshold 12 (sex unknown: the "
            "threshold that fires less)");
}

TEST(PatientThresholdEvaluationTest, AnExclusionFlipsWhichThresholdFiresLess) {
  // "No hemoglobin below the WHO normal" keeps the rule silent when the hemoglobin is low, so
  // for an unknown sex the higher threshold (13) is the one under which the rule fires less.
  std::string rule = kHemoglobin;
  rule.replace(rule.find("indicators {"), 12, "indicators { mode: NONE_OF");
  EncounterBuilder encounter;
  EncounterBuilder::Value(encounter.Note("2026-03-01T08:00:00Z"), "hemoglobin", 12.5);
  EXPECT_FALSE(encounter.Evaluate(ParseRule(rule)).satisfied);
}

TEST(PatientThresholdEvaluationTest, SiteParameterOverridesReachPatientThresholds) {
  Rule rule = ParseRule(kHemoglobin);
  rule.mutable_parameter(1)->set_value(12.6);  // as a site override would set it
  EncounterBuilder encounter;
  EncounterBuilder::Value(encounter.Note("2026-03-01T08:00:00Z"), "hemoglobin", 12.5);
  encounter.Patient("female", 40);
  EXPECT_TRUE(encounter.Evaluate(rule).satisfied);
}

std::string Labels(const IndicatorResult& result) {
  std::vector<std::string> labels;
  for (const Evidence& e : result.evidence) labels.push_back(e.label());
  return absl::StrJoin(labels, " | ");
}

Rule Below(const std::string& key, double threshold) {
  return ParseRule(absl::StrCat(R"pb(kind: MISSING_DIAGNOSIS indicators { indicator { name: ")pb",
                                key, R"pb(" measurement { key: ")pb", key,
                                R"pb(" comparison: LT threshold: )pb", threshold, " } } }"));
}

TEST(DerivedValueTest, MapRulesSeeTheMapOfABloodPressure) {
  // "BP 92/48": SBP above 90, but a MAP of 62.7.
  EncounterBuilder encounter;
  EncounterBuilder::BloodPressure(encounter.Note("2026-03-01T08:00:00Z"), 92, 48);
  IndicatorResult result = encounter.Evaluate(Below("map", 65));
  ASSERT_TRUE(result.satisfied);
  // Both sources share the reading's span, so it is quoted once.
  ASSERT_EQ(result.evidence.size(), 1u);
  EXPECT_EQ(result.evidence[0].text(), "sbp 92");
  EXPECT_EQ(Labels(result), "map 62.7 mmHg, calculated from sbp 92 mmHg and dbp 48 mmHg");
  EXPECT_EQ(absl::StrJoin(result.reasons, "; "), "map: 1 value(s), lowest 62.7");
  EXPECT_FALSE(encounter.Evaluate(Below("map", 62.7)).satisfied);  // kept to a tenth
}

TEST(DerivedValueTest, AWrittenMapStandsForItsReading) {
  // "BP 92/48 (MAP 70)": the monitor's MAP is the reading's, not the calculated 62.7.
  EncounterBuilder encounter;
  NoteFacts* note = encounter.Note("2026-03-01T08:00:00Z");
  EncounterBuilder::BloodPressure(note, 92, 48);
  EncounterBuilder::Value(note, "map", 70);
  MeasurementFact* map = note->mutable_measurement(2);
  map->mutable_span()->set_begin(note->measurement(0).span().end() + 2);
  map->mutable_span()->set_end(map->span().begin() + 6);
  EXPECT_FALSE(encounter.Evaluate(Below("map", 65)).satisfied);
}

TEST(DerivedValueTest, PfRatioPairsAPaO2WithTheFiO2OfItsNote) {
  EncounterBuilder encounter;
  NoteFacts* note = encounter.Note("2026-03-01T08:00:00Z");
  EncounterBuilder::Value(note, "pao2", 60);
  EncounterBuilder::Value(note, "fio2", 50);
  IndicatorResult result = encounter.Evaluate(Below("pf_ratio", 300));
  ASSERT_TRUE(result.satisfied);
  EXPECT_EQ(Quoted(result), "N1:pao2 60, N1:fio2 50");
  EXPECT_EQ(Labels(result),
            "pf_ratio 120 mmHg, calculated from pao2 60 mmHg and fio2 50 % | "
            "pf_ratio 120 mmHg, calculated from pao2 60 mmHg and fio2 50 %");
  // No FiO2, no ratio.
  EncounterBuilder without_fio2;
  EncounterBuilder::Value(without_fio2.Note("2026-03-01T08:00:00Z"), "pao2", 60);
  EXPECT_FALSE(without_fio2.Evaluate(Below("pf_ratio", 300)).satisfied);
}

TEST(DerivedValueTest, BmiFromAWeightAndAHeight) {
  EncounterBuilder encounter;
  EncounterBuilder::Value(encounter.Note("2026-03-01T08:00:00Z"), "height", 165);
  EncounterBuilder::Value(encounter.Note("2026-03-03T08:00:00Z"), "weight", 45);
  IndicatorResult result = encounter.Evaluate(Below("bmi", 18.5));
  ASSERT_TRUE(result.satisfied);
  EXPECT_EQ(Quoted(result), "N2:weight 45, N1:height 165");
  EXPECT_EQ(absl::StrJoin(result.reasons, "; "), "bmi: 1 value(s), lowest 16.5");
}

TEST(DerivedValueTest, DerivedValuesAreTimedByTheirFirstSource) {
  // A BMI is as recent as its weight: a 24-hour window with the weight holds.
  const Rule rule = ParseRule(R"pb(
    indicators {
      mode: ALL_OF within_hours: 24
      indicator { name: "low BMI" measurement { key: "bmi" comparison: LT threshold: 18.5 } }
      indicator { name: "fever" measurement { key: "temperature" comparison: GT threshold: 38 } }
    }
  )pb");
  EncounterBuilder encounter;
  EncounterBuilder::Value(encounter.Note("2026-03-01T08:00:00Z"), "height", 165);
  NoteFacts* day3 = encounter.Note("2026-03-03T08:00:00Z");
  EncounterBuilder::Value(day3, "weight", 45);
  EncounterBuilder::Value(day3, "temperature", 38.5);
  EXPECT_TRUE(encounter.Evaluate(rule).satisfied);
}

TEST(FactScopeTest, IntersectionsOfWindowsAndUntimedNotes) {
  NoteFacts a, b;
  const absl::Time t0 = absl::FromUnixSeconds(1000000);
  const FactScope day = FactScope::Window(t0, t0 + absl::Hours(24));
  EXPECT_TRUE(FactScope::Whole().Intersect(day).Admits(t0 + absl::Hours(1), nullptr));
  EXPECT_FALSE(day.Admits(t0 + absl::Hours(25), nullptr));
  EXPECT_FALSE(day.Admits(absl::InfinitePast(), &a));
  EXPECT_TRUE(day.Intersect(FactScope::Window(t0 + absl::Hours(30), t0 + absl::Hours(40))).empty);
  EXPECT_TRUE(FactScope::UntimedNote(&a).Admits(absl::InfinitePast(), &a));
  EXPECT_FALSE(FactScope::UntimedNote(&a).Admits(absl::InfinitePast(), &b));
  EXPECT_TRUE(FactScope::UntimedNote(&a).Intersect(FactScope::UntimedNote(&b)).empty);
  EXPECT_TRUE(FactScope::UntimedNote(&a).Intersect(day).empty);
  EXPECT_FALSE(FactScope::UntimedNote(&a).Intersect(FactScope::Whole()).empty);
}

}  // namespace
}  // namespace cdiscan::rules
