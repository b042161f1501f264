#include "engine/frame_spill.h"

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace cdiscan::engine {
namespace {

TEST(FrameSpillTest, ReadsBackWhatWasAppended) {
  absl::StatusOr<std::unique_ptr<FrameSpill>> spill = FrameSpill::Create("");
  ASSERT_TRUE(spill.ok()) << spill.status();
  absl::StatusOr<uint64_t> first = (*spill)->Append("first frame");
  absl::StatusOr<uint64_t> second = (*spill)->Append(std::string("with\0zero", 9));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, 0u);
  EXPECT_EQ(*second, 11u);
  EXPECT_EQ((*spill)->size(), 20u);
  std::string out = "stale";
  ASSERT_TRUE((*spill)->Read(*second, 9, &out).ok());
  EXPECT_EQ(out, std::string("with\0zero", 9));
  ASSERT_TRUE((*spill)->Read(*first, 11, &out).ok());
  EXPECT_EQ(out, "first frame");
}

TEST(FrameSpillTest, AReadPastTheEndIsAnError) {
  absl::StatusOr<std::unique_ptr<FrameSpill>> spill = FrameSpill::Create("");
  ASSERT_TRUE(spill.ok()) << spill.status();
  ASSERT_TRUE((*spill)->Append("abc").ok());
  std::string out;
  const absl::Status status = (*spill)->Read(1, 3, &out);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("past its end"), absl::string_view::npos) << status;
}

TEST(FrameSpillTest, AMissingDirectoryIsNamed) {
  absl::StatusOr<std::unique_ptr<FrameSpill>> spill =
      FrameSpill::Create("/nonexistent/cdiscan-spill-dir");
  ASSERT_FALSE(spill.ok());
  EXPECT_NE(spill.status().message().find("/nonexistent/cdiscan-spill-dir"),
            absl::string_view::npos)
      << spill.status();
}

TEST(FrameSpillTest, ReadsFromManyThreads) {
  absl::StatusOr<std::unique_ptr<FrameSpill>> spill = FrameSpill::Create("");
  ASSERT_TRUE(spill.ok()) << spill.status();
  std::vector<uint64_t> offsets;
  for (int i = 0; i < 1000; ++i) {
    absl::StatusOr<uint64_t> at = (*spill)->Append(std::string(i % 97 + 1, 'a' + i % 26));
    ASSERT_TRUE(at.ok());
    offsets.push_back(*at);
  }
  std::vector<std::thread> readers;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      std::string out;
      for (int i = t; i < 1000; i += 4) {
        if (!(*spill)->Read(offsets[i], i % 97 + 1, &out).ok() ||
            out != std::string(i % 97 + 1, 'a' + i % 26)) {
          ++wrong[t];
        }
      }
    });
  }
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace cdiscan::engine
