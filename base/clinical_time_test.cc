#include "base/clinical_time.h"

#include "gtest/gtest.h"

namespace cdiscan {
namespace {

TEST(ParseClinicalTimeTest, AcceptsExtractLayouts) {
  const absl::Time utc = absl::FromUnixSeconds(1709359800);  // 2024-03-02T06:10:00Z
  EXPECT_EQ(ParseClinicalTime("2024-03-02T06:10:00Z"), utc);
  EXPECT_EQ(ParseClinicalTime("2024-03-02T01:10:00-05:00"), utc);
  EXPECT_EQ(ParseClinicalTime("2024-03-02T06:10:00"), utc);
  EXPECT_EQ(ParseClinicalTime("2024-03-02T06:10"), utc);
  EXPECT_EQ(ParseClinicalTime("2024-03-02 06:10:00"), utc);
  EXPECT_EQ(ParseClinicalTime("2024-03-02T06:10:00.000Z"), utc);
  EXPECT_TRUE(ParseClinicalTime("2024-03-02").has_value());
}

TEST(ParseClinicalTimeTest, RejectsOthers) {
  EXPECT_FALSE(ParseClinicalTime("").has_value());
  EXPECT_FALSE(ParseClinicalTime("03/02/2024").has_value());
  EXPECT_FALSE(ParseClinicalTime("yesterday").has_value());
  EXPECT_FALSE(ParseClinicalTime("2024-13-02").has_value());
}

}  // namespace
}  // namespace cdiscan
