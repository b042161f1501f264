#include "engine/seen_ids.h"

#include <string>

#include "gtest/gtest.h"

namespace cdiscan::engine {
namespace {

TEST(SeenIdsTest, TellsTheFirstSightingFromARepeat) {
  SeenIds seen;
  EXPECT_TRUE(seen.Insert("N-1001-1"));
  EXPECT_TRUE(seen.Insert("N-1001-2"));
  EXPECT_FALSE(seen.Insert("N-1001-1"));
  EXPECT_TRUE(seen.Contains("N-1001-2"));
  EXPECT_FALSE(seen.Contains("N-1001-3"));
  EXPECT_EQ(seen.size(), 2u);
}

TEST(SeenIdsTest, IdsThatDifferLittleAreDifferent) {
  // Ids of one extract share most of their bytes; none may be taken for another.
  SeenIds seen;
  for (int i = 0; i < 200000; ++i) {
    ASSERT_TRUE(seen.Insert("DocumentReference/5f1c2e0a-0000-4000-8000-" + std::to_string(i)))
        << i;
  }
  EXPECT_TRUE(seen.Insert(""));
  EXPECT_FALSE(seen.Insert(""));
  EXPECT_TRUE(seen.Insert(std::string("a\0b", 3)));
  EXPECT_TRUE(seen.Insert(std::string("a\0c", 3)));
  EXPECT_EQ(seen.size(), 200003u);
}

}  // namespace
}  // namespace cdiscan::engine
