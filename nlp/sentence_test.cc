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
        Case{"empty", "", ""},
        // The splitter stops only at newlines, terminators and digits; these pin each path.
        Case{"inline_numbers_of_one_or_two_digits", "1. CHF 2. AKI 12) sepsis 123) x",
             "1. chf | 2. aki | 12) sepsis 123) x"},
        Case{"inline_number_needs_word_before", "1. bp 120 2) aki 3) fever",
             "1. bp 120 2) aki | 3) fever"},
        Case{"terminator_then_quote", "He said \"no.\" Then left.", "he said \"no.\" | then left."},
        Case{"dotted_abbreviation", "Given abx p.o. today. Stable.", "given abx p.o. today. | stable."},
        // Lab values: their digits and decimal points are skipped, a number after a space is
        // still looked at, and a period after a decimal still ends the sentence.
        Case{"lab_values_in_a_numbered_list", "1. Na 126, K 4.1, Cr 2.3. 2. AKI",
             "1. na 126, k 4.1, cr 2.3. | 2. aki"},
        Case{"number_after_a_non_space_starts_nothing", "1. CHF 2. AKI 3)fever 4.5 mg",
             "1. chf | 2. aki 3)fever 4.5 mg"},
        Case{"digit_at_the_end", "1. CHF 2", "1. chf 2"},
        Case{"dotted_number", "Cr 1.2.3 stable", "cr 1.2.3 stable"},
        Case{"long_word_before_period", "Seen by approxim. Done. Approx. 3 left.",
             "seen by approxim. | done. | approx. 3 left."},
        Case{"abbreviation_prefix_is_not_one", "Seen by drs. A and B. Seen by dra. C.",
             "seen by drs. a and b. | seen by dra. | c."},
        // A long line continues into the next unless that one is a list item or a label; the
        // label's colon is looked for in its first 40 bytes.
        Case{"label_colon_at_byte_39",
             "the patient was seen and examined at the bedside this morning with\n"
             "abcdefghijklmnopqrstuvwxyzabcdefghijklm: x",
             "the patient was seen and examined at the bedside this morning with | "
             "abcdefghijklmnopqrstuvwxyzabcdefghijklm: x"},
        Case{"label_colon_at_byte_40",
             "the patient was seen and examined at the bedside this morning with\n"
             "abcdefghijklmnopqrstuvwxyzabcdefghijklmn: x",
             "the patient was seen and examined at the bedside this morning with\n"
             "abcdefghijklmnopqrstuvwxyzabcdefghijklmn: x"},
        Case{"list_marker_alone_on_next_line",
             "the patient was seen and examined at the bedside this morning with\n2.",
             "the patient was seen and examined at the bedside this morning with | 2."},
        Case{"next_line_indented_list",
             "the patient was seen and examined at the bedside this morning with\n   - fever",
             "the patient was seen and examined at the bedside this morning with | - fever"},
        Case{"next_line_blank_spaces", "the patient was seen and examined at the bedside this "
             "morning with\n   \nfever", "the patient was seen and examined at the bedside this "
             "morning with | fever"}),
    [](const testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace cdiscan::nlp
