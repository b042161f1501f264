#include "nlp/measure/measurement_extractor.h"

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlp/note_analysis.h"

namespace cdiscan::nlp {
namespace {

using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

// "key=value" plus, when set, "@time", "#trend_position", "!flag", "[qualifier]".
std::string Describe(const MeasurementFact& f) {
  std::string s = absl::StrFormat("%s=%g", f.key(), std::round(f.value() * 100) / 100);
  if (!f.time().empty()) absl::StrAppend(&s, " @", f.time());
  if (f.trend_position() != 0) absl::StrAppend(&s, " #", f.trend_position());
  if (!f.flag().empty()) absl::StrAppend(&s, " !", f.flag());
  if (!f.qualifier().empty()) absl::StrAppend(&s, " [", f.qualifier(), "]");
  return s;
}

struct Extracted {
  std::vector<std::string> facts;
  std::vector<std::string> dropped;  // "key: reason"
  google::protobuf::RepeatedPtrField<MeasurementFact> raw;
};

Extracted ExtractFrom(const std::string& text) {
  AnalyzedNote note;
  NoteAnalyzer::Default().Analyze(text, &note);
  Extracted e;
  std::vector<DroppedMeasurement> dropped;
  MeasurementExtractor::Default().Extract(text, note, &e.raw, &dropped);
  for (const MeasurementFact& f : e.raw) e.facts.push_back(Describe(f));
  for (const DroppedMeasurement& d : dropped) e.dropped.push_back(absl::StrCat(d.key, ": ", d.reason));
  return e;
}

struct LayoutCase {
  std::string text;
  std::vector<std::string> expected;
};

class LayoutTest : public ::testing::TestWithParam<LayoutCase> {};

TEST_P(LayoutTest, ExtractsExpectedValues) {
  const LayoutCase& c = GetParam();
  Extracted e = ExtractFrom(c.text);
  EXPECT_THAT(e.facts, ElementsAreArray(c.expected))
      << c.text << "\ndropped: " << absl::StrJoin(e.dropped, "; ");
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, LayoutTest,
    ::testing::ValuesIn(std::vector<LayoutCase>{
        {"Na 126 (L)", {"sodium=126 !L"}},
        {"Sodium: 126 mmol/L", {"sodium=126"}},
        {"Na+ 126", {"sodium=126"}},
        {"sodium 126 mEq/L, low", {"sodium=126 !L"}},
        {"NA 128 L 135-145 mmol/L", {"sodium=128 !L"}},
        {"Sodium level of 124 this morning", {"sodium=124 @this morning"}},
        {"Cr 2.3 <- 0.9", {"creatinine=0.9", "creatinine=2.3 #1"}},
        {"creatinine 0.9 -> 2.3", {"creatinine=0.9", "creatinine=2.3 #1"}},
        {"Creatinine 0.9 \xe2\x86\x92 1.4 \xe2\x86\x92 2.3 mg/dL",
         {"creatinine=0.9", "creatinine=1.4 #1", "creatinine=2.3 #2"}},
        {"Cr 2.3 (baseline 0.9)", {"creatinine=0.9 [baseline]", "creatinine=2.3 #1"}},
        {"creatinine 203 umol/L", {"creatinine=2.3"}},
        {"Cr 1.8, now 2.4", {"creatinine=1.8", "creatinine=2.4 #1"}},
        {"BNP 1,450", {"bnp=1450"}},
        {"Na 126, 128", {"sodium=126"}},
        {"lactate 4.1", {"lactate=4.1"}},
        {"lactic acid 36 mg/dL", {"lactate=4"}},
        {"SpO2 86% on RA", {"spo2=86 [room air]"}},
        {"sat 91% on 4L NC", {"spo2=91 [4L NC]"}},
        {"BP 84/46", {"sbp=84", "dbp=46"}},
        {"BP 84/46 mmHg, HR 118", {"sbp=84", "dbp=46", "heart_rate=118"}},
        {"T 39.1 C", {"temperature=39.1"}},
        {"Tmax 101.2 F", {"temperature=38.44"}},
        {"temp 101.2", {"temperature=38.44"}},
        {"RR 32", {"respiratory_rate=32"}},
        {"HR 118", {"heart_rate=118"}},
        {"BMI 43.2", {"bmi=43.2"}},
        {"BMI: 43.2 kg/m2", {"bmi=43.2"}},
        {"Wt 62 kg (was 71 kg in August)",
         {"weight=71 @August", "weight=62 #1"}},
        {"weight 154 lbs", {"weight=69.85"}},
        {"EF 25-30%", {"ejection_fraction=27.5 [range]"}},
        {"LVEF 35%", {"ejection_fraction=35"}},
        {"EF <20%", {"ejection_fraction=20 [<]"}},
        {"K 6.8 (critical)", {"potassium=6.8 !critical"}},
        {"K 2.9*", {"potassium=2.9 !abnormal"}},
        {"WBC 12,400", {"wbc=12.4"}},
        {"WBC 18.2 (H)", {"wbc=18.2 !H"}},
        {"Plt 85,000", {"platelets=85"}},
        {"Hgb 7.2 g/dL", {"hemoglobin=7.2"}},
        {"Hb 72 g/L", {"hemoglobin=7.2"}},
        {"H/H 7.2/21.5", {"hemoglobin=7.2", "hematocrit=21.5"}},
        {"Glucose 7.8 mmol/L", {"glucose=140.52"}},
        {"INR 2.3", {"inr=2.3"}},
        {"PT/INR 14.2/1.3", {"pt=14.2", "inr=1.3"}},
        {"ABG 7.21/68/55", {"ph=7.21", "paco2=68", "pao2=55"}},
        {"pH 7.21, pCO2 68, pO2 55 on FiO2 60%", {"ph=7.21", "paco2=68", "pao2=55", "fio2=60"}},
        {"FiO2 0.6", {"fio2=60"}},
        {"eGFR >60", {"egfr=60 [>]"}},
        {"Na/K/Cl/CO2/BUN/Cr/Glu: 138/4.1/101/24/22/1.1/145",
         {"sodium=138", "potassium=4.1", "chloride=101", "bicarbonate=24", "bun=22",
          "creatinine=1.1", "glucose=145"}},
        {"BUN/Cr 45/2.3", {"bun=45", "creatinine=2.3"}},
        {"Na 138 K 4.1 Cl 101 HCO3 24 BUN 22 Cr 1.1 Glu 145",
         {"sodium=138", "potassium=4.1", "chloride=101", "bicarbonate=24", "bun=22",
          "creatinine=1.1", "glucose=145"}},
        {"Na 126 on 3/2", {"sodium=126 @3/2"}},
        {"Cr 0.9 (03/01) -> 2.3 (03/03)",
         {"creatinine=0.9 @03/01", "creatinine=2.3 @03/03 #1"}},
        {"Na 131 at 06:00", {"sodium=131 @06:00"}},
        {"troponin 0.45 ng/mL", {"troponin=0.45"}},
        {"hs-troponin 45", {"troponin=0.05"}},
        {"NT-proBNP 5,400", {"nt_probnp=5400"}},
        {"albumin 2.1", {"albumin=2.1"}},
        {"prealbumin 8", {"prealbumin=8"}},
        {"ammonia 85", {"ammonia=85"}},
        {"T bili 3.2", {"bilirubin=3.2"}},
        {"fibrinogen 90", {"fibrinogen=90"}},
        {"PTT 45 sec", {"ptt=45"}},
        {"ANC 450", {"anc=0.45"}},
        {"bands 15%", {"bands=15"}},
        {"GCS 8", {"gcs=8"}},
        {"UOP 15 mL/hr", {"urine_output=15"}},
        {"MAP 58", {"map=58"}},
        {"Ht 5 ft", {}},
        {"Ht 170 cm", {"height=170"}},
        {"febrile to 39.4", {"temperature=39.4"}},
        {"tachycardic to 130s", {}},
        {"Vitals: T 38.9 P 118 R 32 BP 84/46 SpO2 88% on 2L NC",
         {"temperature=38.9", "heart_rate=118", "respiratory_rate=32", "sbp=84", "dbp=46",
          "spo2=88 [2L NC]"}},
    }));

struct RejectCase {
  std::string text;
};

class RejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(RejectTest, ExtractsNothing) {
  EXPECT_THAT(ExtractFrom(GetParam().text).facts, IsEmpty()) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Rejections, RejectTest,
    ::testing::ValuesIn(std::vector<RejectCase>{
        {"Allergies: NA"},
        {"Na restriction discussed with patient"},
        {"K-ras mutation positive"},
        {"KRAS G12C"},
        {"furosemide 40 mg IV BID"},
        {"potassium chloride 40 mEq PO x1"},
        {"K 40 mEq given"},
        {"sodium chloride 0.9% at 75 mL/hr"},
        {"sodium bicarbonate 650 mg TID"},
        {"magnesium sulfate 2 g IV"},
        {"Na 3/12 follow up"},
        {"Cr 2023-03-01"},
        {"call K 555-1234"},
        {"HR 12:30"},
        {"albumin 25 g IV"},
        {"T 4 weeks ago"},
        {"CR 2 years after chemo"},
        {"138 | 101 | 22 / 4.1 | 24 | 1.1"},
        {"sodium 1260"},
        {"weight 70"},
        {"MAP of care"},
        {"BP 84"},
        {"Hgb A1c 7.2"},
        {"Transfuse for Hgb < 7."},
        {"Tylenol 650 mg q6h prn T > 38.5"},
        {"Keep K > 4 and Mg > 2."},
        {"Hold lisinopril for BP < 90/50."},
        {"VBG: pH 7.31, pCO2 52, pO2 38."},
        {"Venous blood gas pH 7.30, pCO2 55 mmHg."},
        {"Ideal body weight 61 kg."},
        {"Dosing weight 70 kg for vancomycin."},
    }));

TEST(MeasurementExtractor, AVenousGasIsDroppedWithItsWordAndArterialOnesKept) {
  Extracted e = ExtractFrom("VBG: pO2 38. ABG: pH 7.28, PaCO2 60, PaO2 55.");
  ASSERT_EQ(e.dropped.size(), 1u);
  EXPECT_THAT(e.dropped[0], ::testing::HasSubstr("written after \"vbg\""));
  EXPECT_EQ(e.facts.size(), 3u);
  // An arterial name cancels the venous word before it, as alias or as composite.
  EXPECT_EQ(ExtractFrom("VBG pO2 38, PaO2 55").facts.size(), 1u);
  EXPECT_EQ(ExtractFrom("VBG: pO2 38. ABG 7.28/60/55").facts.size(), 3u);
  EXPECT_EQ(ExtractFrom("PaO2 55 (VBG pending)").facts.size(), 1u);
  // Any punctuation around the word.
  for (const char* text : {"(VBG) pH 7.31, pO2 38", "VBG/ABG pending; VBG- pO2 38",
                           "VBG. pCO2 52", "Venous-gas: pO2 38", "pO2 38 (VBG)",
                           "pH 7.31 (venous)"}) {
    EXPECT_THAT(ExtractFrom(text).facts, IsEmpty()) << text;
  }
}

TEST(MeasurementExtractor, ImplausibleValueIsDroppedWithReason) {
  Extracted e = ExtractFrom("sodium 1260 mmol/L");
  EXPECT_THAT(e.facts, IsEmpty());
  ASSERT_EQ(e.dropped.size(), 1u);
  EXPECT_THAT(e.dropped[0], ::testing::HasSubstr("plausible range"));
}

TEST(MeasurementExtractor, DoseUnitIsDroppedWithReason) {
  Extracted e = ExtractFrom("K 40 mg");
  EXPECT_THAT(e.facts, IsEmpty());
  ASSERT_EQ(e.dropped.size(), 1u);
  EXPECT_THAT(e.dropped[0], ::testing::HasSubstr("not a unit of potassium"));
}

TEST(MeasurementExtractor, SpansIndexTheOriginalText) {
  const std::string text = "Labs:\r\nSodium  126 (L)\r\nCr 2.3 <- 0.9 mg/dL";
  Extracted e = ExtractFrom(text);
  ASSERT_EQ(e.raw.size(), 3);
  for (const MeasurementFact& f : e.raw) {
    EXPECT_EQ(text.substr(f.span().begin(), f.span().end() - f.span().begin()), f.span().text());
  }
  EXPECT_EQ(e.raw[0].span().text(), "Sodium  126 (L)");
  EXPECT_EQ(e.raw[0].as_written(), "126");
  EXPECT_EQ(e.raw[0].unit(), "mmol/L");
  EXPECT_EQ(e.raw[1].span().text(), "Cr 2.3 <- 0.9 mg/dL");
  EXPECT_EQ(e.raw[1].as_written(), "0.9 mg/dL");
}

// The scan skips the words of a line that no digit follows (a value is a number after its
// name on the name's line); what it finds must not change.
TEST(MeasurementExtractor, ValuesOnlyFromTheAliasLine) {
  EXPECT_THAT(ExtractFrom("Sodium\n140").facts, IsEmpty());
  EXPECT_THAT(ExtractFrom("co2 normal, no labs drawn overnight\nna 140").facts,
              ElementsAreArray({"sodium=140"}));
  EXPECT_THAT(ExtractFrom("Potassium was repleted and the sodium is stable per nephrology\n"
                          "Labs notable for sodium 126 and otherwise unremarkable K 4.1")
                  .facts,
              ElementsAreArray({"sodium=126", "potassium=4.1"}));
  EXPECT_THAT(ExtractFrom("spo2 on room air\nhr 90 bp 120/80").facts,
              ElementsAreArray({"heart_rate=90", "sbp=120", "dbp=80"}));
}

TEST(MeasurementExtractor, UnicodeUnitsAndArrowsAfterNormalization) {
  Extracted e = ExtractFrom("creatinine 203 \xc2\xb5mol/L; T 39.1 \xc2\xb0" "C");
  EXPECT_THAT(e.facts, ElementsAreArray({"creatinine=2.3", "temperature=39.1"}));
}

}  // namespace
}  // namespace cdiscan::nlp

namespace cdiscan::nlp {
namespace {

TEST(MeasurementExtractor, ForKeysEqualsDefaultFilteredToKeys) {
  const std::string text =
      "Vitals: T 38.9 P 118 R 32 BP 84/46 SpO2 88% on 2L NC\n"
      "Na/K/Cl/CO2/BUN/Cr/Glu: 138/4.1/101/24/22/1.1/145\n"
      "Cr 2.3 <- 0.9, Hgb 7.1, plt 85,000, lactate 4.1\n";
  AnalyzedNote note;
  NoteAnalyzer::Default().Analyze(text, &note);
  google::protobuf::RepeatedPtrField<MeasurementFact> all;
  MeasurementExtractor::Default().Extract(text, note, &all);
  for (const absl::flat_hash_set<std::string>& keys :
       std::vector<absl::flat_hash_set<std::string>>{
           {"sodium"}, {"creatinine", "sbp"}, {"dbp"}, {"potassium", "lactate"}, {"glucose"},
           {"chloride", "bun"}, {}}) {
    std::vector<std::string> expected;
    for (const MeasurementFact& f : all) {
      if (keys.contains(f.key())) expected.push_back(f.ShortDebugString());
    }
    std::unique_ptr<const MeasurementExtractor> only = MeasurementExtractor::ForKeys(keys);
    google::protobuf::RepeatedPtrField<MeasurementFact> some;
    only->Extract(text, note, &some);
    std::vector<std::string> got;
    for (const MeasurementFact& f : some) got.push_back(f.ShortDebugString());
    EXPECT_EQ(got, expected) << absl::StrJoin(keys, ",");
  }
}

// ForKeys against Default filtered to the keys, on random lab lines: slash lists whose heads
// are unwanted ("na/cl=138/101/k 4.1"), lists next to lists, aliases with and without values,
// lines without digits. The nightly scan extracts with ForKeys, so it must lose nothing.
TEST(MeasurementExtractor, ForKeysEqualsDefaultFilteredOnRandomLines) {
  const std::vector<std::string> pieces = {
      "na", "k", "cl", "co2", "bun", "cr", "glu", "inr", "bp", "hr", "hgb", "plt", "lactate",
      "sodium", "potassium", "na/k", "na/cl", "na/k/cl", "bun/cr", "h/h", "138", "4.1", "101",
      "84/46", "2.3 <- 0.9", "7.2/21", "138/4.1", "138/101", "138/4.1/101", "(L)", "mg/dl",
      "mmol/l", " ", " ", " ", "/", ":", "=", ",", "\n", "-", "on 3/1", "today", "was"};
  const std::vector<absl::flat_hash_set<std::string>> key_sets = {
      {"chloride", "potassium"}, {"potassium"}, {"creatinine"}, {"sodium", "dbp"},
      {"inr", "hemoglobin"}, {"bun", "glucose", "lactate"}, {"hematocrit", "heart_rate"}};
  std::vector<std::unique_ptr<const MeasurementExtractor>> restricted;
  for (const auto& keys : key_sets) restricted.push_back(MeasurementExtractor::ForKeys(keys));
  std::mt19937 rng(20261122);
  AnalyzedNote note;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int n = 1 + static_cast<int>(rng() % 14);
    for (int i = 0; i < n; ++i) {
      absl::StrAppend(&text, pieces[rng() % pieces.size()], rng() % 3 == 0 ? "" : " ");
    }
    NoteAnalyzer::Default().Analyze(text, &note);
    google::protobuf::RepeatedPtrField<MeasurementFact> all;
    MeasurementExtractor::Default().Extract(text, note, &all);
    for (size_t k = 0; k < key_sets.size(); ++k) {
      std::vector<std::string> expected;
      for (const MeasurementFact& f : all) {
        if (key_sets[k].contains(f.key())) expected.push_back(f.ShortDebugString());
      }
      google::protobuf::RepeatedPtrField<MeasurementFact> some;
      restricted[k]->Extract(text, note, &some);
      std::vector<std::string> got;
      for (const MeasurementFact& f : some) got.push_back(f.ShortDebugString());
      ASSERT_EQ(got, expected) << absl::StrJoin(key_sets[k], ",") << " on \"" << text << "\"";
    }
  }
}

TEST(MeasurementExtractor, NumbersParseExactly) {
  EXPECT_THAT(ExtractFrom("Cr 0.9, K 3.35, BNP 12,450.5").facts,
              ElementsAreArray({"creatinine=0.9", "potassium=3.35", "bnp=12450.5"}));
  const Extracted e = ExtractFrom("Cr 0.9");
  ASSERT_EQ(e.raw.size(), 1);
  EXPECT_EQ(e.raw[0].value(), 0.9);  // bit-exact, as strtod would give
}

}  // namespace
}  // namespace cdiscan::nlp
