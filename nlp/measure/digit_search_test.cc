#include "nlp/measure/digit_search.h"

#include <random>
#include <string>

#include "gtest/gtest.h"

namespace cdiscan::nlp {
namespace {

size_t FindDigitByBytes(const std::string& text, size_t pos) {
  for (; pos < text.size(); ++pos) {
    if (text[pos] >= '0' && text[pos] <= '9') return pos;
  }
  return text.size();
}

TEST(FindDigitTest, FindsTheFirstDigitFromAPosition) {
  const std::string text = "sodium was low: 126 (L)";
  EXPECT_EQ(FindDigit(text.data(), 0, text.size()), 16u);
  EXPECT_EQ(FindDigit(text.data(), 17, text.size()), 17u);
  EXPECT_EQ(FindDigit(text.data(), 19, text.size()), text.size());
  EXPECT_EQ(FindDigit(text.data(), 0, 10), 10u);  // not past n
}

// Every byte value, at every place in and around the 16-byte blocks.
TEST(FindDigitTest, AgreesWithAByteLoop) {
  std::mt19937 rng(20261122);
  for (int round = 0; round < 20000; ++round) {
    std::string text(rng() % 70, ' ');
    for (char& c : text) {
      c = rng() % 8 == 0 ? static_cast<char>('0' + rng() % 10) : static_cast<char>(rng() % 256);
      if (c >= '0' && c <= '9' && rng() % 2 == 0) c = 'x';  // digits rarer
    }
    const size_t pos = text.empty() ? 0 : rng() % (text.size() + 1);
    ASSERT_EQ(FindDigit(text.data(), pos, text.size()), FindDigitByBytes(text, pos)) << round;
  }
}

}  // namespace
}  // namespace cdiscan::nlp
