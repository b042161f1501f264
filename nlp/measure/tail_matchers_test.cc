// Differential tests: each hand matcher of tail_matchers.h against the RE2 pattern that
// specifies it, called as the extractor calls RE2 (anchored at a position, ending at the line's
// end, the text before the position as context), on random and clinical-shaped text.
#include "nlp/measure/tail_matchers.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "re2/re2.h"

namespace cdiscan::nlp::tail {
namespace {

constexpr int kRandomCases = 60000;
constexpr int kClinicalCases = 40000;
constexpr int kSeriesCases = 100000;
constexpr int kTimeCases = 200000;

// Pieces random texts are made of: every literal of the patterns, prefixes of some, and the
// bytes the patterns treat specially.
const std::vector<std::string>& Pieces() {
  static const std::vector<std::string>* const kPieces = new std::vector<std::string>{
      // bytes
      " ", " ", " ", ",", "(", ")", "[", "]", ".", "%", "/", ":", "-", "_", "@", "\n", "a", "s",
      "x", "h", "t", "o", "n", "A", "R", "\xc3\xa9", "\xe2\x86\x92", "'",
      // numbers
      "0", "4", "12", "3", "98", "2024", "0600", "123", "12345", "1.5", "2.", ".5",
      // oxygen
      "on", "at", "via", "while on", "while", "with", "w/", "w", "room air", "room", "ra", "lpm",
      "l/min", "liters", "liter", "lit", "l", "nc", "nasal cannula", "nasal", "hfnc",
      "high flow nasal cannula", "high flow", "high-flow", "high", "hf", "nrb", "non-rebreather",
      "face mask", "facemask", "face", "fm", "simple mask", "venturi mask", "venturi", "vm",
      "oxymizer", "o2", "fio2", "bipap", "cpap", "vent", "nippv", "niv", "mechanical ventilation",
      "ventilator", "trach collar", "trach",
      // time
      "from", "dated", "drawn", "in", "of", "january", "jan", "feb", "march", "mar", "may",
      "sept", "sep", "dec", "december", "st", "nd", "th", "am", "pm", "t", "on admission",
      "at admission", "admission", "on presentation", "on arrival", "in the ed", "the",
      "this morning", "this am", "this", "yesterday", "today", "overnight", "last night",
      "last", "pre-op", "preop", "pre", "post-op", "postop", "post", "op",
  };
  return *kPieces;
}

std::string RandomText(std::mt19937& rng, int max_pieces) {
  const std::vector<std::string>& pieces = Pieces();
  std::uniform_int_distribution<int> count(0, max_pieces);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::string text;
  for (int i = count(rng); i > 0; --i) text += pieces[pick(rng)];
  return text;
}

template <size_t N>
const std::string& Pick(std::mt19937& rng, const std::string (&choices)[N]) {
  return choices[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

// Text after a saturation or a lab value as notes write it: "SpO2 91%" + " on 4 L NC, HR 90".
std::string ClinicalTail(std::mt19937& rng) {
  static const std::string kSeparators[] = {"", " ", "  ", ", ", ",", " (", " [", " ,"};
  static const std::string kLeads[] = {"", "", "on ", "at ", "via ", "while on ", "with ",
                                       "w/ ", "w/", "@ ", "from ", "dated ", "drawn ", "in ",
                                       "of ", "on", "at"};
  static const std::string kValues[] = {
      "ra", "room air", "2l", "2 l", "4 lpm", "3l/min", "6 liters", "1 liter", "15l", "2.5l",
      "40%", "40 %", "100%", "3/12", "3/12/24", "3/12/2024 0600", "12/1 14:30", "14:30",
      "8:05 pm", "2024-03-12", "2024-03-12t06:00", "2024-03-12t06:00:15", "0600", "0600h",
      "jan", "january 3", "aug 3rd", "sept. 12, 2024", "may", "mar 2024", "on admission",
      "at admission", "on presentation", "on arrival", "in the ed", "this morning", "this am",
      "yesterday", "today", "overnight", "last night", "preop", "pre-op", "post-op", "postop",
      "hfnc", "high flow", "high-flow", "bipap", "cpap", "nippv", "niv", "nrb", "vent",
      "ventilator", "trach collar", "facemask", "face mask", "nc", "nasal cannula", "123",
      "12345", "x", "",
  };
  static const std::string kDevices[] = {"", "", " nc", "nc", " via nc", " via  hfnc", "via fm",
                                         " fio2", " face mask", " venturi mask", " o2", " hf",
                                         " high flow nasal cannula", " simple mask", " vent",
                                         " bipap", " oxymizer", " nrb"};
  static const std::string kEndings[] = {"", "", ")", "]", ", hr 90", ".", " and", "x", "_",
                                         "\nbp 90/60", "2", " 40", "s", "'"};
  return absl::StrCat(Pick(rng, kSeparators), Pick(rng, kLeads), Pick(rng, kValues),
                      Pick(rng, kDevices), Pick(rng, kEndings));
}

size_t EndOf(re2::StringPiece piece, absl::string_view text) {
  return piece.data() + piece.size() - text.data();
}

// The extractor's call: RE2 anchored at `pos`, ending at the line's end.
bool Re2Matches(const RE2& re, absl::string_view text, size_t pos, size_t line_end) {
  return re.Match(re2::StringPiece(text.data(), text.size()), pos, line_end, RE2::ANCHOR_START,
                  nullptr, 0);
}

// A context before the position, the tail, and sometimes more lines after.
struct Case {
  std::string text;
  size_t pos;
  size_t line_end;
};
Case MakeCase(std::mt19937& rng, const std::string& tail) {
  static const std::string kContexts[] = {"", "spo2 91%", "x", "91", "t 38.1", "a_"};
  Case c;
  c.text = Pick(rng, kContexts);
  c.pos = c.text.size();
  c.text += tail;
  const size_t newline = c.text.find('\n', c.pos);
  c.line_end = newline == std::string::npos ? c.text.size() : newline;
  return c;
}

// Text after a value that may continue a series ("(was 2.1)", ", now 2.3", "<- 0.9") or give
// a reference range ("135-145", "(ref: 3.5 - 5.0)"): the literals of those patterns, pieces of
// them and what surrounds them, at random.
std::string SeriesTail(std::mt19937& rng) {
  static const std::string kPieces[] = {
      " ", " ", " ", "  ", ",", ";", ":", "(", ")", "[", "]", ".", "-", "_", "x", "s", "a",
      "\xe2\x86\x90", "\xe2\x86\x92", "\xe2\x86", "0", "0.9", "2.", "135", "145", "3.5", ".5",
      "up from a baseline of", "from a baseline of", "a baseline of", "baseline of",
      "baseline is", "baseline was", "baseline", "bl", "previously", "prior", "prev", "was",
      "up from", "up", "down from", "down", "improved from", "increased from", "decreased from",
      "rose from", "dropped from", "compared to", "compared with", "compared", "versus", "vs.",
      "vs", "from", "-->", "->", "=>", "<--", "<-", "<", ">", "=", "--", "now", "then",
      "currently", "today", "repeat", "recheck", "repeated", "rechecked", "improved to", "up to",
      "down to", "increased to", "decreased to", "this am", "this morning", "this", "to", "ref",
      "reference", "reference range", "ref range", "normal", "normal range", "nl", "range",
      "135-145", "3.5 - 5.0", "0.6-", "-1.2", "\n",
  };
  std::uniform_int_distribution<int> count(1, 6);
  std::string text;
  for (int i = count(rng); i > 0; --i) text += Pick(rng, kPieces);
  return text;
}

// Text after a value that may hold a time, built from the pieces of kTimePattern's
// alternatives so that their backtracking (a day of one or two digits, a year of two to four,
// a clock with or without its colon, the word boundary at the end) is exercised.
std::string TimeTail(std::mt19937& rng) {
  static const std::string kPieces[] = {
      " ", " ", "  ", "(", ")", "[", "]", ",", ".", "/", "/", ":", ":", "-", "t", "h", "a", "p",
      "m", "x", "_", "s", "1", "3", "12", "31", "123", "2024", "0600", "12345", "24", "00", "st",
      "nd", "rd", "th", " am", "pm", "on", "at", "@", "from", "dated", "drawn", "in", "of", "on ",
      "at ", "jan", "january", "mar", "march", "may", "sep", "sept", "september", "dec",
      "on admission", "at admission", "in the ed", "this am", "today", "pre-op", "preop",
      "post", "postop", "\n",
  };
  std::uniform_int_distribution<int> count(1, 8);
  std::string text;
  for (int i = count(rng); i > 0; --i) text += Pick(rng, kPieces);
  return text;
}

std::vector<Case> Cases() {
  std::mt19937 rng(20240312);
  std::vector<Case> cases;
  for (int i = 0; i < kRandomCases; ++i) cases.push_back(MakeCase(rng, RandomText(rng, 6)));
  for (int i = 0; i < kClinicalCases; ++i) cases.push_back(MakeCase(rng, ClinicalTail(rng)));
  return cases;
}

TEST(TailMatchers, MatchOxygenEqualsItsPattern) {
  const RE2 re(kOxygenPattern);
  ASSERT_TRUE(re.ok()) << re.error();
  int matched = 0;
  for (const Case& c : Cases()) {
    const absl::string_view line(c.text.data(), c.line_end);
    re2::StringPiece groups[2];
    const bool expected = re.Match(re2::StringPiece(c.text.data(), c.text.size()), c.pos,
                                   c.line_end, RE2::ANCHOR_START, groups, 2);
    const OxygenMatch match = MatchOxygen(line, c.pos);
    if (!expected) {
      ASSERT_EQ(match.end, absl::string_view::npos) << "\"" << c.text << "\" at " << c.pos;
      continue;
    }
    ASSERT_EQ(match.end, EndOf(groups[0], c.text)) << "\"" << c.text << "\" at " << c.pos;
    ASSERT_EQ(match.support_begin, groups[1].data() - c.text.data())
        << "\"" << c.text << "\" at " << c.pos;
    ++matched;
  }
  EXPECT_GT(matched, 8000);  // the cases exercise the matches, not only the misses
}

// `matcher` against `pattern`: the same verdict and the same end on every case.
void ExpectMatcherEqualsPattern(size_t (*matcher)(absl::string_view, size_t),
                                const char* pattern, int min_matched) {
  const RE2 re(pattern);
  ASSERT_TRUE(re.ok()) << re.error();
  std::vector<Case> cases = Cases();
  std::mt19937 rng(20240303);
  for (int i = 0; i < kSeriesCases; ++i) cases.push_back(MakeCase(rng, SeriesTail(rng)));
  int matched = 0;
  for (const Case& c : cases) {
    const absl::string_view line(c.text.data(), c.line_end);
    re2::StringPiece whole;
    const bool expected = re.Match(re2::StringPiece(c.text.data(), c.text.size()), c.pos,
                                   c.line_end, RE2::ANCHOR_START, &whole, 1);
    const size_t end = matcher(line, c.pos);
    if (!expected) {
      ASSERT_EQ(end, absl::string_view::npos) << "\"" << c.text << "\" at " << c.pos;
      continue;
    }
    ASSERT_EQ(end, EndOf(whole, c.text)) << "\"" << c.text << "\" at " << c.pos;
    ++matched;
  }
  EXPECT_GT(matched, min_matched);  // the cases exercise the matches, not only the misses
}

TEST(TailMatchers, MatchEarlierEqualsItsPattern) {
  ExpectMatcherEqualsPattern(MatchEarlier, kEarlierPattern, 4000);
}

TEST(TailMatchers, MatchArrowEqualsItsPattern) {
  ExpectMatcherEqualsPattern(MatchArrow, kArrowPattern, 4000);
}

TEST(TailMatchers, MatchRefRangeEqualsItsPattern) {
  ExpectMatcherEqualsPattern(MatchRefRange, kRefRangePattern, 2000);
}

TEST(TailMatchers, MatchTimeEqualsItsPattern) {
  const RE2 re(kTimePattern);
  ASSERT_TRUE(re.ok()) << re.error();
  std::vector<Case> cases = Cases();
  std::mt19937 rng(20240304);
  for (int i = 0; i < kTimeCases; ++i) cases.push_back(MakeCase(rng, TimeTail(rng)));
  int matched = 0;
  for (const Case& c : cases) {
    const absl::string_view line(c.text.data(), c.line_end);
    re2::StringPiece g[5];
    const bool expected = re.Match(re2::StringPiece(c.text.data(), c.text.size()), c.pos,
                                   c.line_end, RE2::ANCHOR_START, g, 5);
    const TimeMatch match = MatchTime(line, c.pos);
    const std::string where = absl::StrCat("\"", c.text, "\" at ", c.pos);
    if (!expected) {
      ASSERT_EQ(match.end, absl::string_view::npos) << where;
      continue;
    }
    ASSERT_EQ(match.end, EndOf(g[0], c.text)) << where;
    ASSERT_EQ(match.open, g[1].data() != nullptr) << where;
    ASSERT_EQ(match.lead, absl::string_view(g[2].data(), g[2].size())) << where;
    if (!match.lead.empty()) ASSERT_EQ(match.lead.data(), g[2].data()) << where;
    ASSERT_EQ(match.time_begin, g[3].data() - c.text.data()) << where;
    ASSERT_EQ(match.time_end, EndOf(g[3], c.text)) << where;
    ASSERT_EQ(match.close, g[4].data() != nullptr) << where;
    ++matched;
  }
  EXPECT_GT(matched, 30000);
}

TEST(TailMatchers, TimeFilterPassesEveryMatchOfItsPattern) {
  const RE2 re(kTimePattern);
  ASSERT_TRUE(re.ok()) << re.error();
  int matched = 0, filtered_out = 0;
  for (const Case& c : Cases()) {
    const absl::string_view line(c.text.data(), c.line_end);
    const bool may_match = TimeMayMatchAt(line, c.pos);
    const bool matches = Re2Matches(re, c.text, c.pos, c.line_end);
    if (matches) {
      ASSERT_TRUE(may_match) << "\"" << c.text << "\" at " << c.pos;
    }
    matched += matches;
    filtered_out += !may_match;
  }
  EXPECT_GT(matched, 5000);
  EXPECT_GT(filtered_out, 20000);  // the filter is worth having
}

TEST(TailMatchers, Examples) {
  EXPECT_EQ(MatchOxygen(" on ra.", 0).end, 6u);
  EXPECT_EQ(MatchOxygen(" on 2l nc, hr 90", 0).end, 9u);
  EXPECT_EQ(MatchOxygen(" on 2l nc, hr 90", 0).support_begin, 4u);
  EXPECT_EQ(MatchOxygen(", 40% fio2", 0).end, 10u);
  EXPECT_EQ(MatchOxygen(" on 2l ncx", 0).end, 6u);  // the device is not a word: the flow alone
  EXPECT_EQ(MatchOxygen(" on rax", 0).end, absl::string_view::npos);
  EXPECT_EQ(MatchOxygen(" 4 liters via hfnc", 0).end, 18u);
  EXPECT_FALSE(TimeMayMatchAt(" on ra", 0));
  EXPECT_FALSE(TimeMayMatchAt(" on 2l nc", 0));
  EXPECT_FALSE(TimeMayMatchAt(" (123)", 0));
  EXPECT_TRUE(TimeMayMatchAt(" on admission", 0));
  EXPECT_TRUE(TimeMayMatchAt(" (3/12 0600)", 0));
  EXPECT_TRUE(TimeMayMatchAt(" at 0600", 0));
  EXPECT_TRUE(TimeMayMatchAt(" in august", 0));
  EXPECT_EQ(MatchTime(" (3/12/2024 0600)", 0).end, 17u);
  EXPECT_EQ(MatchTime(" on admission, no", 0).time_begin, 1u);  // the lead gives way
  EXPECT_TRUE(MatchTime(" on admission, no", 0).lead.empty());
  EXPECT_EQ(MatchTime(" at 0600h", 0).lead, "at");
  EXPECT_EQ(MatchTime(" 3/12345", 0).end, absl::string_view::npos);
  EXPECT_EQ(MatchTime(" sept. 12, 2024.", 0).time_end, 15u);
  EXPECT_EQ(MatchEarlier(" (baseline 0.9)", 0), 11u);
  EXPECT_EQ(MatchEarlier(" vs. 0.9", 0), 3u);  // "vs\.?\b": the dot is given back
  EXPECT_EQ(MatchEarlier(" wasn't", 0), absl::string_view::npos);
  EXPECT_EQ(MatchArrow(" <- 0.9", 0), 4u);
  EXPECT_EQ(MatchArrow(", now 2.3", 0), 6u);
  EXPECT_EQ(MatchArrow(" tomorrow", 0), 3u);  // no word boundary in the pattern
  EXPECT_EQ(MatchRefRange(" 135-145 mmol/l", 0), 9u);
  EXPECT_EQ(MatchRefRange(" (ref: 3.5 - 5.0) x", 0), 17u);
  EXPECT_EQ(MatchRefRange(" reference 1-", 0), absl::string_view::npos);
}

}  // namespace
}  // namespace cdiscan::nlp::tail
