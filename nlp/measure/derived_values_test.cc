#include "nlp/measure/derived_values.h"

#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cdiscan::nlp {
namespace {

using ::testing::IsEmpty;
using ::testing::SizeIs;

absl::Time At(int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2024, 3, 1, hour, minute), absl::UTCTimeZone());
}

// A value written in note `note` at [begin, end).
SourceValue Written(double value, absl::string_view note, uint32_t begin, uint32_t end,
                uint32_t trend_position = 0) {
  SourceValue r;
  r.value = value;
  r.note_id = note;
  r.span_begin = begin;
  r.span_end = end;
  r.trend_position = trend_position;
  return r;
}

// A structured observation at `time`.
SourceValue Observed(double value, absl::Time time) {
  SourceValue r;
  r.value = value;
  r.time = time;
  r.time_written = true;
  return r;
}

TEST(DerivedKeys, NameTheirSources) {
  ASSERT_NE(FindDerivedKey("map"), nullptr);
  EXPECT_EQ(FindDerivedKey("map")->first_source, "sbp");
  EXPECT_EQ(FindDerivedKey("pf_ratio")->second_source, "fio2");
  EXPECT_EQ(FindDerivedKey("bmi")->first_source, "weight");
  EXPECT_EQ(FindDerivedKey("sodium"), nullptr);
  EXPECT_THAT(DerivedKeys(), SizeIs(3));
  // Callers rely on it: they derive each key once, from values that are all measured.
  for (const DerivedKey& key : DerivedKeys()) {
    EXPECT_EQ(FindDerivedKey(key.first_source), nullptr) << key.key;
    EXPECT_EQ(FindDerivedKey(key.second_source), nullptr) << key.key;
  }
}

TEST(MeanArterialPressures, PairsTheValuesOfOneWrittenReading) {
  // "BP 84/46 ... BP 120/80": each reading's SBP and DBP share its span.
  const std::vector<SourceValue> sbp = {Written(84, "n1", 0, 8), Written(120, "n1", 30, 39)};
  const std::vector<SourceValue> dbp = {Written(80, "n1", 30, 39), Written(46, "n1", 0, 8)};
  const std::vector<DerivedReading> maps = MeanArterialPressures(sbp, dbp, {});
  ASSERT_THAT(maps, SizeIs(2));
  EXPECT_EQ(maps[0].value, 58.7);  // 58.67, kept to a tenth as it is shown
  EXPECT_EQ(maps[0].first, 0u);
  EXPECT_EQ(maps[0].second, 1u);
  EXPECT_EQ(maps[1].value, 93.3);
}

TEST(MeanArterialPressures, PairsTrendPositionsOfOneSpan) {
  // "BP 120/80 -> 84/46": one span, two readings.
  const std::vector<SourceValue> sbp = {Written(120, "n1", 0, 20, 0), Written(84, "n1", 0, 20, 1)};
  const std::vector<SourceValue> dbp = {Written(46, "n1", 0, 20, 1), Written(80, "n1", 0, 20, 0)};
  const std::vector<DerivedReading> maps = MeanArterialPressures(sbp, dbp, {});
  ASSERT_THAT(maps, SizeIs(2));
  EXPECT_EQ(maps[0].value, 93.3);
  EXPECT_EQ(maps[1].value, 58.7);
}

TEST(MeanArterialPressures, DoesNotPairAcrossReadingsOrNotes) {
  const std::vector<SourceValue> sbp = {Written(84, "n1", 0, 8), Observed(90, At(6))};
  const std::vector<SourceValue> dbp = {Written(46, "n2", 0, 8), Written(40, "n1", 12, 20),
                                    Observed(50, At(7))};
  EXPECT_THAT(MeanArterialPressures(sbp, dbp, {}), IsEmpty());
}

TEST(MeanArterialPressures, PairsObservationsOfOneTime) {
  const std::vector<SourceValue> sbp = {Observed(90, At(6))};
  const std::vector<SourceValue> dbp = {Observed(45, At(6))};
  const std::vector<DerivedReading> maps = MeanArterialPressures(sbp, dbp, {});
  ASSERT_THAT(maps, SizeIs(1));
  EXPECT_EQ(maps[0].value, 60);
}

TEST(MeanArterialPressures, AWrittenMapStandsForItsReading) {
  // "BP 84/46 (MAP 59)  ...  BP 120/80": only the second reading gets a computed MAP.
  const std::vector<SourceValue> sbp = {Written(84, "n1", 0, 8), Written(120, "n1", 60, 69)};
  const std::vector<SourceValue> dbp = {Written(46, "n1", 0, 8), Written(80, "n1", 60, 69)};
  const std::vector<SourceValue> map = {Written(59, "n1", 10, 16)};
  const std::vector<DerivedReading> maps = MeanArterialPressures(sbp, dbp, map);
  ASSERT_THAT(maps, SizeIs(1));
  EXPECT_EQ(maps[0].first, 1u);
  // A MAP observation at the reading's time stands for it too.
  EXPECT_THAT(MeanArterialPressures({Observed(90, At(6))}, {Observed(45, At(6))},
                                    {Observed(60, At(6))}),
              IsEmpty());
}

TEST(MeanArterialPressures, AWrittenMapIsTheNearestReadings) {
  // "BP 92/48 BP 120/80 (MAP 93)": the MAP is the second reading's; the first gets 62.7.
  std::vector<SourceValue> sbp = {Written(92, "n1", 0, 8), Written(120, "n1", 9, 18)};
  std::vector<SourceValue> dbp = {Written(48, "n1", 0, 8), Written(80, "n1", 9, 18)};
  std::vector<DerivedReading> maps =
      MeanArterialPressures(sbp, dbp, {Written(93, "n1", 20, 26)});
  ASSERT_THAT(maps, SizeIs(1));
  EXPECT_EQ(maps[0].value, 62.7);
  // "MAP 59, BP 84/46": written before its reading.
  EXPECT_THAT(MeanArterialPressures({Written(84, "n1", 8, 16)}, {Written(46, "n1", 8, 16)},
                                    {Written(59, "n1", 0, 6)}),
              IsEmpty());
  // "BP 84/46, HR 118, RR 22, SpO2 91%, MAP 59" (27 characters between): still the reading's;
  // 41 characters away it is not.
  EXPECT_THAT(MeanArterialPressures({Written(84, "n1", 0, 8)}, {Written(46, "n1", 0, 8)},
                                    {Written(59, "n1", 35, 41)}),
              IsEmpty());
  EXPECT_THAT(MeanArterialPressures({Written(84, "n1", 0, 8)}, {Written(46, "n1", 0, 8)},
                                    {Written(59, "n1", 49, 55)}),
              SizeIs(1));
}

TEST(MeanArterialPressures, AWrittenMapAfterATrendIsTheCurrentReadings) {
  // "BP 120/80 -> 84/46 (MAP 59)": the earlier reading still gets its MAP.
  const std::vector<SourceValue> sbp = {Written(120, "n1", 0, 19, 0), Written(84, "n1", 0, 19, 1)};
  const std::vector<SourceValue> dbp = {Written(80, "n1", 0, 19, 0), Written(46, "n1", 0, 19, 1)};
  const std::vector<DerivedReading> maps =
      MeanArterialPressures(sbp, dbp, {Written(59, "n1", 21, 27)});
  ASSERT_THAT(maps, SizeIs(1));
  EXPECT_EQ(maps[0].value, 93.3);
}

TEST(MeanArterialPressures, UntimedObservationsShareNoReading) {
  EXPECT_THAT(MeanArterialPressures({SourceValue{90}}, {SourceValue{45}}, {}), IsEmpty());
}

TEST(MeanArterialPressures, PairsEveryReadingOfALongFlowsheet) {
  // 500 hourly readings "BP s/d", every other one followed by the monitor's MAP; DBPs listed in
  // reverse.
  std::vector<SourceValue> sbp, dbp, map;
  for (uint32_t i = 0; i < 500; ++i) {
    sbp.push_back(Written(100 + i % 7, "flowsheet", i * 40, i * 40 + 10));
    dbp.insert(dbp.begin(), Written(50 + i % 5, "flowsheet", i * 40, i * 40 + 10));
    if (i % 2 == 1) map.push_back(Written(70, "flowsheet", i * 40 + 12, i * 40 + 18));
  }
  const std::vector<DerivedReading> maps = MeanArterialPressures(sbp, dbp, map);
  ASSERT_THAT(maps, SizeIs(250));
  for (const DerivedReading& m : maps) {
    EXPECT_EQ(m.first % 2, 0u);
    EXPECT_EQ(sbp[m.first].span_begin, dbp[m.second].span_begin);
  }
}

TEST(PfRatios, PairsTheNearestFiO2InTheNote) {
  // "ABG 7.30/50/55 on FiO2 40% ... later PaO2 80 on FiO2 60%".
  const std::vector<SourceValue> pao2 = {Written(55, "n1", 0, 14), Written(80, "n1", 100, 108)};
  const std::vector<SourceValue> fio2 = {Written(40, "n1", 18, 27), Written(60, "n1", 112, 120)};
  const std::vector<DerivedReading> ratios = PfRatios(pao2, fio2, absl::Hours(2));
  ASSERT_THAT(ratios, SizeIs(2));
  EXPECT_EQ(ratios[0].value, 137.5);
  EXPECT_EQ(ratios[0].second, 0u);
  EXPECT_EQ(ratios[1].value, 133.3);
  EXPECT_EQ(ratios[1].second, 1u);
}

TEST(PfRatios, PairsOnlyCurrentValuesOfWrittenTrends) {
  // "Vent: FiO2 100% -> 35%. ABG 7.41/38/95": 95 / 0.35, not 95 / 1.0.
  std::vector<DerivedReading> ratios =
      PfRatios({Written(95, "n1", 30, 45)},
               {Written(100, "n1", 6, 21, 0), Written(35, "n1", 6, 21, 1)}, absl::Hours(2));
  ASSERT_THAT(ratios, SizeIs(1));
  EXPECT_EQ(ratios[0].value, 271.4);
  EXPECT_EQ(ratios[0].second, 1u);
  // "PaO2 55 -> 88 on FiO2 40%": the current PaO2 only.
  ratios = PfRatios({Written(55, "n1", 0, 13, 0), Written(88, "n1", 0, 13, 1)},
                    {Written(40, "n1", 17, 26)}, absl::Hours(2));
  ASSERT_THAT(ratios, SizeIs(1));
  EXPECT_EQ(ratios[0].value, 220);
}

TEST(PfRatios, ValuesOfOneNoteWithWrittenTimesFarApartDoNotPair) {
  // "PaO2 60 at 06:00 ... FiO2 40% at 14:00".
  SourceValue pao2 = Written(60, "n1", 0, 8);
  pao2.time = At(6);
  pao2.time_written = true;
  SourceValue fio2 = Written(40, "n1", 20, 28);
  fio2.time = At(14);
  fio2.time_written = true;
  EXPECT_THAT(PfRatios({pao2}, {fio2}, absl::Hours(2)), IsEmpty());
  fio2.time = At(7);
  EXPECT_THAT(PfRatios({pao2}, {fio2}, absl::Hours(2)), SizeIs(1));
  // "ABG 7.30/50/55 at 06:00 on FiO2 50%" in a note written at 14:00: the FiO2 has only the
  // note's time, which does not set it apart.
  fio2.time = At(14);
  fio2.time_written = false;
  EXPECT_THAT(PfRatios({pao2}, {fio2}, absl::Hours(2)), SizeIs(1));
}

TEST(PfRatios, PairsAcrossNotesOnlyWithinTheWindow) {
  SourceValue pao2 = Written(66, "n1", 0, 8);
  pao2.time = At(6, 30);
  SourceValue late = Written(90, "n3", 0, 8);
  late.time = At(12);
  SourceValue fio2 = Written(60, "n2", 0, 8);
  fio2.time = At(6);
  const std::vector<DerivedReading> ratios =
      PfRatios(std::vector<SourceValue>{pao2, late}, std::vector<SourceValue>{fio2},
               absl::Hours(2));
  ASSERT_THAT(ratios, SizeIs(1));
  EXPECT_EQ(ratios[0].value, 110);
  EXPECT_EQ(ratios[0].first, 0u);
}

TEST(PfRatios, NeedsAnFiO2OfAtLeastRoomAir) {
  // An untimed PaO2 in another note has nothing to pair with; FiO2 below 21% is not usable.
  EXPECT_THAT(PfRatios({Written(60, "n1", 0, 8)}, {Written(40, "n2", 0, 8)}, absl::Hours(2)),
              IsEmpty());
  EXPECT_THAT(PfRatios({Written(60, "n1", 0, 8)}, {Written(4, "n1", 10, 14)}, absl::Hours(2)),
              IsEmpty());
  EXPECT_THAT(PfRatios({Written(60, "n1", 0, 8)}, {Written(21, "n1", 10, 14)}, absl::Hours(2)),
              SizeIs(1));  // room air
}

TEST(BodyMassIndexes, FromEachCurrentWeightAndTheNearestHeight) {
  // "Wt 62 kg (was 71 kg in August), Ht 170 cm": the past weight gets no BMI.
  const std::vector<SourceValue> weight = {Written(71, "n1", 0, 30, 0),
                                           Written(62, "n1", 0, 30, 1)};
  const std::vector<SourceValue> height = {Written(150, "n0", 0, 9), Written(170, "n1", 32, 41)};
  const std::vector<DerivedReading> bmis = BodyMassIndexes(weight, height, {});
  ASSERT_THAT(bmis, SizeIs(1));
  EXPECT_EQ(bmis[0].first, 1u);
  EXPECT_EQ(bmis[0].second, 1u);
  EXPECT_EQ(bmis[0].value, 21.5);  // 21.45
}

TEST(BodyMassIndexes, UsesAHeightFromAnotherNote) {
  // Height is written once (admission); later weights use it, the nearest in time first.
  SourceValue weight = Written(120, "n2", 0, 9);
  weight.time = At(20);
  SourceValue old_height = Observed(160, At(1));
  SourceValue admission_height = Written(170, "n1", 0, 9);
  admission_height.time = At(8);
  const std::vector<DerivedReading> bmis =
      BodyMassIndexes({weight}, std::vector<SourceValue>{old_height, admission_height}, {});
  ASSERT_THAT(bmis, SizeIs(1));
  EXPECT_EQ(bmis[0].second, 1u);
  // Untimed values fall back to the first height.
  EXPECT_THAT(BodyMassIndexes({Written(120, "n2", 0, 9)}, {Written(170, "n1", 0, 9)}, {}),
              SizeIs(1));
  EXPECT_THAT(BodyMassIndexes({Written(120, "n2", 0, 9)}, {}, {}), IsEmpty());
}

TEST(BodyMassIndexes, AWrittenBmiStandsForItsNotesWeights) {
  const std::vector<SourceValue> weight = {Written(120, "n1", 0, 9), Written(118, "n2", 0, 9)};
  const std::vector<SourceValue> height = {Written(170, "n1", 12, 20)};
  const std::vector<DerivedReading> bmis =
      BodyMassIndexes(weight, height, {Written(43.2, "n1", 24, 32)});
  ASSERT_THAT(bmis, SizeIs(1));
  EXPECT_EQ(bmis[0].first, 1u);
}

TEST(Derive, DispatchesByKey) {
  DerivationOptions options;
  EXPECT_THAT(Derive(*FindDerivedKey("map"), {Written(90, "n", 0, 5)}, {Written(45, "n", 0, 5)},
                     {}, options),
              SizeIs(1));
  EXPECT_THAT(Derive(*FindDerivedKey("pf_ratio"), {Written(60, "n", 0, 5)},
                     {Written(40, "n", 9, 12)}, {}, options),
              SizeIs(1));
  EXPECT_THAT(Derive(*FindDerivedKey("bmi"), {Written(60, "n", 0, 5)},
                     {Written(160, "n", 9, 12)}, {}, options),
              SizeIs(1));
}

}  // namespace
}  // namespace cdiscan::nlp
