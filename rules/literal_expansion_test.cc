#include "rules/literal_expansion.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "re2/re2.h"

namespace cdiscan::rules {
namespace {

using Strings = std::vector<std::string>;

// Sorted, or {"<refused>"} for nullopt.
Strings Sorted(std::optional<Strings> s) {
  if (!s) return {"<refused>"};
  std::sort(s->begin(), s->end());
  return *s;
}

TEST(ExpandToLiteralsTest, ExpandsTheSubset) {
  EXPECT_EQ(ExpandToLiterals("heart failure", 8), Strings{"heart failure"});
  EXPECT_EQ(Sorted(ExpandToLiterals("(acute )?exacerbation", 8)),
            Sorted(Strings{"acute exacerbation", "exacerbation"}));
  EXPECT_EQ(Sorted(ExpandToLiterals("hyperkal(a)?emi(a|c)", 8)),
            Sorted(Strings{"hyperkalemia", "hyperkalemic", "hyperkalaemia", "hyperkalaemic"}));
  EXPECT_EQ(Sorted(ExpandToLiterals("(?:community|hospital)[- ]acquired pneumonia", 8)),
            Sorted(Strings{"community-acquired pneumonia", "community acquired pneumonia",
                           "hospital-acquired pneumonia", "hospital acquired pneumonia"}));
  EXPECT_EQ(Sorted(ExpandToLiterals("stage [3-4]", 8)), Sorted(Strings{"stage 3", "stage 4"}));
  EXPECT_EQ(ExpandToLiterals("0\\.45 ns", 8), Strings{"0.45 ns"});
  EXPECT_EQ(Sorted(ExpandToLiterals("iv (lasix|furosemide) (drip|gtt)", 8)),
            Sorted(Strings{"iv lasix drip", "iv lasix gtt", "iv furosemide drip",
                           "iv furosemide gtt"}));
  // "lasix" is a prefix of "lasixs", but never ends at a word boundary where "lasixs" is.
  EXPECT_EQ(Sorted(ExpandToLiterals("(active|acute) (bleed|bleeding)", 8)),
            Sorted(Strings{"active bleed", "active bleeding", "acute bleed", "acute bleeding"}));
}

TEST(ExpandToLiteralsTest, RefusesWhatIsNotAFewPlainStrings) {
  for (const char* pattern :
       {"", "a*", "a+", "a{2}", "a??", "\\d+", "\\bcr", "a.b", "^a", "a$", "(?i)a", "(?P<n>a)",
        "[^a]", "[[:alpha:]]", "[a\\-b]", "(a", "a)", "caf\xc3\xa9", "[\xc3\xa9]", "\\x41",
        // Two strings that can both match at one place: RE2's preference would decide.
        "care( plan)?", "(a|a-b)c?", "(x|)", "(a\\.|a\\.b)"}) {
    EXPECT_EQ(ExpandToLiterals(pattern, 64), std::nullopt) << pattern;
  }
  EXPECT_EQ(ExpandToLiterals("(a|b|c)(d|e|f)", 8), std::nullopt);  // 9 > 8
  EXPECT_TRUE(ExpandToLiterals("(a|b|c)(d|e|f)", 9).has_value());
}

// Each string is a full match of the pattern under RE2, and every full match among many
// candidates (the strings of all patterns, and edits of them) is one of its strings.
TEST(ExpandToLiteralsTest, AgreesWithRe2) {
  const std::vector<std::string> patterns = {
      "(acute )?exacerbation", "hyperkal(a)?emi(a|c)", "(community|hospital)[- ]acquired pneumonia",
      "(2|two) person (total )?assist", "(chf|heart failure|hfref|hfpef|hf) exacerbation",
      "(acute )?(metabolic |toxic )?encephalopathy", "stage [1-4]", "(bibasilar )?(rales|crackles)",
      "non-?ischemic", "(?:a|b)(?:c|d)?e",
  };
  std::vector<std::string> candidates;
  for (const std::string& p : patterns) {
    std::optional<Strings> strings = ExpandToLiterals(p, 16);
    ASSERT_TRUE(strings.has_value()) << p;
    for (const std::string& s : *strings) {
      candidates.push_back(s);
      candidates.push_back(s + "s");
      candidates.push_back(s.substr(1));
      candidates.push_back(s.substr(0, s.size() - 1));
      candidates.push_back(" " + s);
    }
  }
  for (const std::string& p : patterns) {
    const RE2 re(p);
    ASSERT_TRUE(re.ok()) << p;
    const Strings strings = *ExpandToLiterals(p, 16);
    for (const std::string& s : strings) EXPECT_TRUE(RE2::FullMatch(s, re)) << p << " / " << s;
    for (const std::string& c : candidates) {
      const bool listed = std::find(strings.begin(), strings.end(), c) != strings.end();
      EXPECT_EQ(RE2::FullMatch(c, re), listed) << p << " / " << c;
    }
  }
}

TEST(ExpandToLiteralsInPreferenceOrderTest, KeepsStringsThatMatchAtOnePlaceInRe2sOrder) {
  EXPECT_EQ(ExpandToLiteralsInPreferenceOrder("pressors?", 8), (Strings{"pressors", "pressor"}));
  EXPECT_EQ(ExpandToLiteralsInPreferenceOrder("transfus(?:ion|ions|e)", 8),
            (Strings{"transfusion", "transfusions", "transfuse"}));
  EXPECT_EQ(ExpandToLiteralsInPreferenceOrder("(a|)(b|ab)", 8), (Strings{"ab", "aab", "b"}));
  for (const char* pattern : {"", "a*", "\\d", "\\bcr", "(x|)", "a?", "(?:a)??"}) {
    EXPECT_EQ(ExpandToLiteralsInPreferenceOrder(pattern, 64), std::nullopt) << pattern;
  }
}

// The first string found at the leftmost place where any is found is RE2's leftmost-first
// match of the pattern, on texts made of pieces of the strings.
TEST(ExpandToLiteralsInPreferenceOrderTest, FirstStringAtTheLeftmostPlaceIsRe2sMatch) {
  const std::vector<std::string> patterns = {
      "pressors?", "transfus(?:ed|ion|ions|e|ing)", "(?:po|oral) (?:lasix|furosemide|bumex)",
      "tf @", "(a|)(b|ab)", "(?:ab|a)?b", "care( plan)?", "(a\\.|a\\.b)", "x[- ]?y",
      "ciwa(?:-ar)?(?: protocol| scale| scores?)?", "(?:b|a|ab|ba)(?:a|b)?",
  };
  const std::vector<std::string> pieces = {"a", "b", "ab", ".", " ", "-", "x", "y", "po ",
                                           "oral ", "lasix", "pressor", "s", "transfus", "ion",
                                           "e", "ed", "tf", "@", "care", " plan", "ciwa", "-ar",
                                           " scale", " score", "furosemide", "bumex"};
  uint32_t seed = 12345;
  auto next = [&seed] { return (seed = seed * 1103515245u + 12345u) >> 16; };
  int compared = 0;
  for (const std::string& p : patterns) {
    const RE2 re(p);
    ASSERT_TRUE(re.ok()) << p;
    const std::optional<Strings> strings = ExpandToLiteralsInPreferenceOrder(p, 64);
    ASSERT_TRUE(strings.has_value()) << p;
    for (int i = 0; i < 1000; ++i) {
      std::string text;
      for (int k = next() % 8; k >= 0; --k) text += pieces[next() % pieces.size()];
      re2::StringPiece expected;
      const bool found = re.Match(text, 0, text.size(), RE2::UNANCHORED, &expected, 1);
      size_t best_at = std::string::npos;
      std::string best;
      for (const std::string& s : *strings) {
        const size_t at = text.find(s);
        if (at < best_at) {
          best_at = at;
          best = s;
        }
      }
      ASSERT_EQ(best_at != std::string::npos, found) << p << " / '" << text << "'";
      if (!found) continue;
      EXPECT_EQ(best_at, static_cast<size_t>(expected.data() - text.data())) << p << " / " << text;
      EXPECT_EQ(best, std::string(expected)) << p << " / '" << text << "'";
      ++compared;
    }
  }
  EXPECT_GT(compared, 2000);
}

}  // namespace
}  // namespace cdiscan::rules
