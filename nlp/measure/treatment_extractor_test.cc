#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlp/measure/measurement_extractor.h"
#include "nlp/note_analysis.h"

namespace cdiscan::nlp {
namespace {

using ::testing::ElementsAreArray;

// "key" plus " (negated)" / " (historical)" / " (possible)" / " (hypothetical)".
std::vector<std::string> Treatments(const std::string& text) {
  AnalyzedNote note;
  NoteAnalyzer::Default().Analyze(text, &note);
  google::protobuf::RepeatedPtrField<TreatmentFact> facts;
  TreatmentExtractor::Default().Extract(text, note, &facts);
  std::vector<std::string> out;
  for (const TreatmentFact& f : facts) {
    EXPECT_EQ(text.substr(f.span().begin(), f.span().end() - f.span().begin()), f.span().text());
    std::string s = f.key();
    if (f.negation() == NEGATED) absl::StrAppend(&s, " (negated)");
    if (f.negation() == POSSIBLE) absl::StrAppend(&s, " (possible)");
    if (f.temporality() == HISTORICAL) absl::StrAppend(&s, " (historical)");
    if (f.temporality() == HYPOTHETICAL) absl::StrAppend(&s, " (hypothetical)");
    out.push_back(s);
  }
  return out;
}

struct Case {
  std::string text;
  std::vector<std::string> expected;
};

class TreatmentTest : public ::testing::TestWithParam<Case> {};

TEST_P(TreatmentTest, FindsTypedIndicators) {
  EXPECT_THAT(Treatments(GetParam().text), ElementsAreArray(GetParam().expected))
      << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Lexicon, TreatmentTest,
    ::testing::ValuesIn(std::vector<Case>{
        {"Given IV Lasix 40 mg this morning.", {"iv_loop_diuretic"}},
        {"furosemide 40 mg IV BID", {"iv_loop_diuretic"}},
        {"Continue furosemide 40 mg PO daily.", {}},
        {"Started on levophed, titrating to MAP > 65.", {"vasopressor"}},
        {"3% saline at 30 mL/hr, fluid restriction 1.5 L.", {"hypertonic_saline", "fluid_restriction"}},
        {"Lokelma 10 g x1", {"potassium_binder"}},
        {"Started vancomycin and zosyn.", {"iv_antibiotics", "iv_antibiotics"}},
        {"PO vancomycin for C diff.", {}},
        {"Transfused 2 units PRBC.", {"blood_transfusion", "blood_transfusion"}},
        {"Placed on BiPAP overnight, then HFNC 40 L.", {"noninvasive_ventilation", "high_flow_nasal_cannula"}},
        {"Intubated for airway protection.", {"mechanical_ventilation"}},
        {"Lactulose 30 mL TID and rifaximin 550 mg BID", {"lactulose", "rifaximin"}},
        {"Dietitian consulted; tube feeds at 50 mL/hr.", {"dietitian_consult", "tube_feeding"}},
        {"TPN started.", {"tpn"}},
        {"CIWA protocol with lorazepam.", {"ciwa_protocol"}},
        {"Wound care consulted for sacral ulcer.", {"wound_care"}},
        {"No IV lasix given.", {"iv_loop_diuretic (negated)"}},
        {"Denies blood transfusion.", {"blood_transfusion (negated)"}},
        {"KRAS positive; SPSS analysis", {}},
    }));

TEST(TreatmentExtractor, ForKeysKeepsOnlyThoseKeys) {
  const std::string text = "IV Lasix 40 mg, levophed, PO vancomycin and cefepime.";
  AnalyzedNote note;
  NoteAnalyzer::Default().Analyze(text, &note);
  std::unique_ptr<const TreatmentExtractor> only =
      TreatmentExtractor::ForKeys({"iv_antibiotics", "vasopressor"});
  google::protobuf::RepeatedPtrField<TreatmentFact> facts;
  only->Extract(text, note, &facts);
  std::vector<std::string> keys;
  for (const TreatmentFact& f : facts) keys.push_back(f.key() + ":" + f.span().text());
  // "PO vancomycin" stays excluded even though iv_antibiotics is wanted.
  EXPECT_THAT(keys, ElementsAreArray({"vasopressor:levophed", "iv_antibiotics:cefepime"}));
}

// ForKeys writes exactly Default()'s treatments of its keys: another key's fragment that wins
// a place keeps it ("enteral nutrition" is tube feeding, so "enteral nutrition consult" holds
// no dietitian consult, whichever keys are wanted).
TEST(TreatmentExtractor, ForKeysEqualsDefaultFiltered) {
  const std::vector<std::string> texts = {
      "Enteral nutrition consult placed.", "IV Lasix 40 mg, levophed, PO vancomycin and cefepime.",
      "Insulin and dextrose, calcium gluconate, lokelma.", "Dietitian consult; TPN; tube feeds."};
  const std::vector<absl::flat_hash_set<std::string>> key_sets = {
      {"dietitian_consult"}, {"tube_feeding"}, {"iv_antibiotics", "vasopressor"},
      {"hyperkalemia_shift"}, {"potassium_binder", "tpn"}, {}};
  AnalyzedNote note;
  for (const std::string& text : texts) {
    NoteAnalyzer::Default().Analyze(text, &note);
    google::protobuf::RepeatedPtrField<TreatmentFact> all;
    TreatmentExtractor::Default().Extract(text, note, &all);
    for (const absl::flat_hash_set<std::string>& keys : key_sets) {
      std::vector<std::string> expected;
      for (const TreatmentFact& f : all) {
        if (keys.contains(f.key())) expected.push_back(f.ShortDebugString());
      }
      google::protobuf::RepeatedPtrField<TreatmentFact> some;
      TreatmentExtractor::ForKeys(keys)->Extract(text, note, &some);
      std::vector<std::string> got;
      for (const TreatmentFact& f : some) got.push_back(f.ShortDebugString());
      EXPECT_EQ(got, expected) << text << " / " << absl::StrJoin(keys, ",");
    }
  }
}

TEST(TreatmentExtractor, DoseIsNotAMeasurement) {
  const std::string text = "Lasix 80 mg IV x1, K 4.1";
  AnalyzedNote note;
  NoteAnalyzer::Default().Analyze(text, &note);
  google::protobuf::RepeatedPtrField<MeasurementFact> measurements;
  MeasurementExtractor::Default().Extract(text, note, &measurements);
  ASSERT_EQ(measurements.size(), 1);
  EXPECT_EQ(measurements[0].key(), "potassium");
}

TEST(TreatmentExtractor, RefusesFragmentsThatMightSpanSentences) {
  for (const char* risky : {"fluid\\srestriction", "iv.lasix", "lasix[^a-z]drip", "q\\. 6h",
                            "fluid\nrestriction", "iv\\W+lasix"}) {
    EXPECT_TRUE(TreatmentExtractor::MayMatchAcrossSentences(risky)) << risky;
  }
  for (const char* safe : {"fluid restriction", "0\\.45 ?% saline", "iv (lasix|furosemide)",
                           "\\d+ ?(ml|cc)/kg", "3 ?% (saline|nacl)"}) {
    EXPECT_FALSE(TreatmentExtractor::MayMatchAcrossSentences(safe)) << safe;
  }
}

}  // namespace
}  // namespace cdiscan::nlp
