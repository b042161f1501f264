#include "base/clinical_time.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
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

TEST(ResolveWrittenTimeTest, PlacesWrittenTimesRelativeToTheNote) {
  const absl::Time note = *ParseClinicalTime("2024-01-02T07:00:00Z");
  struct Case {
    std::string written;
    std::string utc;
  };
  for (const Case& c : std::vector<Case>{
           {"01/01", "2024-01-01 00:00"},
           {"12/30", "2023-12-30 00:00"},
           {"3/1/24 0600", "2024-03-01 06:00"},
           {"06:00", "2024-01-02 06:00"},
           {"23:00", "2024-01-01 23:00"},
           {"0600", "2024-01-02 06:00"},
           {"yesterday", "2024-01-01 07:00"},
           {"August", ""},
           {"on admission", ""},
           {"13/45", ""},
           {" 2024-03-02T06:10:00Z ", "2024-03-02 06:10"},
       }) {
    std::optional<absl::Time> t = ResolveWrittenTime(c.written, note);
    if (c.utc.empty()) {
      EXPECT_FALSE(t.has_value()) << c.written;
    } else {
      ASSERT_TRUE(t.has_value()) << c.written;
      EXPECT_EQ(absl::FormatTime("%Y-%m-%d %H:%M", *t, absl::UTCTimeZone()), c.utc) << c.written;
    }
  }
}

}  // namespace
}  // namespace cdiscan
