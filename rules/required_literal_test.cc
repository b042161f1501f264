#include "rules/required_literal.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace cdiscan::rules {
namespace {

// "literal@max_offset", or "none".
std::string Required(const std::string& pattern, size_t min_size = 2) {
  std::optional<RequiredLiteral> found = FindRequiredLiteral(pattern, min_size);
  if (!found) return "none";
  return found->literal + "@" + std::to_string(found->max_offset);
}

TEST(RequiredLiteralTest, FindsTheLongestLiteralOfTheTopLevelSequence) {
  EXPECT_EQ(Required("\\d\\+ (pitting )?edema"), "edema@11");
  EXPECT_EQ(Required("poor (po |oral )?intake (for|x|over) \\d+ (days|weeks|wks|d)"),
            "intake @10");
  EXPECT_EQ(Required("on \\d+(\\.\\d+)? ?l(pm)? (nc |nasal cannula )?(at home|home o2)"), "on @0");
  EXPECT_EQ(Required("heart failure"), "heart failure@0");
}

TEST(RequiredLiteralTest, BoundsFollowQuantifiersClassesAndGroups) {
  EXPECT_EQ(Required("a?bc"), "bc@1");
  EXPECT_EQ(Required("[^x]bc"), "bc@4");  // a negated class may match a 4-byte character
  EXPECT_EQ(Required(".bc"), "bc@4");
  EXPECT_EQ(Required("\\d{2,3}bc"), "bc@3");
  EXPECT_EQ(Required("(ab|cde)?fg"), "fg@3");
  EXPECT_EQ(Required("\\bab\\b"), "ab@0");
  EXPECT_EQ(Required("x\\.y"), "x.y@0");
  EXPECT_EQ(Required("abc?d"), "ab@0");  // "c?" is not required
}

TEST(RequiredLiteralTest, NothingAfterAnUnboundedRepetition) {
  EXPECT_EQ(Required("\\d+ mg"), "none");
  EXPECT_EQ(Required("a* mg"), "none");
  EXPECT_EQ(Required("x{2,} mg"), "none");
  EXPECT_EQ(Required("ab\\d+ cdefg"), "ab@0");
}

TEST(RequiredLiteralTest, NoneForTopLevelAlternativesOrUnreadConstructs) {
  EXPECT_EQ(Required("ab|cd"), "none");
  EXPECT_EQ(Required("on \\d+ l|foo"), "none");
  EXPECT_EQ(Required("(?i)abc"), "none");
  EXPECT_EQ(Required("\\p{L}abc"), "none");
  EXPECT_EQ(Required("[]a]bc"), "none");
  EXPECT_EQ(Required("(ab"), "none");
  // What was read before an unknown construct holds.
  EXPECT_EQ(Required("abc\\p{L}de"), "abc@0");
  EXPECT_EQ(Required("a"), "none");  // shorter than asked for
  EXPECT_EQ(Required("a", 1), "a@0");
}

// RE2 repeats only "{n}", "{n,}" and "{n,m}"; it reads any other brace as literal text, and
// "\\Q...\\E" quotes. The reader must not take those for repetitions (it stops instead).
TEST(RequiredLiteralTest, BracesThatAreNotRepetitionsStopTheReading) {
  EXPECT_EQ(Required("x{,3}abcd"), "none");
  EXPECT_EQ(Required("x{a,2}abcd"), "none");
  EXPECT_EQ(Required("x{}abcd"), "none");
  EXPECT_EQ(Required("\\Qa.b\\Ecdef"), "none");
  EXPECT_EQ(Required("x{3}abcd"), "abcd@3");
  EXPECT_EQ(Required("x{1,3}abcd"), "abcd@3");
}

}  // namespace
}  // namespace cdiscan::rules
