// Writes findings as JSONL (protobuf JSON mapping, snake_case field names), a length-delimited
// binary stream ("binpb"), or text format.
//
// Example:
//   ASSIGN_OR_RETURN(auto writer, FindingWriter::Open("-", OutputFormat::kJsonl));
//   RETURN_IF_ERROR(writer->Write(finding));
//   RETURN_IF_ERROR(writer->Close());
//
// Thread safety: one writer, one thread.
#ifndef CDISCAN_IO_FINDING_WRITER_H_
#define CDISCAN_IO_FINDING_WRITER_H_

#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace cdiscan::io {

enum class OutputFormat { kJsonl, kBinpb, kTextproto };

// "jsonl" | "binpb" | "textproto".
absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view name);

class FindingWriter {
 public:
  // "-" writes to stdout.
  static absl::StatusOr<std::unique_ptr<FindingWriter>> Open(const std::string& path,
                                                             OutputFormat format);
  ~FindingWriter();
  FindingWriter(const FindingWriter&) = delete;
  FindingWriter& operator=(const FindingWriter&) = delete;

  absl::Status Write(const google::protobuf::Message& message);
  absl::Status Close();

 private:
  FindingWriter(FILE* file, bool owned, std::string path, OutputFormat format);

  FILE* file_;
  bool owned_;
  std::string path_;
  OutputFormat format_;
  std::string buffer_;
};

// One message as a single JSON line (no trailing newline), proto field names preserved.
absl::StatusOr<std::string> ToJsonLine(const google::protobuf::Message& message);

}  // namespace cdiscan::io

#endif  // CDISCAN_IO_FINDING_WRITER_H_
