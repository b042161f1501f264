#include "base/stable_hash.h"

#include "gtest/gtest.h"

namespace cdiscan {
namespace {

TEST(StableHasherTest, KnownValueNeverChanges) {
  // Finding ids are persisted; if this value changes every stored id changes with it.
  EXPECT_EQ(StableHasher().Add("enc-1").Add("rule.a").Hex(), StableHasher().Add("enc-1").Add("rule.a").Hex());
  EXPECT_EQ(StableHasher().Add("").Hex(), "af64724c8602eb6e");
}

TEST(StableHasherTest, PartsAreSeparated) {
  EXPECT_NE(StableHasher().Add("ab").Add("c").value(), StableHasher().Add("a").Add("bc").value());
}

TEST(StableHasherTest, NumbersDiffer) {
  EXPECT_NE(StableHasher().Add(uint64_t{1}).value(), StableHasher().Add(uint64_t{2}).value());
}

}  // namespace
}  // namespace cdiscan
