#include "nlp/section_proto.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace cdiscan::nlp {
namespace {

TEST(SectionProtoTest, EveryKindKeepsItsNameThroughTheFactsEnum) {
  for (int i = 0; i <= static_cast<int>(SectionKind::kProcedures); ++i) {
    const auto kind = static_cast<SectionKind>(i);
    EXPECT_EQ(SectionName(ToProto(kind)), SectionKindName(kind)) << i;
  }
  EXPECT_EQ(ToProto(SectionKind::kFamilyHistory), SECTION_FAMILY_HISTORY);
  EXPECT_EQ(SectionName(SECTION_ASSESSMENT_PLAN), "assessment_plan");
}

// The two enums are converted by a cast: every kind must have the facts enum's value of the
// same name at the same number.
TEST(SectionProtoTest, EveryKindHasTheFactsEnumValueOfItsName) {
  for (int i = 0; i <= static_cast<int>(SectionKind::kProcedures); ++i) {
    const auto kind = static_cast<SectionKind>(i);
    EXPECT_EQ(NoteSection_Name(ToProto(kind)),
              absl::AsciiStrToUpper(absl::StrCat("SECTION_", SectionKindName(kind))))
        << i;
  }
  EXPECT_EQ(NoteSection_descriptor()->value_count(), static_cast<int>(SectionKind::kProcedures) + 1);
}

TEST(SectionProtoTest, NumbersThisBuildDoesNotKnowAreUnknown) {
  EXPECT_EQ(SectionName(static_cast<NoteSection>(999)), "unknown");
  EXPECT_EQ(SectionName(SECTION_UNKNOWN), "unknown");
}

}  // namespace
}  // namespace cdiscan::nlp
