#include "nlp/context.h"

#include <string>

#include "gtest/gtest.h"
#include "nlp/normalizer.h"

namespace cdiscan::nlp {
namespace {

// "negation/temporality/experiencer" of `target` in `sentence` (both original text).
std::string Assess(const std::string& sentence, const std::string& target,
                   SectionKind section = SectionKind::kUnknown) {
  Normalizer normalizer;
  NormalizedText s, t;
  normalizer.Normalize(sentence, &s);
  normalizer.Normalize(target, &t);
  size_t at = s.text().find(t.text());
  if (at == std::string::npos) return "target not found";
  Span span{static_cast<uint32_t>(at), static_cast<uint32_t>(at + t.text().size())};
  Assertion a = ContextAnalyzer::Default().AssessInSection(s.text(), span, section);
  return std::string(NegationName(a.negation)) + "/" + std::string(TemporalityName(a.temporality)) +
         "/" + std::string(ExperiencerName(a.experiencer));
}

struct Case {
  const char* name;
  std::string sentence;
  std::string target;
  std::string expected;
  SectionKind section = SectionKind::kUnknown;
};

class ContextTest : public testing::TestWithParam<Case> {};

TEST_P(ContextTest, Assesses) {
  const Case& c = GetParam();
  EXPECT_EQ(Assess(c.sentence, c.target, c.section), c.expected) << c.sentence;
}

constexpr char kAffirmed[] = "affirmed/recent/patient";
constexpr char kNegated[] = "negated/recent/patient";
constexpr char kPossible[] = "possible/recent/patient";

INSTANTIATE_TEST_SUITE_P(
    Table, ContextTest,
    testing::Values(
        // Plain negation and its scope.
        Case{"pre_negation", "No evidence of pneumonia.", "pneumonia", kNegated},
        Case{"denies", "Patient denies chest pain.", "chest pain", kNegated},
        Case{"affirmed", "Patient reports chest pain.", "chest pain", kAffirmed},
        // NegEx failure cases.
        Case{"is_negative_for", "The urine culture is negative for E. coli.", "e. coli", kNegated},
        Case{"x_negative", "Influenza PCR negative.", "influenza", kNegated},
        // Regression: a post-negation must not reach back across a comma into another clause
        // that has its own trigger.
        Case{"post_negation_stops_at_clause",
             "Sepsis improving, if cultures negative will narrow antibiotics.", "sepsis",
             kAffirmed},
        Case{"x_colon_none", "Chest pain: none.", "chest pain", kNegated},
        Case{"x_colon_denies", "Abdominal pain: denies.", "abdominal pain", kNegated},
        Case{"colon_no_list", "ROS: no fever, chills.", "chills", kNegated},
        Case{"comma_list_first", "No fever, chills, or cough.", "fever", kNegated},
        Case{"comma_list_last", "No fever, chills, or cough.", "cough", kNegated},
        Case{"long_list", "Denies headache, vision changes, chest pain, palpitations, nausea, "
                          "vomiting, diarrhea, or abdominal pain.", "abdominal pain", kNegated},
        Case{"scope_stops_at_but", "No fever but has a productive cough.", "cough", kAffirmed},
        Case{"scope_stops_at_however", "Denies chest pain, however reports dyspnea.", "dyspnea",
             kAffirmed},
        Case{"scope_stops_at_which", "No pneumonia which explains the sepsis.", "sepsis",
             kAffirmed},
        Case{"scope_window", "No signs of distress and the patient later developed sepsis in "
                             "the intensive care unit.", "sepsis", kAffirmed},
        Case{"pseudo_no_change", "No change in his heart failure symptoms.", "heart failure",
             kAffirmed},
        Case{"pseudo_gram_negative", "Gram negative bacteremia.", "bacteremia", kAffirmed},
        Case{"ruled_out", "Pulmonary embolism was ruled out.", "pulmonary embolism", kNegated},
        Case{"rule_out", "CT to rule out pulmonary embolism.", "pulmonary embolism", kPossible},
        Case{"r_o", "R/O MI.", "mi", kPossible},
        Case{"not_ruled_out", "MI has not been ruled out.", "mi", kPossible},
        Case{"no_longer", "She no longer has chest pain.", "chest pain", kNegated},
        Case{"unlikely_after", "Pancreatitis unlikely.", "pancreatitis", kNegated},
        // Uncertainty.
        Case{"probable", "Probable pneumonia.", "pneumonia", kPossible},
        Case{"concern_for", "Concern for sepsis.", "sepsis", kPossible},
        Case{"suspected", "Suspected aspiration.", "aspiration", kPossible},
        Case{"likely_after_comma_is_not_backward", "Hyponatremia, likely SIADH.", "hyponatremia",
             kAffirmed},
        Case{"question_mark", "Sinusitis?", "sinusitis", kPossible},
        Case{"cannot_exclude", "Cholecystitis cannot be excluded.", "cholecystitis", kPossible},
        Case{"versus", "Pneumonia versus atelectasis.", "atelectasis", kPossible},
        // Temporality.
        Case{"history_of", "History of stroke.", "stroke", "affirmed/historical/patient"},
        Case{"s_p", "s/p CABG.", "cabg", "affirmed/historical/patient"},
        Case{"resolved", "Pneumonia, resolved.", "pneumonia", "affirmed/historical/patient"},
        Case{"year", "GI bleed in 2018.", "gi bleed", "affirmed/historical/patient"},
        Case{"years_ago", "Hernia repair 5 years ago.", "hernia", "affirmed/historical/patient"},
        Case{"age_is_not_history", "65 year old man with sepsis.", "sepsis", kAffirmed},
        Case{"if_you_develop", "Return if you develop chest pain.", "chest pain",
             "affirmed/hypothetical/patient"},
        Case{"prophylaxis", "DVT prophylaxis.", "dvt", "affirmed/hypothetical/patient"},
        Case{"prn", "Oxycodone as needed for pain.", "pain", "affirmed/hypothetical/patient"},
        Case{"no_history", "No history of gout.", "gout", "negated/historical/patient"},
        // Experiencer.
        Case{"mother_had", "Mother had breast cancer.", "breast cancer", "affirmed/recent/other"},
        Case{"in_his_father", "Melanoma in his father.", "melanoma", "affirmed/recent/other"},
        Case{"family_history_of", "Family history of colon cancer.", "colon cancer",
             "affirmed/recent/other"},
        Case{"wife_reports", "Wife reports he had a seizure.", "seizure", kAffirmed},
        Case{"accompanied_by_wife", "Chest pain, accompanied by his wife.", "chest pain",
             kAffirmed},
        // Sections: defaults where the sentence says nothing, explicit cues win.
        Case{"family_section", "Diabetes.", "diabetes", "affirmed/recent/other",
             SectionKind::kFamilyHistory},
        Case{"pmh_section", "CHF.", "chf", "affirmed/historical/patient",
             SectionKind::kPastMedicalHistory},
        Case{"instructions_section", "Fever or chills.", "fever",
             "affirmed/hypothetical/patient", SectionKind::kPatientInstructions},
        Case{"problem_list_recent", "Sepsis.", "sepsis", kAffirmed, SectionKind::kProblemList},
        Case{"pmh_section_negation_kept", "No diabetes.", "diabetes",
             "negated/historical/patient", SectionKind::kPastMedicalHistory},
        Case{"instructions_explicit_history", "History of falls.", "falls",
             "affirmed/historical/patient", SectionKind::kPatientInstructions}),
    [](const testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

TEST(ContextAnalyzerTest, CreateReportsBadLexiconLine) {
  auto bad = ContextAnalyzer::Create("no\tNEGATED\tforward\nx\tMAYBE\tforward\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(ContextAnalyzer::Create("(a|(b))\tNEGATED\tforward\n").ok());
  EXPECT_FALSE(ContextAnalyzer::Create("no\tNEGATED\tsideways\n").ok());
}

TEST(ContextAnalyzerTest, CustomLexicon) {
  auto analyzer = ContextAnalyzer::Create("sans\tNEGATED\tforward\n");
  ASSERT_TRUE(analyzer.ok());
  Assertion a = (*analyzer)->Assess("sans fever", Span{5, 10});
  EXPECT_EQ(a.negation, Negation::kNegated);
  EXPECT_EQ((*analyzer)->Assess("no fever", Span{3, 8}).negation, Negation::kAffirmed);
}

// Every case assessed again through one cache, twice over (the second round all hits), gives
// what it gives without one.
TEST(ContextAnalyzerTest, CacheChangesNothing) {
  const ContextAnalyzer& context = ContextAnalyzer::Default();
  ContextCache cache;
  const std::string sentence = "no fever, chills, or cough; mother had breast cancer in 2015.";
  for (int round = 0; round < 2; ++round) {
    for (const char* target : {"fever", "chills", "cough", "breast cancer", "mother"}) {
      const uint32_t at = static_cast<uint32_t>(sentence.find(target));
      const Span span{at, at + static_cast<uint32_t>(std::string(target).size())};
      const Assertion plain = context.AssessInSection(sentence, span, SectionKind::kUnknown);
      const Assertion cached =
          context.AssessInSection(sentence, span, SectionKind::kUnknown, &cache);
      EXPECT_EQ(cached.negation, plain.negation) << target;
      EXPECT_EQ(cached.temporality, plain.temporality) << target;
      EXPECT_EQ(cached.experiencer, plain.experiencer) << target;
    }
  }
}

// The cache knows sentences by their address: after Clear, new text at the same address is
// read afresh.
TEST(ContextAnalyzerTest, ClearedCacheReadsNewTextAtTheSameAddress) {
  const ContextAnalyzer& context = ContextAnalyzer::Default();
  ContextCache cache;
  std::string buffer = "no fever";
  const Span fever{3, 8};
  EXPECT_EQ(context.AssessInSection(buffer, fever, SectionKind::kUnknown, &cache).negation,
            Negation::kNegated);
  cache.Clear();
  buffer.replace(0, 2, "ok");  // same address and size, other words
  EXPECT_EQ(context.AssessInSection(buffer, fever, SectionKind::kUnknown, &cache).negation,
            Negation::kAffirmed);
}

// A cache holds one analyzer's trigger ids: used with another analyzer it starts afresh; a
// moved-from cache works again.
TEST(ContextAnalyzerTest, CacheFollowsItsAnalyzerAndSurvivesAMove) {
  auto custom = ContextAnalyzer::Create("sans\tNEGATED\tforward\n");
  ASSERT_TRUE(custom.ok());
  const std::string sentence = "no fever sans cough";
  const Span fever{3, 8}, cough{14, 19};
  ContextCache cache;
  const ContextAnalyzer& standard = ContextAnalyzer::Default();
  EXPECT_EQ(standard.AssessInSection(sentence, fever, SectionKind::kUnknown, &cache).negation,
            Negation::kNegated);
  EXPECT_EQ((*custom)->AssessInSection(sentence, fever, SectionKind::kUnknown, &cache).negation,
            Negation::kAffirmed);
  EXPECT_EQ((*custom)->AssessInSection(sentence, cough, SectionKind::kUnknown, &cache).negation,
            Negation::kNegated);
  ContextCache moved = std::move(cache);
  cache.Clear();
  EXPECT_EQ(standard.AssessInSection(sentence, fever, SectionKind::kUnknown, &cache).negation,
            Negation::kNegated);
  EXPECT_EQ(standard.AssessInSection(sentence, fever, SectionKind::kUnknown, &moved).negation,
            Negation::kNegated);
}

TEST(ContextAnalyzerTest, EmptyTargetDoesNotCrash) {
  Assertion a = ContextAnalyzer::Default().Assess("no fever", Span{8, 8});
  EXPECT_EQ(a.experiencer, Experiencer::kPatient);
}

}  // namespace
}  // namespace cdiscan::nlp
