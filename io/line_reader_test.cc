#include "io/line_reader.h"

#include <zlib.h>
#include <zstd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "base/test_files.h"
#include "gtest/gtest.h"

namespace cdiscan::io {
namespace {

using ::cdiscan::test::TempPath;
using ::cdiscan::test::WriteFile;

std::string Gzip(const std::string& text) {
  z_stream stream{};
  deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = text.size();
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = out.size();
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string Zstd(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3));
  return out;
}

std::vector<std::string> ReadAll(const std::string& path) {
  auto reader = LineReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.status();
  std::vector<std::string> lines;
  std::string line;
  while ((*reader)->Next(&line)) lines.push_back(line);
  EXPECT_TRUE((*reader)->status().ok()) << (*reader)->status();
  return lines;
}

const std::string kText = "first\r\nsecond\n\nlast without newline";
const std::vector<std::string> kLines = {"first", "second", "", "last without newline"};

TEST(LineReaderTest, PlainGzipAndZstdReadTheSame) {
  WriteFile(TempPath("plain.jsonl"), kText);
  WriteFile(TempPath("x.gz"), Gzip(kText));
  WriteFile(TempPath("x.zst"), Zstd(kText));
  // Named misleadingly on purpose: the format comes from the bytes, not the name.
  WriteFile(TempPath("gzip_named.jsonl"), Gzip(kText));
  EXPECT_EQ(ReadAll(TempPath("plain.jsonl")), kLines);
  EXPECT_EQ(ReadAll(TempPath("x.gz")), kLines);
  EXPECT_EQ(ReadAll(TempPath("x.zst")), kLines);
  EXPECT_EQ(ReadAll(TempPath("gzip_named.jsonl")), kLines);
}

TEST(LineReaderTest, ConcatenatedGzipMembers) {
  WriteFile(TempPath("two.gz"), Gzip("a\nb\n") + Gzip("c\n"));
  EXPECT_EQ(ReadAll(TempPath("two.gz")), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(LineReaderTest, LineLongerThanTheBuffer) {
  const std::string long_line(5 << 20, 'x');
  WriteFile(TempPath("long.jsonl"), "short\n" + long_line + "\nend\n");
  std::vector<std::string> lines = ReadAll(TempPath("long.jsonl"));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].size(), long_line.size());
  EXPECT_EQ(lines[2], "end");
}

TEST(LineReaderTest, CountsLines) {
  WriteFile(TempPath("count.jsonl"), "a\nb\nc\n");
  auto reader = LineReader::Open(TempPath("count.jsonl"));
  ASSERT_TRUE(reader.ok());
  std::string line;
  while ((*reader)->Next(&line)) {
  }
  EXPECT_EQ((*reader)->line_number(), 3u);
}

TEST(LineReaderTest, MissingFileIsAnError) {
  auto reader = LineReader::Open(TempPath("does-not-exist.jsonl"));
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("does-not-exist.jsonl"), std::string::npos);
}

TEST(LineReaderTest, CorruptGzipIsReported) {
  std::string bytes = Gzip(std::string(10000, 'a') + "\n");
  bytes.resize(bytes.size() / 2);  // truncated
  WriteFile(TempPath("truncated.gz"), bytes);
  auto reader = LineReader::Open(TempPath("truncated.gz"));
  ASSERT_TRUE(reader.ok());
  std::string line;
  while ((*reader)->Next(&line)) {
  }
  EXPECT_FALSE((*reader)->status().ok());
}

}  // namespace
}  // namespace cdiscan::io
