#include "nlp/sentence.h"

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "nlp/normalizer.h"

namespace cdiscan::nlp {
namespace {

std::string Render(const std::string& original) {
  Normalizer normalizer;
  NormalizedText norm;
  normalizer.Normalize(original, &norm);
  SentenceSplitter splitter;
  std::vector<Span> sentences;
  splitter.Split(norm, &sentences);
  std::vector<std::string> parts;
  for (const Span& s : sentences) parts.push_back(norm.text().substr(s.begin, s.size()));
  return absl::StrJoin(parts, " | ");
}

struct Case {
  const char* name;
  std::string text;
  std::string sentences;
};

class SentenceTest : public testing::TestWithParam<Case> {};

TEST_P(SentenceTest, Splits) { EXPECT_EQ(Render(GetParam().text), GetParam().sentences); }

INSTANTIATE_TEST_SUITE_P(
    Table, SentenceTest,
    testing::Values(
        Case{"simple", "No fever. Has cough! Sepsis?", "no fever. | has cough! | sepsis?"},
        Case{"decimal", "Cr 0.9 to 2.3. Na 126.", "cr 0.9 to 2.3. | na 126."},
        Case{"numbered_inline", "1. CHF. 2. AKI.", "1. chf. | 2. aki."},
        Case{"numbered_without_periods", "1. CHF 2. AKI 3. sepsis", "1. chf | 2. aki | 3. sepsis"},
        Case{"abbreviations", "Seen by Dr. Smith vs. Dr. Jones. Lasix 40 mg b.i.d. Stable.",
             "seen by dr. smith vs. dr. jones. | lasix 40 mg b.i.d. stable."},
        Case{"q_d", "Aspirin q.d. for CAD.", "aspirin q.d. for cad."},
        Case{"header_without_period", "ASSESSMENT\nSepsis due to UTI.",
             "assessment | sepsis due to uti."},
        Case{"list_lines", "ROS:\n- no fever\n- no chills\n* cough",
             "ros: | - no fever | - no chills | * cough"},
        Case{"label_lines", "Temp: 38.5\nHR: 110\nBP: 84/46", "temp: 38.5 | hr: 110 | bp: 84/46"},
        Case{"wrapped_prose",
             "The patient is a 65 year old man who presented to the emergency department with\n"
             "fever and hypotension.",
             "the patient is a 65 year old man who presented to the emergency department with\n"
             "fever and hypotension."},
        Case{"blank_line", "Sepsis\n\nAKI", "sepsis | aki"},
        Case{"trimmed", "   spaced out.   ", "spaced out."},
        Case{"question_prefix", "?pneumonia on cxr", "?pneumonia on cxr"},
        Case{"empty", "", ""}),
    [](const testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace cdiscan::nlp
