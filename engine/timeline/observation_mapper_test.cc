#include "engine/timeline/observation_mapper.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cdiscan::timeline {
namespace {

using ::testing::DoubleNear;

TEST(ParseFhirObservation, ReadsQuantityCodingReferencesAndTime) {
  const std::string json = R"({"resourceType":"Observation","id":"o1","status":"final",
    "code":{"coding":[{"system":"http://acme.org/labs","code":"NA"},
                      {"system":"http://loinc.org","code":"2951-2","display":"Sodium"}]},
    "subject":{"reference":"Patient/p1"},"encounter":{"reference":"Encounter/e1"},
    "effectiveDateTime":"2024-03-02T06:10:00-05:00",
    "valueQuantity":{"value":126,"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"},
    "interpretation":[{"coding":[{"code":"L"}]}],
    "referenceRange":[{"low":{"value":135},"high":{"value":145}}],
    "meta":{"tag":[{"code":"x"}]}})";
  absl::StatusOr<std::vector<Observation>> obs = ParseFhirObservation(json);
  ASSERT_TRUE(obs.ok()) << obs.status();
  ASSERT_EQ(obs->size(), 1u);
  const Observation& o = (*obs)[0];
  EXPECT_EQ(o.observation_id(), "o1");
  EXPECT_EQ(o.encounter_id(), "e1");
  EXPECT_EQ(o.patient_id(), "p1");
  EXPECT_EQ(o.code_system(), "http://loinc.org");
  EXPECT_EQ(o.code(), "2951-2");
  EXPECT_EQ(o.value(), 126);
  EXPECT_EQ(o.unit(), "mmol/L");
  EXPECT_EQ(o.effective_time(), "2024-03-02T06:10:00-05:00");
  EXPECT_EQ(o.interpretation(), "L");
  EXPECT_EQ(o.reference_low(), 135);
  absl::StatusOr<MappedObservation> m = MapObservation(o);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->key, "sodium");
  EXPECT_EQ(m->value, 126);
}

TEST(ParseFhirObservation, BloodPressurePanelGivesComponents) {
  const std::string json = R"({"resourceType":"Observation","id":"bp",
    "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
    "encounter":{"reference":"urn:uuid:e9"},"effectivePeriod":{"start":"2024-03-02T06:00:00Z"},
    "component":[
      {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":84,"unit":"mm[Hg]"}},
      {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":46,"unit":"mm[Hg]"}}]})";
  absl::StatusOr<std::vector<Observation>> obs = ParseFhirObservation(json);
  ASSERT_TRUE(obs.ok()) << obs.status();
  ASSERT_EQ(obs->size(), 2u);
  EXPECT_EQ((*obs)[0].encounter_id(), "e9");
  EXPECT_EQ((*obs)[0].effective_time(), "2024-03-02T06:00:00Z");
  EXPECT_EQ(MapObservation((*obs)[0])->key, "sbp");
  EXPECT_EQ(MapObservation((*obs)[1])->key, "dbp");
  EXPECT_EQ(MapObservation((*obs)[1])->value, 46);
}

TEST(ParseFhirObservation, RejectsWhatIsNotAQuantityObservation) {
  EXPECT_FALSE(ParseFhirObservation("not json").ok());
  EXPECT_FALSE(ParseFhirObservation(R"({"resourceType":"Patient","id":"p"})").ok());
  EXPECT_FALSE(ParseFhirObservation(
                   R"({"resourceType":"Observation","id":"o","valueString":"positive"})")
                   .ok());
}

TEST(ParseObservationLine, ReadsCdiscanJsonl) {
  absl::StatusOr<std::vector<Observation>> obs = ParseObservationLine(
      R"({"observation_id":"x","encounter_id":"e1","code":"2160-0","value":203,"unit":"umol/L","effectiveTime":"2024-03-01","extra":1})");
  ASSERT_TRUE(obs.ok()) << obs.status();
  absl::StatusOr<MappedObservation> m = MapObservation((*obs)[0]);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->key, "creatinine");
  EXPECT_THAT(m->value, DoubleNear(2.296, 0.001));
  EXPECT_EQ(m->unit, "mg/dL");
}

struct UnitCase {
  std::string code;
  double value;
  std::string unit;
  std::string key;
  double expected;
};

class UnitConversionTest : public ::testing::TestWithParam<UnitCase> {};

TEST_P(UnitConversionTest, ConvertsToCanonical) {
  const UnitCase& c = GetParam();
  Observation o;
  o.set_code(c.code);
  o.set_value(c.value);
  o.set_unit(c.unit);
  absl::StatusOr<MappedObservation> m = MapObservation(o);
  ASSERT_TRUE(m.ok()) << c.code << " " << c.unit << ": " << m.status();
  EXPECT_EQ(m->key, c.key);
  EXPECT_THAT(m->value, DoubleNear(c.expected, 0.01)) << c.code << " " << c.unit;
}

INSTANTIATE_TEST_SUITE_P(
    Units, UnitConversionTest,
    ::testing::ValuesIn(std::vector<UnitCase>{
        {"2160-0", 176.8, "umol/L", "creatinine", 2.0},
        {"2160-0", 2.0, "mg/dL", "creatinine", 2.0},
        {"2345-7", 10, "mmol/L", "glucose", 180.16},
        {"2345-7", 180, "mg/dL", "glucose", 180},
        {"8310-5", 101.2, "[degF]", "temperature", 38.44},
        {"8310-5", 38.5, "Cel", "temperature", 38.5},
        {"29463-7", 154, "[lb_av]", "weight", 69.85},
        {"29463-7", 70, "kg", "weight", 70},
        {"718-7", 95, "g/L", "hemoglobin", 9.5},
        {"718-7", 9.5, "g/dL", "hemoglobin", 9.5},
        {"2524-7", 36, "mg/dL", "lactate", 4.0},
        {"6690-2", 12400, "/uL", "wbc", 12.4},
        {"6690-2", 12.4, "10*3/uL", "wbc", 12.4},
        {"777-3", 85, "10*9/L", "platelets", 85},
        {"1975-2", 34.2, "umol/L", "bilirubin", 2.0},
        {"33914-3", 45, "mL/min/{1.73_m2}", "egfr", 45},
        {"33914-3", 45, "mL/min", "egfr", 45},
        {"89579-7", 45, "ng/L", "troponin", 0.045},
        {"2703-7", 8, "kPa", "pao2", 60.0},
        {"3150-0", 0.4, "", "fio2", 40},
        {"8302-2", 66, "[in_i]", "height", 167.64},
    }));

TEST(ObservationMapper, EveryObservationInTheFhirSampleMapsOrIsKnownUnmapped) {
  std::ifstream in("engine/timeline/testdata/fhir_observations_sample.ndjson");
  ASSERT_TRUE(in.good());
  std::string line;
  int mapped = 0, unmapped = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    absl::StatusOr<std::vector<Observation>> obs = ParseObservationLine(line);
    ASSERT_TRUE(obs.ok()) << obs.status();
    for (const Observation& o : *obs) {
      EXPECT_FALSE(o.encounter_id().empty());
      absl::StatusOr<MappedObservation> m = MapObservation(o);
      if (m.ok()) {
        ++mapped;
      } else {
        // MCV is not a CDI indicator; everything else in the sample must map.
        EXPECT_EQ(o.code(), "787-2") << m.status();
        ++unmapped;
      }
    }
  }
  EXPECT_EQ(mapped, 17);
  EXPECT_EQ(unmapped, 1);
}

}  // namespace
}  // namespace cdiscan::timeline
