// Where the scan pipeline keeps packed note facts that do not fit its memory budget: an
// unlinked temporary file, appended to by the driving thread and read back by offset from the
// workers that evaluate encounters. The file is gone when the spill is destroyed or the
// process ends, however it ends.
//
// Example:
//   ASSIGN_OR_RETURN(std::unique_ptr<FrameSpill> spill, FrameSpill::Create(""));
//   ASSIGN_OR_RETURN(uint64_t at, spill->Append(frame));
//   RETURN_IF_ERROR(spill->Read(at, frame.size(), &copy));
//
// Thread safety: Append from one thread at a time, and not while any Read runs; Read from any
// number of threads at once (the pipeline appends while it scans and reads while it evaluates).
#ifndef CDISCAN_ENGINE_FRAME_SPILL_H_
#define CDISCAN_ENGINE_FRAME_SPILL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cdiscan::engine {

class FrameSpill {
 public:
  // A spill file in `dir`, or when it is empty in $TMPDIR, else /tmp.
  static absl::StatusOr<std::unique_ptr<FrameSpill>> Create(const std::string& dir);
  ~FrameSpill();
  FrameSpill(const FrameSpill&) = delete;
  FrameSpill& operator=(const FrameSpill&) = delete;

  // Appends `bytes` and returns the offset they start at.
  absl::StatusOr<uint64_t> Append(absl::string_view bytes);
  // Replaces `*out` with the `size` bytes at `offset`.
  absl::Status Read(uint64_t offset, size_t size, std::string* out) const;

  uint64_t size() const { return size_; }
  // The directory the file was made in, for messages.
  const std::string& dir() const { return dir_; }

 private:
  FrameSpill(int fd, std::string dir) : fd_(fd), dir_(std::move(dir)) {}

  int fd_;
  std::string dir_;
  uint64_t size_ = 0;
};

}  // namespace cdiscan::engine

#endif  // CDISCAN_ENGINE_FRAME_SPILL_H_
