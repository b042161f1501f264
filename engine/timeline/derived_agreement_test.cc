// The encounter timeline (what `cdiscan facts --timeline` shows) and the rule evaluator (what
// rules fire on) derive MAP, P/F and BMI through one implementation; this feeds both the same
// encounter and checks that they arrive at the same values.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/timeline/observation_mapper.h"
#include "engine/timeline/timeline.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlp/measure/derived_values.h"
#include "nlp/measure/vocabulary.h"
#include "proto/facts.pb.h"
#include "proto/note.pb.h"
#include "rules/bundled_library_for_tests.h"
#include "rules/encounter_record.h"
#include "rules/indicator_evaluator.h"

namespace cdiscan {
namespace {

using ::testing::ElementsAreArray;

void Add(NoteFacts* note, const std::string& key, double value, uint32_t begin, uint32_t end,
         uint32_t trend_position = 0, const std::string& time = "") {
  MeasurementFact* fact = note->add_measurement();
  fact->set_key(key);
  fact->set_value(value);
  fact->mutable_span()->set_begin(begin);
  fact->mutable_span()->set_end(end);
  fact->set_trend_position(trend_position);
  fact->set_time(time);
}

NoteFacts Note(const std::string& id, const std::string& authored_at) {
  NoteFacts note;
  note.set_note_id(id);
  note.set_authored_at(authored_at);
  return note;
}

Observation Obs(const std::string& id, const std::string& loinc, double value,
                const std::string& unit, const std::string& time) {
  Observation o;
  o.set_observation_id(id);
  o.set_code_system("http://loinc.org");
  o.set_code(loinc);
  o.set_value(value);
  o.set_unit(unit);
  o.set_effective_time(time);
  return o;
}

// Notes in the order the scan pipeline hands them to rules (by authored_at).
std::vector<NoteFacts> Notes() {
  NoteFacts monitor = Note("n2", "2024-03-01T13:30:00Z");
  Add(&monitor, "fio2", 28, 0, 8);

  // "BP 92/48 (MAP 70) ... BP 88/50 ... FiO2 100% -> 35% ... ABG 7.41/38/95 ... PaO2 60 at
  // 06:00 ... Wt 62 kg (was 71 kg) ... Ht 170 cm"
  NoteFacts day1 = Note("n1", "2024-03-01T14:00:00Z");
  Add(&day1, "sbp", 92, 0, 8);
  Add(&day1, "dbp", 48, 0, 8);
  Add(&day1, "map", 70, 10, 16);
  Add(&day1, "sbp", 88, 40, 48);
  Add(&day1, "dbp", 50, 40, 48);
  Add(&day1, "fio2", 100, 60, 75, 0);
  Add(&day1, "fio2", 35, 60, 75, 1);
  Add(&day1, "pao2", 95, 80, 95);
  Add(&day1, "pao2", 60, 100, 112, 0, "06:00");
  Add(&day1, "weight", 71, 120, 150, 0);
  Add(&day1, "weight", 62, 120, 150, 1);
  Add(&day1, "height", 170, 152, 161);

  NoteFacts day2 = Note("n3", "2024-03-02T08:00:00Z");
  Add(&day2, "pao2", 58, 0, 8);
  return {monitor, day1, day2};
}

std::vector<Observation> Observations() {
  return {Obs("o1", "3150-0", 40, "%", "2024-03-02T07:30:00Z"),
          Obs("o2", "8480-6", 85, "mm[Hg]", "2024-03-02T09:00:00Z"),
          Obs("o3", "8462-4", 40, "mm[Hg]", "2024-03-02T09:00:00Z"),
          Obs("o4", "29463-7", 80, "kg", "2024-03-03T09:00:00Z")};
}

std::vector<double> Sorted(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values;
}

TEST(DerivedAgreementTest, TimelineAndRulesDeriveTheSameValues) {
  timeline::Timeline timeline;
  rules::EncounterRecord record;
  for (const NoteFacts& note : Notes()) {
    timeline.AddNoteFacts(note);
    record.notes.push_back(note);
  }
  for (const Observation& observation : Observations()) {
    ASSERT_TRUE(timeline.AddObservation(observation).ok());
    absl::StatusOr<timeline::MappedObservation> mapped =
        timeline::MapObservation(observation, nlp::Vocabulary::Default());
    ASSERT_TRUE(mapped.ok()) << mapped.status();
    record.observations.push_back(observation);
    record.observation_keys.push_back(mapped->key);
    record.observation_values.push_back(mapped->value);
  }
  const rules::IndicatorEvaluator evaluator(record, rules::BundledLibraryForTests());

  // What each derivation should give, worked by hand.
  const std::map<std::string, std::vector<double>> expected = {
      // The monitor's 70 stands for BP 92/48; 88/50 is 62.7; the observed 85/40 is 55.
      {"map", {55, 62.7, 70}},
      // 95 over the current FiO2 of its note (35%), and so is 60 at 06:00: that FiO2 has only
      // its note's time, which does not set it apart; 58 over the FiO2 observed 30 minutes
      // before it (40%).
      {"pf_ratio", {145, 171.4, 271.4}},
      // The current weight with the height of its note; the observed weight with that height.
      {"bmi", {21.5, 27.7}},
  };
  for (const nlp::DerivedKey& key : nlp::DerivedKeys()) {
    std::vector<double> from_timeline, from_rules;
    for (const timeline::Derived& d : timeline.DerivedValues(key.key)) {
      from_timeline.push_back(d.value);
    }
    for (const rules::MeasuredValue& v : evaluator.Values(std::string(key.key))) {
      from_rules.push_back(v.value);
    }
    EXPECT_THAT(Sorted(from_timeline), ElementsAreArray(expected.at(std::string(key.key))))
        << key.key;
    EXPECT_THAT(Sorted(from_rules), ElementsAreArray(expected.at(std::string(key.key))))
        << key.key;
  }
}

}  // namespace
}  // namespace cdiscan
