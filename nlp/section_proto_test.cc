#include "nlp/section_proto.h"

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

TEST(SectionProtoTest, NumbersThisBuildDoesNotKnowAreUnknown) {
  EXPECT_EQ(SectionName(static_cast<NoteSection>(999)), "unknown");
  EXPECT_EQ(SectionName(SECTION_UNKNOWN), "unknown");
}

}  // namespace
}  // namespace cdiscan::nlp
