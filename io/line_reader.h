// Streams the lines of a file that may be plain, gzip- or zstd-compressed, or stdin ("-").
// The compression is recognised from the first bytes, not the file name.
//
// Example:
//   ASSIGN_OR_RETURN(std::unique_ptr<LineReader> reader, LineReader::Open(path));
//   std::string line;
//   while (reader->Next(&line)) { ... reader->line_number() ... }
//   RETURN_IF_ERROR(reader->status());
//
// Memory is bounded by the longest line. Lines never include the trailing "\n" (or "\r\n").
// Thread safety: one reader per thread.
#ifndef CDISCAN_IO_LINE_READER_H_
#define CDISCAN_IO_LINE_READER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cdiscan::io {

// Decompressed bytes of a file.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes; returns 0 at the end; a negative value on error (see status()).
  virtual int64_t Read(char* buffer, size_t size) = 0;
  virtual absl::Status status() const = 0;
};

// Opens `path` ("-" is stdin), detecting gzip and zstd by magic bytes.
absl::StatusOr<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path);

class LineReader {
 public:
  static absl::StatusOr<std::unique_ptr<LineReader>> Open(const std::string& path);
  explicit LineReader(std::unique_ptr<ByteSource> source, std::string path);

  // Reads the next line into `line`. Returns false at the end of input or on error.
  bool Next(std::string* line);
  // 1-based number of the line last returned by Next.
  uint64_t line_number() const { return line_number_; }
  // Bytes consumed so far (decompressed), for progress reporting.
  uint64_t bytes_read() const { return bytes_read_; }
  const std::string& path() const { return path_; }
  // True if the line last returned ended with "\r\n" (the "\r" was dropped). CSV needs it to
  // give a quoted field its line breaks back exactly.
  bool ended_with_cr() const { return ended_with_cr_; }
  absl::Status status() const { return status_; }

 private:
  bool Fill();

  std::unique_ptr<ByteSource> source_;
  std::string path_;
  std::string buffer_;
  size_t buffer_pos_ = 0;
  size_t buffer_end_ = 0;
  bool eof_ = false;
  uint64_t line_number_ = 0;
  uint64_t bytes_read_ = 0;
  bool ended_with_cr_ = false;
  absl::Status status_;
};

}  // namespace cdiscan::io

#endif  // CDISCAN_IO_LINE_READER_H_
