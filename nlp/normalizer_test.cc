#include "nlp/normalizer.h"

#include <iterator>
#include <string>

#include "gtest/gtest.h"

namespace cdiscan::nlp {
namespace {

struct Case {
  const char* name;
  std::string original;
  std::string normalized;
};

class NormalizerTest : public testing::TestWithParam<Case> {};

TEST_P(NormalizerTest, NormalizesAndMapsBack) {
  const Case& c = GetParam();
  Normalizer normalizer;
  NormalizedText norm;
  normalizer.Normalize(c.original, &norm);
  EXPECT_EQ(norm.text(), c.normalized);
  // The whole normalized text maps back to the whole original (when anything survives).
  if (!norm.text().empty()) {
    Span all = norm.ToOriginal(0, static_cast<uint32_t>(norm.text().size()));
    EXPECT_LE(all.end, c.original.size());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, NormalizerTest,
    testing::Values(
        Case{"ascii_lowercase", "Na+ 126 (L), NA+", "na+ 126 (l), na+"},
        Case{"crlf_and_cr", "HPI:\r\nline\rnext", "hpi:\nline\nnext"},
        Case{"tabs_and_controls", "a\tb\x01" "c\x7f", "a b c "},
        Case{"micro_sign_nfkc", "5 \xc2\xb5mol/L", "5 \xce\xbcmol/l"},
        Case{"ge_kept", "SpO2 \xe2\x89\xa5 92%", "spo2 \xe2\x89\xa5 92%"},
        Case{"arrow", "138\xe2\x86\x92" "126", "138->126"},
        Case{"left_arrow", "2.3 \xe2\x86\x90 0.9", "2.3 <- 0.9"},
        Case{"smart_quotes", "\xe2\x80\x9cno\xe2\x80\x9d pt\xe2\x80\x99s", "\"no\" pt's"},
        Case{"en_dash", "0.9\xe2\x80\x93" "2.3", "0.9-2.3"},
        Case{"nbsp", "no\xc2\xa0" "fever", "no fever"},
        Case{"fullwidth", "\xef\xbc\xa8\xef\xbc\xa5\xef\xbc\xac\xef\xbc\xac\xef\xbc\xaf", "hello"},
        Case{"ligature", "\xef\xac\x81" "ne", "fine"},
        Case{"combining_mark", "Cafe\xcc\x81", "cafe\xcc\x81"},
        Case{"precomposed", "CAF\xc3\x89", "caf\xc3\xa9"},
        Case{"zero_width_removed", "no\xe2\x80\x8b" "fever", "nofever"},
        Case{"invalid_utf8", "a\xff" "b\xe2\x82", "a b  "},  // one space per bad byte
        Case{"line_separator", "a\xe2\x80\xa8" "b", "a\nb"},
        Case{"bullet", "\xe2\x80\xa2 CHF", "* chf"},
        Case{"empty", "", ""}),
    [](const testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

struct MapCase {
  const char* name;
  std::string original;
  std::string needle;    // found in the normalized text
  std::string evidence;  // what the original slice must be
};

class OffsetMapTest : public testing::TestWithParam<MapCase> {};

TEST_P(OffsetMapTest, SpanSlicesOriginal) {
  const MapCase& c = GetParam();
  Normalizer normalizer;
  NormalizedText norm;
  normalizer.Normalize(c.original, &norm);
  size_t at = norm.text().find(c.needle);
  ASSERT_NE(at, std::string::npos) << norm.text();
  Span o = norm.ToOriginal(static_cast<uint32_t>(at), static_cast<uint32_t>(at + c.needle.size()));
  EXPECT_EQ(c.original.substr(o.begin, o.size()), c.evidence);
}

INSTANTIATE_TEST_SUITE_P(
    Table, OffsetMapTest,
    testing::Values(
        MapCase{"ascii", "Sodium 126 (L)", "sodium 126", "Sodium 126"},
        MapCase{"after_crlf", "A\r\nSEPSIS here", "sepsis", "SEPSIS"},
        MapCase{"crlf_itself", "A\r\nB", "\n", "\r\n"},
        MapCase{"micro", "Cr 80 \xc2\xb5mol/L.", "\xce\xbcmol/l", "\xc2\xb5mol/L"},
        MapCase{"arrow_whole", "Cr 0.9\xe2\x86\x92" "2.3", "0.9->2.3", "0.9\xe2\x86\x92" "2.3"},
        MapCase{"half_arrow_is_whole_arrow", "0.9\xe2\x86\x92" "2.3", "-", "\xe2\x86\x92"},
        MapCase{"after_invalid", "\xff\xfe" "Fever", "fever", "Fever"},
        MapCase{"fullwidth_letters", "x \xef\xbc\xa8\xef\xbc\xa9 y", "hi", "\xef\xbc\xa8\xef\xbc\xa9"},
        MapCase{"combining_segment", "Cafe\xcc\x81 x", "\xcc\x81", "\xcc\x81"}),
    [](const testing::TestParamInfo<MapCase>& info) { return std::string(info.param.name); });

TEST(NormalizedTextTest, ReuseClearsPreviousNote) {
  Normalizer normalizer;
  NormalizedText norm;
  normalizer.Normalize("FIRST NOTE IS LONGER", &norm);
  normalizer.Normalize("Second", &norm);
  EXPECT_EQ(norm.text(), "second");
  EXPECT_EQ(norm.ToOriginal(0, 6), (Span{0, 6}));
}

TEST(NormalizedTextTest, EmptyRangeMapsToAPoint) {
  Normalizer normalizer;
  NormalizedText norm;
  normalizer.Normalize("ab\xc2\xb5" "c", &norm);
  EXPECT_EQ(norm.ToOriginal(2, 2), (Span{2, 2}));
  const uint32_t n = static_cast<uint32_t>(norm.text().size());
  EXPECT_EQ(norm.ToOriginal(n, n), (Span{5, 5}));
}

// The offset map is kept as runs (one to one for ASCII, one range per NFKC segment / CRLF /
// unified code point); these pin the map at the run boundaries byte by byte.
TEST(NormalizedTextTest, MapsEveryByteAcrossRuns) {
  Normalizer normalizer;
  NormalizedText norm;
  // "Ab", zero width space (removed), "C", CRLF, tab, "\xef\xac\x81" (fi ligature, two bytes
  // out of one segment), "\xff" (invalid), "z".
  const std::string original = "Ab\xe2\x80\x8b" "C\r\n\t\xef\xac\x81\xff" "z";
  normalizer.Normalize(original, &norm);
  ASSERT_EQ(norm.text(), "abc\n fi z");
  const Span expected[] = {{0, 1}, {1, 2}, {5, 6}, {6, 8}, {8, 9},
                           {9, 12}, {9, 12}, {12, 13}, {13, 14}};
  ASSERT_EQ(norm.text().size(), std::size(expected));
  for (uint32_t i = 0; i < std::size(expected); ++i) {
    EXPECT_EQ(norm.ToOriginal(i, i + 1), expected[i]) << "byte " << i;
  }
  EXPECT_EQ(norm.ToOriginal(1, 3), (Span{1, 6}));   // across the removed character
  EXPECT_EQ(norm.ToOriginal(2, 2), (Span{5, 5}));   // a point maps to its byte's start
  EXPECT_EQ(norm.ToOriginal(5, 8), (Span{9, 13}));  // the ligature and the invalid byte
  EXPECT_EQ(norm.ToOriginal(9, 9), (Span{14, 14}));
}

TEST(NormalizedTextTest, IdentityOnlyWhereEveryByteKeepsItsOffset) {
  Normalizer normalizer;
  NormalizedText norm;
  normalizer.Normalize("Na 126 (L)\n\tK 4.1", &norm);
  ASSERT_TRUE(norm.IsIdentity());
  const uint32_t n = static_cast<uint32_t>(norm.text().size());
  for (uint32_t begin = 0; begin < n; ++begin) {
    for (uint32_t end = begin + 1; end <= n; ++end) {
      EXPECT_EQ(norm.ToOriginal(begin, end), (Span{begin, end}));
    }
  }
  for (const char* text : {"Na 126\r\nK 4.1", "Na\xe2\x80\x8b 126", "\xc2\xb5g", ""}) {
    normalizer.Normalize(text, &norm);
    EXPECT_FALSE(norm.IsIdentity()) << text;
  }
}

TEST(NormalizedTextTest, TrailingRemovedCharacterIsNotMapped) {
  Normalizer normalizer;
  NormalizedText norm;
  normalizer.Normalize("ab\xe2\x80\x8b", &norm);
  ASSERT_EQ(norm.text(), "ab");
  // The end of the text maps to the end of the last byte that produced something.
  EXPECT_EQ(norm.ToOriginal(2, 2), (Span{2, 2}));
  EXPECT_EQ(norm.ToOriginal(0, 2), (Span{0, 2}));
}

// The ASCII path works eight bytes at a time; a byte that leaves it must be found, and every
// capital lowercased, wherever they fall in a word.
TEST(NormalizerTest, EveryPositionInAWord) {
  Normalizer normalizer;
  NormalizedText norm;
  const std::string letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{az";
  for (size_t at = 0; at < 20; ++at) {
    for (const char odd : {'\t', '\x7f', '\x01', '\x80', '\n', ' '}) {
      std::string original = letters.substr(0, 20);
      original[at] = odd;
      std::string expected = original;
      for (char& c : expected) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        if (c == '\t' || c == '\x7f' || c == '\x01' || c == '\x80') c = ' ';
      }
      normalizer.Normalize(original, &norm);
      EXPECT_EQ(norm.text(), expected) << "at " << at << " byte " << int{odd};
      for (uint32_t i = 0; i < norm.text().size(); ++i) {
        EXPECT_EQ(norm.ToOriginal(i, i + 1), (Span{i, i + 1}));
      }
    }
  }
  normalizer.Normalize(letters, &norm);
  EXPECT_EQ(norm.text(), "abcdefghijklmnopqrstuvwxyz@[`{az");
}

}  // namespace
}  // namespace cdiscan::nlp
