// Where rejected input records go: a clear message per record on stderr ("path:line: note
// rejected: field 'note_id': required but missing"), and optionally the verbatim line to a
// rejects file so nothing is lost. Messages never include note text (PHI), only ids and fields.
//
// Thread safety: not thread-safe; the pipeline reports rejections from one thread, in input
// order, so the log is deterministic.
#ifndef CDISCAN_ENGINE_REJECT_LOG_H_
#define CDISCAN_ENGINE_REJECT_LOG_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cdiscan::engine {

class RejectLog {
 public:
  // `messages` receives one line per rejection, up to `max_messages`; then one line saying how
  // many more there were. `rejects_path` ("" for none) receives every rejected line verbatim.
  static absl::StatusOr<std::unique_ptr<RejectLog>> Open(std::ostream* messages,
                                                         const std::string& rejects_path,
                                                         uint64_t max_messages = 100);
  ~RejectLog();

  // `kind` is "note", "encounter" or "observation".
  void Reject(absl::string_view path, uint64_t line, absl::string_view kind,
              absl::string_view message, absl::string_view raw_line);
  // Writes the "... and N more" line and closes the rejects file.
  absl::Status Finish();

  uint64_t count() const { return count_; }

 private:
  RejectLog(std::ostream* messages, FILE* rejects, std::string rejects_path, uint64_t max);

  std::ostream* messages_;
  FILE* rejects_;
  std::string rejects_path_;
  uint64_t max_messages_;
  uint64_t count_ = 0;
  bool write_failed_ = false;
};

}  // namespace cdiscan::engine

#endif  // CDISCAN_ENGINE_REJECT_LOG_H_
