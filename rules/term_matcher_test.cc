#include "rules/term_matcher.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlp/note_analysis.h"

namespace cdiscan::rules {
namespace {

// Runs `matcher` over `note`; the mentions go to `facts`, gate matches to `gates` if not null.
void MatchNote(const TermMatcher& matcher, const std::string& note,
               google::protobuf::RepeatedPtrField<MentionFact>* facts,
               GateMatches* gates = nullptr) {
  const nlp::NoteAnalyzer& analyzer = nlp::NoteAnalyzer::Default();
  nlp::AnalyzedNote analyzed;
  analyzer.Analyze(note, &analyzed);
  matcher.Match(note, analyzed, analyzer, facts, gates);
}

// "term list: begin-end 'text'" per mention, in reported order.
std::vector<std::string> Mentions(const std::vector<TermPattern>& patterns,
                                  const std::string& note, MatcherLimits limits = {}) {
  absl::StatusOr<std::unique_ptr<TermMatcher>> matcher = TermMatcher::Build(patterns, limits);
  EXPECT_TRUE(matcher.ok()) << matcher.status();
  if (!matcher.ok()) return {};
  google::protobuf::RepeatedPtrField<MentionFact> facts;
  MatchNote(**matcher, note, &facts);
  std::vector<std::string> out;
  for (const MentionFact& m : facts) {
    out.push_back(absl::StrCat((*matcher)->term_list_name(m.term_list_id()), ": ",
                               m.span().begin(), "-", m.span().end(), " '", m.span().text(), "'"));
  }
  return out;
}

TEST(TermMatcherTest, NumbersTermListsInTheOrderOfTheirFirstPattern) {
  absl::StatusOr<std::unique_ptr<TermMatcher>> matcher = TermMatcher::Build(
      {{"b/documentation", "beta"}, {"a/documentation", "alpha"}, {"b/documentation", "bee"}});
  ASSERT_TRUE(matcher.ok()) << matcher.status();
  EXPECT_EQ((*matcher)->term_list_count(), 2u);
  EXPECT_EQ((*matcher)->TermListId("b/documentation"), 0);
  EXPECT_EQ((*matcher)->TermListId("a/documentation"), 1);
  EXPECT_EQ((*matcher)->TermListId("c/documentation"), -1);
  EXPECT_EQ((*matcher)->term_list_name(1), "a/documentation");
  EXPECT_EQ((*matcher)->term_list_name(7), "");
  // A matcher with gates numbers the lists alike: the scanner matches with one, the rules
  // read the numbers with the other.
  absl::StatusOr<std::unique_ptr<TermMatcher>> gated = (*matcher)->WithGates({Gate{{"gate"}}});
  ASSERT_TRUE(gated.ok()) << gated.status();
  EXPECT_EQ((*gated)->TermListId("a/documentation"), 1);
}

const std::vector<TermPattern> kHeartFailure = {
    {"hf/documentation", "heart failure"},
    {"hf/acuity", "acute( on chronic)? (systolic |diastolic )?heart failure"},
    {"aki/indicator", "cr"},
    {"hf/crossing", "heart failure\\. acute"},  // could only match across a sentence end
};

TEST(TermMatcherTest, FindsEveryListAtEveryPlace) {
  EXPECT_EQ(Mentions(kHeartFailure, "Acute on chronic systolic heart failure. Cr 2.3."),
            (std::vector<std::string>{
                "hf/documentation: 26-39 'heart failure'",
                "hf/acuity: 0-39 'Acute on chronic systolic heart failure'",
                "aki/indicator: 41-43 'Cr'",
            }));
}

TEST(TermMatcherTest, NeverMatchesAcrossASentenceEnd) {
  // "heart failure. acute" is in the text, but spans two sentences; the shorter pattern of
  // another list still matches inside the first sentence.
  const std::vector<std::string> mentions =
      Mentions(kHeartFailure, "Known heart failure. Acute distress noted.");
  EXPECT_EQ(mentions, (std::vector<std::string>{"hf/documentation: 6-19 'heart failure'"}));
}

TEST(TermMatcherTest, MatchesOnlyWholeWords) {
  // "cr" inside "acre", "crackles" and "scr" is not the abbreviation. The locator checks the
  // leading word boundary by hand: "scr 3" is where that would go wrong.
  EXPECT_EQ(Mentions(kHeartFailure, "An acre of crackles, scr 3, cr 1.2."),
            (std::vector<std::string>{"aki/indicator: 28-30 'cr'"}));
}

// Literal patterns are located by substring search, others by RE2: both find the same places.
TEST(TermMatcherTest, LiteralPatternsMatchWhereTheirRegexWould) {
  const std::vector<TermPattern> literal = {{"x/t", "heart failure"}, {"y/t", "cr"}};
  const std::vector<TermPattern> regex = {{"x/t", "heart (failure)"}, {"y/t", "(cr)"}};
  for (const char* note :
       {"heart failures; heart failure-related; chf/heart failure. heart failure",
        "scr 2, cr 1.1, crcl 40, (cr) cr_x cr", "heart  failure heart\nfailure heartfailure",
        "no heart failure. heart failure, cr cr cr"}) {
    EXPECT_EQ(Mentions(literal, note), Mentions(regex, note)) << note;
  }
  for (int i = 0; i < 60; ++i) {  // past the per-pattern cap, across runs of sentences
    std::string note;
    for (int k = 0; k < i * 4; ++k) absl::StrAppend(&note, k % 3 ? "cr 1. " : "scr heart failure. ");
    EXPECT_EQ(Mentions(literal, note), Mentions(regex, note)) << i;
  }
}

TEST(TermMatcherTest, SetRunLengthDoesNotChangeTheFacts) {
  std::string note;
  for (int i = 0; i < 40; ++i) {
    absl::StrAppend(&note, "Day ", i, ": acute heart failure, cr ", i,
                    ". No heart failure. Acute on chronic diastolic heart failure.\n");
  }
  const std::vector<std::string> reference = Mentions(kHeartFailure, note);
  EXPECT_EQ(reference.size(), 40u * 6);
  for (uint32_t bytes : {1u, 64u, 256u, 4096u, 1u << 24}) {
    MatcherLimits limits;
    limits.set_chunk_bytes = bytes;
    EXPECT_EQ(Mentions(kHeartFailure, note, limits), reference) << bytes;
  }
}

TEST(TermMatcherTest, CapsMentionsPerPattern) {
  std::string note;
  for (int i = 0; i < 50; ++i) note += "cr 1. ";
  MatcherLimits limits;
  limits.max_mentions_per_pattern = 7;
  EXPECT_EQ(Mentions(kHeartFailure, note, limits).size(), 7u);
}

// "begin-end 'text'" per match of each gate, with the mentions of the same pass.
struct GatedResult {
  std::vector<std::vector<std::string>> gates;
  size_t mentions = 0;
};
GatedResult Gated(const std::vector<Gate>& gates, const std::string& note,
                  MatcherLimits limits = {}) {
  absl::StatusOr<std::unique_ptr<TermMatcher>> terms = TermMatcher::Build(kHeartFailure, limits);
  EXPECT_TRUE(terms.ok()) << terms.status();
  absl::StatusOr<std::unique_ptr<TermMatcher>> matcher = (*terms)->WithGates(gates);
  EXPECT_TRUE(matcher.ok()) << matcher.status();
  if (!matcher.ok()) return {};
  google::protobuf::RepeatedPtrField<MentionFact> facts;
  GateMatches matches;
  MatchNote(**matcher, note, &facts, &matches);
  GatedResult result;
  result.mentions = facts.size();
  for (const std::vector<nlp::AlternativeMatch>& gate : matches.matches) {
    result.gates.emplace_back();
    for (const nlp::AlternativeMatch& match : gate) {
      const nlp::Span& s = match.span;
      result.gates.back().push_back(absl::StrCat(s.begin, "-", s.end, " '",
                                                 note.substr(s.begin, s.size()), "'"));
    }
  }
  return result;
}

TEST(TermMatcherTest, GatesAreFoundInTheSamePassAndMakeNoMentions) {
  // Leftmost-first, non-overlapping, from a word boundary (no whole-word wrapping beyond), in
  // text order; the mentions are those the matcher finds without gates.
  const GatedResult result =
      Gated({Gate{{"po vanc", "vanc", "lasix"}}, Gate{{"never"}}},
            "Vanc IV and lasix. Then po vanc. Heart failure, cr 2.");
  EXPECT_EQ(result.gates, (std::vector<std::vector<std::string>>{
                              {"0-4 'Vanc'", "12-17 'lasix'", "24-31 'po vanc'"}, {}}));
  EXPECT_EQ(result.mentions, 2u);
}

TEST(TermMatcherTest, AGateMatchesAsItsAlternation) {
  // The leftmost start first; at one start the earliest alternative that matches there ("vanc
  // po" before "vanc", "lasix 40 mg iv" before "40 mg"), with its own preferred match
  // ("pressors?" takes the "s", "lasix(?:e|es)" stops at "e"); from a word boundary
  // ("vasopressors" is not "pressors"), and to one only where an alternative ends in \b
  // ("vanco" is nothing). Alternatives are located by substring searches, by RE2 ("\d") and by
  // RE2 after a required literal ("lasix " in the last one). As Python's re.finditer sees it.
  const GatedResult result = Gated(
      {Gate{{"vanc(?:omycin)? po\\b", "vanc(?:omycin)?\\b", "pressors?", "tf @",
             "(?:po|oral) lasix", "lasix(?:e|es)", "\\d+ ?mg", "lasix (?:\\d+ mg )?iv"}}},
      "Vancomycin po. Vanc IV, pressors; tf @ 40. PO lasix. Vasopressors, lasixes, vanco. "
      "Lasix 40 mg iv, 40 mg.");
  EXPECT_EQ(result.gates, (std::vector<std::vector<std::string>>{{
                              "0-13 'Vancomycin po'", "15-19 'Vanc'", "24-32 'pressors'",
                              "34-38 'tf @'", "43-51 'PO lasix'", "67-73 'lasixe'",
                              "83-97 'Lasix 40 mg iv'", "99-104 '40 mg'"}}));
}

TEST(TermMatcherTest, ATrailingWordBoundaryEndsOnlyTheLastBranchOfAnAlternative) {
  // "vanc|lasix\b" is "vanc" or "lasix\b": "vanc" matches inside "vancomycin".
  MatcherLimits strings;
  strings.max_gate_literal_searches = 1000;
  for (const MatcherLimits& limits : {MatcherLimits(), strings}) {
    const GatedResult result = Gated({Gate{{"vanc|lasix\\b"}}}, "Vancomycin and lasixx.", limits);
    EXPECT_EQ(result.gates, (std::vector<std::vector<std::string>>{{"0-4 'Vanc'"}}));
  }
}

TEST(TermMatcherTest, GateMatchesStayInOneSentence) {
  const GatedResult result = Gated({Gate{{"lasix\\. then|then"}}}, "Lasix. Then rest.");
  EXPECT_EQ(result.gates, (std::vector<std::vector<std::string>>{{"7-11 'Then'"}}));
}

TEST(TermMatcherTest, GateMatchesDoNotDependOnRunLengthOrCap) {
  std::string note;
  for (int i = 0; i < 60; ++i) absl::StrAppend(&note, "Lasix ", i, " mg. ");
  MatcherLimits limits;
  limits.max_mentions_per_pattern = 5;  // a term cap; gates belong to their caller
  const GatedResult reference = Gated({Gate{{"lasix"}}}, note, limits);
  ASSERT_EQ(reference.gates.size(), 1u);
  EXPECT_EQ(reference.gates[0].size(), 60u);
  for (uint32_t bytes : {1u, 64u, 4096u}) {
    limits.set_chunk_bytes = bytes;
    EXPECT_EQ(Gated({Gate{{"lasix"}}}, note, limits).gates, reference.gates) << bytes;
  }
}

TEST(TermMatcherTest, ReportsABadGate) {
  absl::StatusOr<std::unique_ptr<TermMatcher>> terms = TermMatcher::Build(kHeartFailure);
  ASSERT_TRUE(terms.ok());
  absl::StatusOr<std::unique_ptr<TermMatcher>> gated =
      (*terms)->WithGates({Gate{{"fine", "(unclosed"}}});
  ASSERT_FALSE(gated.ok());
  EXPECT_NE(gated.status().message().find("gate"), std::string::npos) << gated.status();
}

TEST(TermMatcherTest, ReportsEveryBadPattern) {
  absl::StatusOr<std::unique_ptr<TermMatcher>> matcher =
      TermMatcher::Build({{"a/one", "(unclosed"}, {"b/two", "fine"}, {"c/three", "x{2,1}"}});
  ASSERT_FALSE(matcher.ok());
  {
    const std::string message(matcher.status().message());
    EXPECT_NE(message.find("a/one"), std::string::npos) << message;
    EXPECT_NE(message.find("c/three"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace cdiscan::rules
