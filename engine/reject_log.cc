#include "engine/reject_log.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"

namespace cdiscan::engine {

absl::StatusOr<std::unique_ptr<RejectLog>> RejectLog::Open(std::ostream* messages,
                                                           const std::string& rejects_path,
                                                           uint64_t max_messages) {
  FILE* rejects = nullptr;
  if (!rejects_path.empty()) {
    rejects = std::fopen(rejects_path.c_str(), "wb");
    if (rejects == nullptr) {
      return absl::PermissionDeniedError(absl::StrCat(
          rejects_path, ": cannot open for writing: ", std::strerror(errno), " (--rejects)"));
    }
  }
  return std::unique_ptr<RejectLog>(new RejectLog(messages, rejects, rejects_path, max_messages));
}

RejectLog::RejectLog(std::ostream* messages, FILE* rejects, std::string rejects_path,
                     uint64_t max)
    : messages_(messages), rejects_(rejects), rejects_path_(std::move(rejects_path)),
      max_messages_(max) {}

RejectLog::~RejectLog() { (void)Finish(); }

void RejectLog::Reject(absl::string_view path, uint64_t line, absl::string_view kind,
                       absl::string_view message, absl::string_view raw_line) {
  ++count_;
  if (count_ <= max_messages_) {
    *messages_ << path << ":" << line << ": " << kind << " rejected: " << message << "\n";
  }
  if (rejects_ != nullptr) {
    bool ok = std::fwrite(raw_line.data(), 1, raw_line.size(), rejects_) == raw_line.size() &&
              std::fputc('\n', rejects_) != EOF;
    write_failed_ |= !ok;
  }
}

absl::Status RejectLog::Finish() {
  if (count_ > max_messages_) {
    *messages_ << "... and " << (count_ - max_messages_) << " more rejected record(s)"
               << (rejects_ != nullptr ? absl::StrCat("; all are in ", rejects_path_) : "")
               << "\n";
    max_messages_ = count_;
  }
  if (rejects_ != nullptr) {
    write_failed_ |= std::fclose(rejects_) != 0;
    rejects_ = nullptr;
  }
  if (write_failed_) {
    return absl::DataLossError(absl::StrCat(rejects_path_, ": writing rejected lines failed"));
  }
  return absl::OkStatus();
}

}  // namespace cdiscan::engine
