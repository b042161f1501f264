#include "io/line_reader.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"

namespace cdiscan::io {
namespace {

constexpr size_t kChunkBytes = 1 << 20;

absl::Status ErrnoStatus(absl::string_view what, const std::string& path) {
  return absl::NotFoundError(absl::StrCat(path, ": cannot ", what, ": ", std::strerror(errno)));
}

// Raw bytes of a file descriptor, after replaying the bytes already peeked for the magic.
class FdSource : public ByteSource {
 public:
  FdSource(int fd, std::string path, std::string peeked)
      : fd_(fd), path_(std::move(path)), peeked_(std::move(peeked)) {}
  ~FdSource() override {
    if (fd_ > 0) close(fd_);
  }

  int64_t Read(char* buffer, size_t size) override {
    if (peeked_pos_ < peeked_.size()) {
      size_t n = std::min(size, peeked_.size() - peeked_pos_);
      std::memcpy(buffer, peeked_.data() + peeked_pos_, n);
      peeked_pos_ += n;
      return static_cast<int64_t>(n);
    }
    ssize_t n;
    do {
      n = read(fd_, buffer, size);
    } while (n < 0 && errno == EINTR);
    if (n < 0) status_ = absl::DataLossError(absl::StrCat(path_, ": read error: ", std::strerror(errno)));
    return n;
  }
  absl::Status status() const override { return status_; }

 private:
  int fd_;
  std::string path_;
  std::string peeked_;
  size_t peeked_pos_ = 0;
  absl::Status status_;
};

// gzip (including concatenated members, as `cat a.gz b.gz` produces) over any byte source.
class GzipSource : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> raw, std::string path)
      : raw_(std::move(raw)), path_(std::move(path)) {
    std::memset(&stream_, 0, sizeof(stream_));
    inflateInit2(&stream_, 15 + 16);
    input_.resize(kChunkBytes);
  }
  ~GzipSource() override { inflateEnd(&stream_); }

  int64_t Read(char* buffer, size_t size) override {
    stream_.next_out = reinterpret_cast<Bytef*>(buffer);
    stream_.avail_out = static_cast<uInt>(size);
    while (stream_.avail_out == size) {
      if (stream_.avail_in == 0) {
        int64_t n = raw_->Read(input_.data(), input_.size());
        if (n < 0) {
          status_ = raw_->status();
          return -1;
        }
        if (n == 0) {
          if (!member_done_) {
            status_ = absl::DataLossError(absl::StrCat(path_, ": truncated gzip data"));
            return -1;
          }
          return 0;
        }
        stream_.next_in = reinterpret_cast<Bytef*>(input_.data());
        stream_.avail_in = static_cast<uInt>(n);
      }
      if (member_done_) {
        inflateReset(&stream_);
        member_done_ = false;
      }
      int rc = inflate(&stream_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        member_done_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        status_ = absl::DataLossError(absl::StrCat(
            path_, ": corrupt gzip data: ", stream_.msg != nullptr ? stream_.msg : "inflate error"));
        return -1;
      }
    }
    return static_cast<int64_t>(size - stream_.avail_out);
  }
  absl::Status status() const override { return status_; }

 private:
  std::unique_ptr<ByteSource> raw_;
  std::string path_;
  z_stream stream_;
  std::string input_;
  bool member_done_ = false;
  absl::Status status_;
};

class ZstdSource : public ByteSource {
 public:
  ZstdSource(std::unique_ptr<ByteSource> raw, std::string path)
      : raw_(std::move(raw)), path_(std::move(path)), stream_(ZSTD_createDStream()) {
    ZSTD_initDStream(stream_);
    input_.resize(kChunkBytes);
  }
  ~ZstdSource() override { ZSTD_freeDStream(stream_); }

  int64_t Read(char* buffer, size_t size) override {
    ZSTD_outBuffer out = {buffer, size, 0};
    while (out.pos == 0) {
      if (in_.pos == in_.size) {
        int64_t n = raw_->Read(input_.data(), input_.size());
        if (n < 0) {
          status_ = raw_->status();
          return -1;
        }
        if (n == 0) {
          if (frame_open_) {
            status_ = absl::DataLossError(absl::StrCat(path_, ": truncated zstd data"));
            return -1;
          }
          return 0;
        }
        in_ = {input_.data(), static_cast<size_t>(n), 0};
      }
      size_t rc = ZSTD_decompressStream(stream_, &out, &in_);
      if (ZSTD_isError(rc)) {
        status_ = absl::DataLossError(
            absl::StrCat(path_, ": corrupt zstd data: ", ZSTD_getErrorName(rc)));
        return -1;
      }
      frame_open_ = rc != 0;
    }
    return static_cast<int64_t>(out.pos);
  }
  absl::Status status() const override { return status_; }

 private:
  std::unique_ptr<ByteSource> raw_;
  std::string path_;
  ZSTD_DStream* stream_;
  std::string input_;
  ZSTD_inBuffer in_ = {nullptr, 0, 0};
  bool frame_open_ = false;
  absl::Status status_;
};

bool HasMagic(absl::string_view head, std::initializer_list<unsigned char> magic) {
  if (head.size() < magic.size()) return false;
  size_t i = 0;
  for (unsigned char byte : magic) {
    if (static_cast<unsigned char>(head[i++]) != byte) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path) {
  const bool is_stdin = path == "-";
  int fd = is_stdin ? 0 : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open", path);
  const std::string name = is_stdin ? "<stdin>" : path;
  // Peek at the magic bytes; stdin cannot seek, so the raw source replays them.
  char head[4];
  ssize_t got = 0;
  while (got < 4) {
    ssize_t n = read(fd, head + got, 4 - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += n;
  }
  absl::string_view prefix(head, got);
  auto raw = std::make_unique<FdSource>(fd, name, std::string(prefix));
  if (HasMagic(prefix, {0x28, 0xb5, 0x2f, 0xfd})) {
    return std::unique_ptr<ByteSource>(new ZstdSource(std::move(raw), name));
  }
  if (HasMagic(prefix, {0x1f, 0x8b})) {
    return std::unique_ptr<ByteSource>(new GzipSource(std::move(raw), name));
  }
  return std::unique_ptr<ByteSource>(std::move(raw));
}

absl::StatusOr<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<ByteSource>> source = OpenByteSource(path);
  if (!source.ok()) return source.status();
  return std::make_unique<LineReader>(std::move(source).value(), path == "-" ? "<stdin>" : path);
}

LineReader::LineReader(std::unique_ptr<ByteSource> source, std::string path)
    : source_(std::move(source)), path_(std::move(path)) {
  buffer_.resize(kChunkBytes);
}

bool LineReader::Fill() {
  if (eof_) return false;
  // Keep the unread tail, then read after it.
  size_t tail = buffer_end_ - buffer_pos_;
  if (buffer_pos_ > 0 && tail > 0) std::memmove(buffer_.data(), buffer_.data() + buffer_pos_, tail);
  buffer_pos_ = 0;
  buffer_end_ = tail;
  if (buffer_end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  int64_t n = source_->Read(buffer_.data() + buffer_end_, buffer_.size() - buffer_end_);
  if (n < 0) {
    status_ = source_->status();
    eof_ = true;
    return false;
  }
  if (n == 0) {
    eof_ = true;
    return false;
  }
  buffer_end_ += static_cast<size_t>(n);
  bytes_read_ += static_cast<uint64_t>(n);
  return true;
}

bool LineReader::Next(std::string* line) {
  size_t scan_from = buffer_pos_;
  while (true) {
    const char* start = buffer_.data() + scan_from;
    const void* newline = std::memchr(start, '\n', buffer_end_ - scan_from);
    if (newline != nullptr) {
      size_t end = static_cast<const char*>(newline) - buffer_.data();
      size_t content_end = end;
      if (content_end > buffer_pos_ && buffer_[content_end - 1] == '\r') --content_end;
      ended_with_cr_ = content_end != end;
      line->assign(buffer_.data() + buffer_pos_, content_end - buffer_pos_);
      buffer_pos_ = end + 1;
      ++line_number_;
      return true;
    }
    size_t scanned = buffer_end_ - buffer_pos_;
    if (!Fill()) {
      if (!status_.ok() || buffer_end_ == buffer_pos_) return false;
      // Last line without a trailing newline.
      size_t content_end = buffer_end_;
      if (content_end > buffer_pos_ && buffer_[content_end - 1] == '\r') --content_end;
      ended_with_cr_ = content_end != buffer_end_;
      line->assign(buffer_.data() + buffer_pos_, content_end - buffer_pos_);
      buffer_pos_ = buffer_end_;
      ++line_number_;
      return true;
    }
    scan_from = buffer_pos_ + scanned;
  }
}

}  // namespace cdiscan::io
