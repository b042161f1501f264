#include "nlp/note_analysis.h"

#include <string>

#include "gtest/gtest.h"

namespace cdiscan::nlp {
namespace {

constexpr char kNote[] =
    "HPI: 72F with fever and hypotension. No chest pain.\r\n"
    "PMH: CHF, CKD 3\r\n"
    "Family History: Mother with breast cancer.\r\n"
    "Assessment and Plan:\r\n"
    "1. Sepsis, likely urinary source.\r\n"
    "2. Possible pneumonia.\r\n"
    "Discharge Instructions: Return if you have fever.\r\n";

struct Case {
  const char* name;
  std::string mention;  // first occurrence (case-insensitive) in the note
  SectionKind section;
  Assertion expected;
};

class NoteAnalysisTest : public testing::TestWithParam<Case> {};

TEST_P(NoteAnalysisTest, AssessesMentionInContext) {
  const Case& c = GetParam();
  const NoteAnalyzer& analyzer = NoteAnalyzer::Default();
  AnalyzedNote note;
  analyzer.Analyze(kNote, &note);
  size_t at = note.normalized.text().find(c.mention);
  ASSERT_NE(at, std::string::npos);
  Span mention{static_cast<uint32_t>(at), static_cast<uint32_t>(at + c.mention.size())};
  EXPECT_EQ(note.SectionAt(mention.begin), c.section);
  Assertion a = analyzer.Assess(note, mention);
  EXPECT_EQ(a.negation, c.expected.negation);
  EXPECT_EQ(a.temporality, c.expected.temporality);
  EXPECT_EQ(a.experiencer, c.expected.experiencer);
  // The evidence slices the original text.
  Span original = note.normalized.ToOriginal(mention.begin, mention.end);
  std::string evidence = std::string(kNote).substr(original.begin, original.size());
  for (char& ch : evidence) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(evidence, c.mention);
}

INSTANTIATE_TEST_SUITE_P(
    Table, NoteAnalysisTest,
    testing::Values(
        Case{"hpi_affirmed", "hypotension", SectionKind::kHpi, Assertion{}},
        Case{"hpi_negated", "chest pain", SectionKind::kHpi,
             Assertion{Negation::kNegated, Temporality::kRecent, Experiencer::kPatient}},
        Case{"pmh_historical", "chf", SectionKind::kPastMedicalHistory,
             Assertion{Negation::kAffirmed, Temporality::kHistorical, Experiencer::kPatient}},
        Case{"family_other", "breast cancer", SectionKind::kFamilyHistory,
             Assertion{Negation::kAffirmed, Temporality::kRecent, Experiencer::kOther}},
        Case{"plan_affirmed", "sepsis", SectionKind::kAssessmentPlan, Assertion{}},
        Case{"plan_possible", "pneumonia", SectionKind::kAssessmentPlan,
             Assertion{Negation::kPossible, Temporality::kRecent, Experiencer::kPatient}},
        Case{"instructions_hypothetical", "have fever", SectionKind::kPatientInstructions,
             Assertion{Negation::kAffirmed, Temporality::kHypothetical, Experiencer::kPatient}}),
    [](const testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

TEST(AnalyzedNoteTest, LookupsOutsideTheNote) {
  AnalyzedNote note;
  NoteAnalyzer::Default().Analyze("", &note);
  EXPECT_EQ(note.SectionAt(5), SectionKind::kUnknown);
  EXPECT_TRUE(note.SentenceAt(5).empty());
}

}  // namespace
}  // namespace cdiscan::nlp
