#include "nlp/section.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "nlp/normalizer.h"

namespace cdiscan::nlp {
namespace {

// "kind[header]" for each section.
std::string Render(const std::string& original) {
  Normalizer normalizer;
  NormalizedText norm;
  normalizer.Normalize(original, &norm);
  SectionDetector detector;
  std::vector<Section> sections;
  detector.Detect(norm, &sections);
  std::vector<std::string> parts;
  for (const Section& s : sections) {
    parts.push_back(std::string(SectionKindName(s.kind)) + "[" +
                    norm.text().substr(s.header.begin, s.header.size()) + "]");
  }
  return absl::StrJoin(parts, " ");
}

struct Case {
  const char* name;
  std::string note;
  std::string sections;
};

class SectionTest : public testing::TestWithParam<Case> {};

TEST_P(SectionTest, FindsHeaders) { EXPECT_EQ(Render(GetParam().note), GetParam().sections); }

INSTANTIATE_TEST_SUITE_P(
    Table, SectionTest,
    testing::Values(
        Case{"colon_headers", "HPI: 65M with fever.\nPMH: CHF, CKD\nFamily History: mother DM",
             "hpi[hpi:] past_medical_history[pmh:] family_history[family history:]"},
        Case{"leading_unknown", "Seen today.\nAssessment: sepsis",
             "unknown[] assessment[assessment:]"},
        Case{"all_caps_alone_on_line", "PAST MEDICAL HISTORY\nHTN\nPHYSICAL EXAM\nNAD",
             "past_medical_history[past medical history] physical_exam[physical exam]"},
        Case{"numbered", "1. Assessment and Plan:\n#1 sepsis\nII. Discharge Diagnoses:\nAKI",
             "assessment_plan[1. assessment and plan:] discharge_diagnoses[ii. discharge diagnoses:]"},
        Case{"variants", "A/P: sepsis\nAssessment & Plan: x\nHospital Course: y\nROS: neg",
             "assessment_plan[a/p:] assessment_plan[assessment & plan:] "
             "hospital_course[hospital course:] review_of_systems[ros:]"},
        Case{"extra_spaces", "Past   Medical  History :  HTN", "past_medical_history[past   medical  history :]"},
        Case{"instructions", "Discharge Instructions:\nCall if fever.",
             "patient_instructions[discharge instructions:]"},
        Case{"problem_list", "Problem List:\n1. CHF", "problem_list[problem list:]"},
        Case{"labels_are_not_headers", "Labs:\nSodium: 126\nPotassium: 3.1",
             "labs[labs:]"},
        Case{"known_other_header_ends_section", "Family History: DM\nComments: none",
             "family_history[family history:] unknown[comments:]"},
        Case{"prose_with_colon", "The patient said the following about the plan: rest",
             "unknown[]"},
        Case{"crlf", "PMH:\r\nHTN\r\nPSH:\r\nCABG",
             "past_medical_history[pmh:] past_surgical_history[psh:]"},
        // A byte no header has ends the search on that line; trailing decoration does not.
        Case{"byte_no_header_has", "Plan (today): rest\nLabs 12\nPlan, then: x\nPLAN",
             "unknown[] plan[plan]"},
        Case{"trailing_decoration", "== LABS ==\nx\n[PLAN]\ny\nHPI __\nz",
             "labs[== labs ==] plan[[plan]] hpi[hpi __]"},
        Case{"decoration_then_colon", "Labs ==: 126", "labs[labs ==:]"},
        Case{"header_longer_than_limit",
             "past medical history past medical history past medical history: x", "unknown[]"}),
    [](const testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

TEST(SectionTest, SectionsCoverTheText) {
  Normalizer normalizer;
  NormalizedText norm;
  normalizer.Normalize("intro\nHPI: a\nPlan: b\n", &norm);
  SectionDetector detector;
  std::vector<Section> sections;
  detector.Detect(norm, &sections);
  ASSERT_EQ(sections.size(), 3u);
  EXPECT_EQ(sections[0].body, (Span{0, 6}));
  EXPECT_EQ(sections[1].header.begin, 6u);
  EXPECT_EQ(sections[1].body.end, sections[2].header.begin);
  EXPECT_EQ(sections[2].body.end, norm.text().size());
}

TEST(SectionKindNameTest, Names) {
  EXPECT_EQ(SectionKindName(SectionKind::kFamilyHistory), "family_history");
  EXPECT_EQ(SectionKindName(SectionKind::kUnknown), "unknown");
  EXPECT_EQ(SectionKindName(SectionKind::kPatientInstructions), "patient_instructions");
  EXPECT_EQ(SectionKindName(SectionKind::kProcedures), "procedures");
  EXPECT_EQ(SectionKindName(static_cast<SectionKind>(999)), "unknown");
}

TEST(SectionKindNameTest, EveryKindHasItsOwnName) {
  std::set<absl::string_view> names;
  for (int k = 0; k <= static_cast<int>(SectionKind::kProcedures); ++k) {
    names.insert(SectionKindName(static_cast<SectionKind>(k)));
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(SectionKind::kProcedures) + 1);
  EXPECT_EQ(names.count("other"), 0u);
}

}  // namespace
}  // namespace cdiscan::nlp
