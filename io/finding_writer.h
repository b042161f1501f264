// Writes findings as JSONL (protobuf JSON mapping, snake_case field names), a length-delimited
// binary stream ("binpb"), or text format.
//
// Example:
//   ASSIGN_OR_RETURN(auto writer, FindingWriter::Open(path, OutputFormat::kJsonl, &std::cout));
//   RETURN_IF_ERROR(writer->Write(finding));
//   RETURN_IF_ERROR(writer->Close());
//
// Thread safety: one writer, one thread.
#ifndef CDISCAN_IO_FINDING_WRITER_H_
#define CDISCAN_IO_FINDING_WRITER_H_

#include <fstream>
#include <memory>
#include <ostream>
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
  // "-" (or "") writes to `standard_output` (normally std::cout).
  static absl::StatusOr<std::unique_ptr<FindingWriter>> Open(const std::string& path,
                                                             OutputFormat format,
                                                             std::ostream* standard_output);
  ~FindingWriter();
  FindingWriter(const FindingWriter&) = delete;
  FindingWriter& operator=(const FindingWriter&) = delete;

  absl::Status Write(const google::protobuf::Message& message);
  // The bytes Write would write for `message`. Const and thread-safe, so rendering can run on
  // worker threads; the bytes then go out with WriteRendered, in order.
  absl::StatusOr<std::string> Render(const google::protobuf::Message& message) const;
  absl::Status WriteRendered(const std::string& bytes);
  absl::Status Close();

 private:
  FindingWriter(std::unique_ptr<std::ofstream> file, std::ostream* stream, std::string path,
                OutputFormat format);

  std::unique_ptr<std::ofstream> file_;  // owned when writing to a file
  std::ostream* stream_;                 // where bytes go; null once closed
  std::string path_;
  OutputFormat format_;
};

// One message as a single JSON line (no trailing newline), proto field names preserved. The
// same message always gives the same bytes: map entries (a Struct's fields) come in key
// order. Messages with what AppendProtoJson does not cover must be of a type compiled into
// the binary (the generated descriptor pool), which every cdiscan message is.
absl::StatusOr<std::string> ToJsonLine(const google::protobuf::Message& message);

}  // namespace cdiscan::io

#endif  // CDISCAN_IO_FINDING_WRITER_H_
