#include "nlp/tokenizer.h"

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace cdiscan::nlp {
namespace {

const char* KindName(TokenKind k) {
  switch (k) {
    case TokenKind::kWord: return "W";
    case TokenKind::kNumber: return "N";
    case TokenKind::kTrend: return "T";
    case TokenKind::kRatio: return "R";
    case TokenKind::kUnit: return "U";
    case TokenKind::kPunct: return "P";
  }
  return "?";
}

// "text/KIND" for each token, joined by " | ".
std::string Render(const std::string& text) {
  Tokenizer tokenizer;
  std::vector<Token> tokens;
  tokenizer.Tokenize(text, &tokens);
  std::vector<std::string> parts;
  for (const Token& t : tokens) {
    parts.push_back(text.substr(t.span.begin, t.span.size()) + "/" + KindName(t.kind));
  }
  return absl::StrJoin(parts, " | ");
}

struct Case {
  const char* name;
  std::string text;  // normalized text
  std::string tokens;
};

class TokenizerTest : public testing::TestWithParam<Case> {};

TEST_P(TokenizerTest, KeepsClinicalUnitsTogether) {
  EXPECT_EQ(Render(GetParam().text), GetParam().tokens);
}

INSTANTIATE_TEST_SUITE_P(
    Table, TokenizerTest,
    testing::Values(
        Case{"thousands", "wbc 1,450 today", "wbc/W | 1,450/N | today/W"},
        Case{"list_not_thousands", "1,2,3", "1/N | ,/P | 2/N | ,/P | 3/N"},
        Case{"decimal", "cr 0.9.", "cr/W | 0.9/N | ./P"},
        Case{"trend_right", "cr 0.9 -> 2.3 mg/dl", "cr/W | 0.9 -> 2.3/T | mg/dl/U"},
        Case{"trend_left", "2.3 <- 0.9", "2.3 <- 0.9/T"},
        Case{"trend_tight", "na 138->126", "na/W | 138->126/T"},
        Case{"trend_chain", "1.1 -> 1.8 -> 2.3", "1.1 -> 1.8 -> 2.3/T"},
        Case{"range", "0.9-2.3", "0.9-2.3/T"},
        Case{"ratio", "bp 84/46", "bp/W | 84/46/R"},
        Case{"ratio_sets", "2/4 sets", "2/4/R | sets/W"},
        Case{"units", "80 \xce\xbcmol/l, 4 l/min, 92%",
             "80/N | \xce\xbcmol/l/U | ,/P | 4/N | l/min/U | ,/P | 92/N | %/U"},
        Case{"mmol", "k 3.1 mmol/l", "k/W | 3.1/N | mmol/l/U"},
        Case{"glued_unit", "lasix 40mg", "lasix/W | 40/N | mg/U"},
        Case{"ambiguous_unit_needs_number", "in 2 l", "in/W | 2/N | l/U"},
        Case{"abbrev_periods", "lasix b.i.d. and q.d.", "lasix/W | b.i.d./W | and/W | q.d./W"},
        Case{"abbrev_slash", "h/o chf s/p cabg r/o mi", "h/o/W | chf/W | s/p/W | cabg/W | r/o/W | mi/W"},
        Case{"long_slash_splits", "fever/chills", "fever/W | //P | chills/W"},
        Case{"with_slash", "w/ fever", "w//W | fever/W"},
        Case{"hyphen_word", "non-tender x-ray", "non-tender/W | x-ray/W"},
        Case{"apostrophe", "patient's", "patient's/W"},
        Case{"ordinal", "2nd dose", "2nd/W | dose/W"},
        Case{"ge_symbol", "spo2 \xe2\x89\xa5 92", "spo2/W | \xe2\x89\xa5/P | 92/N"},
        Case{"degrees", "t 38.5 \xc2\xb0" "c", "t/W | 38.5/N | \xc2\xb0" "c/U"},
        Case{"question", "?pneumonia", "?/P | pneumonia/W"},
        Case{"colon", "fever: none", "fever/W | :/P | none/W"},
        Case{"empty", "", ""},
        // Where the plain-word and plain-integer fast paths hand over to the general scanner.
        Case{"unit_after_plain_integer", "5 min, 7 days", "5/N | min/U | ,/P | 7/N | days/W"},
        Case{"integer_at_end", "cr 40", "cr/W | 40/N"},
        Case{"integer_before_punct", "2, 2. 2/ 2- 2<",
             "2/N | ,/P | 2/N | ./P | 2/N | //P | 2/N | -/P | 2/N | </P"},
        Case{"spaced_hyphen_is_not_a_trend", "12 - 3", "12/N | -/P | 3/N"},
        Case{"arrow_after_spaces", "2  <- 3", "2  <- 3/T"},
        Case{"dangling_arrow", "na 138 ->", "na/W | 138/N | ->/P"},
        Case{"one_letter_then_period", "x. a.b", "x/W | ./P | a/W | ./P | b/W"},
        Case{"word_then_period", "4 mg. e.g. 5", "4/N | mg/U | ./P | e.g./W | 5/N"},
        Case{"unit_with_slash_after_ratio", "bp 84/46 mmhg", "bp/W | 84/46/R | mmhg/U"},
        Case{"uppercase_is_not_a_unit", "2 MG/DL", "2/N | MG/DL/W"},
        Case{"glued_ambiguous_unit", "3in 5s", "3/N | in/U | 5/N | s/U"},
        Case{"ordinal_not_a_suffix", "12rd", "12rd/W"}),
    [](const testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

TEST(TokenizerTest, IsUnit) {
  for (const char* unit : {"%", "mg/dl", "\xce\xbcmol/l", "\xc2\xb5mol/l", "/hpf", "mcg/kg/min",
                           "ml/min/1.73m2", "kg/m^2", "\xc2\xb0" "c", "units", "l", "min", "sec"}) {
    EXPECT_TRUE(Tokenizer::IsUnit(unit)) << unit;
  }
  for (const char* word : {"", "mg/d", "mg/dll", "mgs", "MG", "days", "n", "ml/min/1.73m", "units/",
                           "/", "ml/min/1.73m2/ml/min/1.73m2"}) {
    EXPECT_FALSE(Tokenizer::IsUnit(word)) << word;
  }
}

TEST(TokenizerTest, InvalidBytesDoNotStall) {
  std::string text = "a\xff\xfe" "b\xe2";
  EXPECT_EQ(Render(text), "a/W | \xff/P | \xfe/P | b/W | \xe2/P");
}

}  // namespace
}  // namespace cdiscan::nlp
