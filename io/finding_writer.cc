#include "io/finding_writer.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"

namespace cdiscan::io {

absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view name) {
  if (name == "jsonl") return OutputFormat::kJsonl;
  if (name == "binpb") return OutputFormat::kBinpb;
  if (name == "textproto") return OutputFormat::kTextproto;
  return absl::InvalidArgumentError(
      absl::StrCat("--format: unknown format \"", name, "\"; expected jsonl, binpb or textproto"));
}

absl::StatusOr<std::string> ToJsonLine(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  return json;
}

absl::StatusOr<std::unique_ptr<FindingWriter>> FindingWriter::Open(const std::string& path,
                                                                   OutputFormat format) {
  if (path == "-" || path.empty()) {
    return std::unique_ptr<FindingWriter>(new FindingWriter(stdout, false, "<stdout>", format));
  }
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat(path, ": cannot open for writing: ", std::strerror(errno)));
  }
  return std::unique_ptr<FindingWriter>(new FindingWriter(file, true, path, format));
}

FindingWriter::FindingWriter(FILE* file, bool owned, std::string path, OutputFormat format)
    : file_(file), owned_(owned), path_(std::move(path)), format_(format) {}

FindingWriter::~FindingWriter() { (void)Close(); }

absl::Status FindingWriter::Write(const google::protobuf::Message& message) {
  buffer_.clear();
  switch (format_) {
    case OutputFormat::kJsonl: {
      absl::StatusOr<std::string> json = ToJsonLine(message);
      if (!json.ok()) return json.status();
      buffer_ = std::move(json).value();
      buffer_.push_back('\n');
      break;
    }
    case OutputFormat::kBinpb: {
      google::protobuf::io::StringOutputStream raw(&buffer_);
      google::protobuf::io::CodedOutputStream coded(&raw);
      coded.WriteVarint32(static_cast<uint32_t>(message.ByteSizeLong()));
      message.SerializeWithCachedSizes(&coded);
      break;
    }
    case OutputFormat::kTextproto: {
      google::protobuf::TextFormat::PrintToString(message, &buffer_);
      buffer_ = absl::StrCat("# ", message.GetDescriptor()->name(), "\n", buffer_, "\n");
      break;
    }
  }
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    return absl::DataLossError(absl::StrCat(path_, ": write failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status FindingWriter::Close() {
  if (file_ == nullptr) return absl::OkStatus();
  bool ok = std::fflush(file_) == 0;
  if (owned_) ok = std::fclose(file_) == 0 && ok;
  file_ = nullptr;
  if (!ok) return absl::DataLossError(absl::StrCat(path_, ": write failed: ", std::strerror(errno)));
  return absl::OkStatus();
}

}  // namespace cdiscan::io
