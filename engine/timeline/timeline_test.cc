#include "engine/timeline/timeline.h"

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cdiscan::timeline {
namespace {

using ::testing::DoubleNear;
using ::testing::HasSubstr;

MeasurementFact Fact(const std::string& key, double value, uint32_t span_begin = 0,
                     uint32_t trend_position = 0, const std::string& time = "") {
  MeasurementFact f;
  f.set_key(key);
  f.set_value(value);
  f.mutable_span()->set_begin(span_begin);
  f.mutable_span()->set_end(span_begin + 5);
  f.set_trend_position(trend_position);
  f.set_time(time);
  return f;
}

NoteFacts Note(const std::string& id, const std::string& authored_at,
               std::vector<MeasurementFact> facts) {
  NoteFacts n;
  n.set_note_id(id);
  n.set_authored_at(authored_at);
  for (MeasurementFact& f : facts) *n.add_measurement() = std::move(f);
  return n;
}

Observation Obs(const std::string& code, double value, const std::string& unit,
                const std::string& time) {
  Observation o;
  o.set_observation_id(code + "@" + time);
  o.set_code_system("http://loinc.org");
  o.set_code(code);
  o.set_value(value);
  o.set_unit(unit);
  o.set_effective_time(time);
  return o;
}

TEST(Timeline, OrdersNotesAndObservationsByTime) {
  Timeline t;
  t.AddNoteFacts(Note("n2", "2024-03-03T08:00:00Z", {Fact("creatinine", 2.3)}));
  ASSERT_TRUE(t.AddObservation(Obs("2160-0", 79.6, "umol/L", "2024-03-01T06:00:00Z")).ok());
  t.AddNoteFacts(Note("n0", "", {Fact("creatinine", 1.0)}));  // no time: last
  const std::vector<TimedValue>& v = t.Values("creatinine");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_THAT(v[0].value, DoubleNear(0.9, 0.01));
  EXPECT_EQ(v[0].source, TimedValue::Source::kObservation);
  EXPECT_EQ(v[1].note_id, "n2");
  EXPECT_FALSE(v[2].time_known);
  EXPECT_THAT(t.Min("creatinine")->value, DoubleNear(0.9, 0.01));
  EXPECT_EQ(t.Max("creatinine")->value, 2.3);
  EXPECT_EQ(t.Last("creatinine")->sources[0].note_id, "n2");
  EXPECT_TRUE(t.Values("sodium").empty());
  EXPECT_FALSE(t.Min("sodium").has_value());
}

TEST(Timeline, KdigoRatioUsesLowestValueWithinSevenDays) {
  Timeline t;
  ASSERT_TRUE(t.AddObservation(Obs("2160-0", 0.7, "mg/dL", "2024-02-20T06:00:00Z")).ok());  // >7 d
  ASSERT_TRUE(t.AddObservation(Obs("2160-0", 0.9, "mg/dL", "2024-03-01T06:00:00Z")).ok());
  ASSERT_TRUE(t.AddObservation(Obs("2160-0", 1.4, "mg/dL", "2024-03-02T06:00:00Z")).ok());
  ASSERT_TRUE(t.AddObservation(Obs("2160-0", 2.3, "mg/dL", "2024-03-03T05:40:00Z")).ok());
  std::optional<Derived> ratio = t.MaxRatioToBaseline("creatinine");
  ASSERT_TRUE(ratio.has_value());
  EXPECT_THAT(ratio->value, DoubleNear(2.3 / 0.9, 1e-9));
  ASSERT_EQ(ratio->sources.size(), 2u);
  EXPECT_EQ(ratio->sources[0].value, 0.9);
  EXPECT_EQ(ratio->sources[1].value, 2.3);
  EXPECT_FALSE(ratio->approximate_time);
  EXPECT_EQ(ratio->Describe(),
            "creatinine 0.9 (2024-03-01 06:00) -> creatinine 2.3 (2024-03-03 05:40): 2.556");

  std::optional<Derived> rise = t.MaxRiseWithin("creatinine");
  ASSERT_TRUE(rise.has_value());
  EXPECT_THAT(rise->value, DoubleNear(1.4, 1e-9));  // 0.9 -> 2.3 is 47h40m apart
  EXPECT_EQ(t.Baseline(t.Values("creatinine")[3])->value, 0.9);
  EXPECT_FALSE(t.Baseline(t.Values("creatinine")[0]).has_value());
}

TEST(Timeline, RiseOutsideWindowIsNotCounted) {
  Timeline t;
  ASSERT_TRUE(t.AddObservation(Obs("2160-0", 0.9, "mg/dL", "2024-03-01T06:00:00Z")).ok());
  ASSERT_TRUE(t.AddObservation(Obs("2160-0", 1.3, "mg/dL", "2024-03-04T06:00:00Z")).ok());
  EXPECT_FALSE(t.MaxRiseWithin("creatinine").has_value());
}

TEST(Timeline, WrittenTrendInOneNoteIsOrderedAndApproximate) {
  Timeline t;
  // "Cr 2.3 <- 0.9": extractor gives 0.9 position 0, 2.3 position 1, same span.
  t.AddNoteFacts(Note("n1", "2024-03-03T08:00:00Z",
                      {Fact("creatinine", 0.9, 10, 0), Fact("creatinine", 2.3, 10, 1)}));
  std::optional<Derived> ratio = t.MaxRatioToBaseline("creatinine");
  ASSERT_TRUE(ratio.has_value());
  EXPECT_THAT(ratio->value, DoubleNear(2.3 / 0.9, 1e-9));
  EXPECT_TRUE(ratio->approximate_time);
  EXPECT_THAT(ratio->Describe(), HasSubstr("creatinine 0.9 (note n1) -> creatinine 2.3"));
}

TEST(Timeline, WrittenTimesAreResolved) {
  Timeline t;
  t.AddNoteFacts(Note("n1", "2024-03-03T08:00:00Z",
                      {Fact("creatinine", 0.9, 0, 0, "03/01 06:00"),
                       Fact("creatinine", 2.3, 0, 1, "03/03 07:00")}));
  const std::vector<TimedValue>& v = t.Values("creatinine");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_FALSE(v[0].time_approximate);
  EXPECT_EQ(absl::FormatTime("%m-%d", v[0].time, absl::UTCTimeZone()), "03-01");
  EXPECT_FALSE(t.MaxRiseWithin("creatinine").has_value());  // 49 h apart: outside 48 h
}

TEST(Timeline, HemoglobinDropFromFirst) {
  Timeline t;
  ASSERT_TRUE(t.AddObservation(Obs("718-7", 12.1, "g/dL", "2024-03-01T06:00:00Z")).ok());
  ASSERT_TRUE(t.AddObservation(Obs("718-7", 9.0, "g/dL", "2024-03-02T06:00:00Z")).ok());
  ASSERT_TRUE(t.AddObservation(Obs("718-7", 95, "g/L", "2024-03-03T06:00:00Z")).ok());
  std::optional<Derived> drop = t.DropFromFirst("hemoglobin");
  ASSERT_TRUE(drop.has_value());
  EXPECT_THAT(drop->value, DoubleNear(3.1, 1e-9));
  EXPECT_EQ(drop->sources[1].value, 9.0);
  EXPECT_EQ(t.CountBelow("hemoglobin", 12), 2);
  EXPECT_EQ(t.CountAbove("hemoglobin", 12), 1);
}

TEST(Timeline, PfRatioPairsPaO2WithNearestFiO2) {
  Timeline t;
  ASSERT_TRUE(t.AddObservation(Obs("3150-0", 60, "%", "2024-03-01T06:00:00Z")).ok());
  ASSERT_TRUE(t.AddObservation(Obs("2703-7", 66, "mm[Hg]", "2024-03-01T06:30:00Z")).ok());
  ASSERT_TRUE(t.AddObservation(Obs("2703-7", 90, "mm[Hg]", "2024-03-01T12:00:00Z")).ok());  // no FiO2 near
  std::optional<Derived> pf = t.MinPfRatio();
  ASSERT_TRUE(pf.has_value());
  EXPECT_EQ(pf->value, 110);
  EXPECT_EQ(pf->sources[0].key, "pao2");
  EXPECT_EQ(pf->sources[1].key, "fio2");
}

TEST(Timeline, BmiWrittenOrFromWeightAndHeight) {
  Timeline computed;
  computed.AddNoteFacts(Note("n1", "2024-03-01T08:00:00Z",
                             {Fact("weight", 120, 0), Fact("height", 170, 20)}));
  ASSERT_TRUE(computed.Bmi().has_value());
  EXPECT_EQ(computed.Bmi()->value, 41.5);  // 41.52, kept to a tenth
  EXPECT_EQ(computed.Bmi()->sources.size(), 2u);

  Timeline written;
  written.AddNoteFacts(Note("n1", "2024-03-01T08:00:00Z",
                            {Fact("weight", 120, 0), Fact("height", 170, 20), Fact("bmi", 43.2, 40)}));
  EXPECT_EQ(written.Bmi()->value, 43.2);
}

TEST(Timeline, MapFromSameReadingOrWritten) {
  Timeline t;
  // "BP 84/46" -> sbp and dbp share the span; another BP in the note has its own span.
  t.AddNoteFacts(Note("n1", "2024-03-01T08:00:00Z",
                      {Fact("sbp", 84, 0), Fact("dbp", 46, 0), Fact("sbp", 120, 30),
                       Fact("dbp", 80, 30)}));
  std::optional<Derived> map = t.MinMap();
  ASSERT_TRUE(map.has_value());
  EXPECT_EQ(map->value, 58.7);  // (84 + 2 * 46) / 3, kept to a tenth
  t.AddNoteFacts(Note("n2", "2024-03-01T09:00:00Z", {Fact("map", 55, 0)}));
  EXPECT_EQ(t.MinMap()->value, 55);
}

TEST(Timeline, DerivedValuesPairAsTheRulesDo) {
  // "BP 92/48 (MAP 70) ... BP 88/50": the first reading's MAP is the written 70; the second's
  // is calculated. Both are listed, oldest first, with their sources.
  Timeline t;
  t.AddNoteFacts(Note("n1", "2024-03-01T08:00:00Z",
                      {Fact("sbp", 92, 0), Fact("dbp", 48, 0), Fact("map", 70, 12),
                       Fact("sbp", 88, 40), Fact("dbp", 50, 40)}));
  std::vector<Derived> maps = t.DerivedValues("map");
  ASSERT_EQ(maps.size(), 2u);
  EXPECT_EQ(maps[0].value, 70);
  EXPECT_EQ(maps[0].sources.size(), 1u);
  EXPECT_EQ(maps[1].value, 62.7);
  EXPECT_EQ(maps[1].sources[0].key, "sbp");
  EXPECT_EQ(maps[1].Describe(), "sbp 88 (2024-03-01 08:00) and dbp 50 (2024-03-01 08:00): 62.7");
  EXPECT_EQ(t.MinMap()->value, 62.7);
  EXPECT_TRUE(t.DerivedValues("sodium").empty());
}

TEST(Timeline, BadObservationsAreRejectedWithReason) {
  Timeline t;
  EXPECT_EQ(t.AddObservation(Obs("99999-9", 1, "mg/dL", "2024-03-01")).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(t.AddObservation(Obs("2951-2", 1260, "mmol/L", "2024-03-01")).code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(t.AddObservation(Obs("2951-2", 126, "mg", "2024-03-01")).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(t.Keys().empty());
}

}  // namespace
}  // namespace cdiscan::timeline
