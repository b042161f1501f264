#include "engine/frame_spill.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"

namespace cdiscan::engine {
namespace {

absl::Status ErrnoStatus(absl::string_view what, const std::string& dir) {
  return absl::InternalError(
      absl::StrCat("spill file in ", dir, ": ", what, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<FrameSpill>> FrameSpill::Create(const std::string& dir) {
  std::string where = dir;
  if (where.empty()) {
    const char* tmpdir = std::getenv("TMPDIR");
    where = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
  }
  std::string path = absl::StrCat(where, "/cdiscan-facts-XXXXXX");
  std::vector<char> name(path.begin(), path.end());
  name.push_back('\0');
  const int fd = mkstemp(name.data());
  if (fd < 0) return ErrnoStatus("cannot create", where);
  // Unlinked at once: only this descriptor reaches the bytes, and they are freed however the
  // process ends.
  if (unlink(name.data()) != 0) {
    const absl::Status status = ErrnoStatus("cannot unlink", where);
    close(fd);
    return status;
  }
  return std::unique_ptr<FrameSpill>(new FrameSpill(fd, std::move(where)));
}

FrameSpill::~FrameSpill() { close(fd_); }

absl::StatusOr<uint64_t> FrameSpill::Append(absl::string_view bytes) {
  const uint64_t start = size_;
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = pwrite(fd_, bytes.data() + done, bytes.size() - done,
                             static_cast<off_t>(start + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoStatus("cannot write", dir_);
    done += static_cast<size_t>(n);
  }
  size_ += bytes.size();
  return start;
}

absl::Status FrameSpill::Read(uint64_t offset, size_t size, std::string* out) const {
  if (offset + size > size_) {
    return absl::InternalError(absl::StrCat("spill file in ", dir_, ": read of ", size,
                                            " bytes at ", offset, " past its end ", size_));
  }
  out->resize(size);
  size_t done = 0;
  while (done < size) {
    const ssize_t n =
        pread(fd_, out->data() + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoStatus("cannot read", dir_);
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

}  // namespace cdiscan::engine
