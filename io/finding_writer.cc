#include "io/finding_writer.h"

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "io/proto_json.h"

namespace cdiscan::io {
namespace {

constexpr char kTypeUrlPrefix[] = "type.googleapis.com";

}  // namespace

absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view name) {
  if (name == "jsonl") return OutputFormat::kJsonl;
  if (name == "binpb") return OutputFormat::kBinpb;
  if (name == "textproto") return OutputFormat::kTextproto;
  return absl::InvalidArgumentError(
      absl::StrCat("--format: unknown format \"", name, "\"; expected jsonl, binpb or textproto"));
}

absl::StatusOr<std::string> ToJsonLine(const google::protobuf::Message& message) {
  std::string json;
  json.reserve(1024);
  if (AppendProtoJson(message, &json)) return json;
  // protobuf's printer renders the message's binary form, and maps (a Struct's fields) come
  // out in the order that form has them. MessageToJsonString serializes in hash order, which
  // changes from run to run; serialized deterministically, map entries are sorted by key, so
  // the same message always prints the same line.
  std::string binary;
  {
    google::protobuf::io::StringOutputStream raw(&binary);
    google::protobuf::io::CodedOutputStream coded(&raw);
    coded.SetSerializationDeterministic(true);
    if (!message.SerializeToCodedStream(&coded)) {
      return absl::InternalError(
          absl::StrCat("cannot serialize ", message.GetDescriptor()->full_name()));
    }
  }
  static google::protobuf::util::TypeResolver* const kResolver =
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          kTypeUrlPrefix, google::protobuf::DescriptorPool::generated_pool());
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  auto status = google::protobuf::util::BinaryToJsonString(
      kResolver, absl::StrCat(kTypeUrlPrefix, "/", message.GetDescriptor()->full_name()), binary,
      &json, options);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  return json;
}

absl::StatusOr<std::unique_ptr<FindingWriter>> FindingWriter::Open(
    const std::string& path, OutputFormat format, std::ostream* standard_output) {
  if (path == "-" || path.empty()) {
    return std::unique_ptr<FindingWriter>(
        new FindingWriter(nullptr, standard_output, "<stdout>", format));
  }
  auto file = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
  if (!*file) {
    return absl::PermissionDeniedError(
        absl::StrCat(path, ": cannot open for writing: ", std::strerror(errno)));
  }
  std::ostream* stream = file.get();
  return std::unique_ptr<FindingWriter>(new FindingWriter(std::move(file), stream, path, format));
}

FindingWriter::FindingWriter(std::unique_ptr<std::ofstream> file, std::ostream* stream,
                             std::string path, OutputFormat format)
    : file_(std::move(file)), stream_(stream), path_(std::move(path)), format_(format) {}

FindingWriter::~FindingWriter() { (void)Close(); }

absl::StatusOr<std::string> FindingWriter::Render(const google::protobuf::Message& message) const {
  std::string bytes;
  switch (format_) {
    case OutputFormat::kJsonl: {
      absl::StatusOr<std::string> json = ToJsonLine(message);
      if (!json.ok()) return json.status();
      bytes = std::move(json).value();
      bytes.push_back('\n');
      break;
    }
    case OutputFormat::kBinpb: {
      google::protobuf::io::StringOutputStream raw(&bytes);
      google::protobuf::io::CodedOutputStream coded(&raw);
      coded.WriteVarint32(static_cast<uint32_t>(message.ByteSizeLong()));
      message.SerializeWithCachedSizes(&coded);
      break;
    }
    case OutputFormat::kTextproto: {
      google::protobuf::TextFormat::PrintToString(message, &bytes);
      bytes = absl::StrCat("# ", message.GetDescriptor()->name(), "\n", bytes, "\n");
      break;
    }
  }
  return bytes;
}

absl::Status FindingWriter::Write(const google::protobuf::Message& message) {
  absl::StatusOr<std::string> bytes = Render(message);
  if (!bytes.ok()) return bytes.status();
  return WriteRendered(*bytes);
}

absl::Status FindingWriter::WriteRendered(const std::string& bytes) {
  if (stream_ == nullptr) return absl::FailedPreconditionError("write after close");
  stream_->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!*stream_) return absl::DataLossError(absl::StrCat(path_, ": write failed"));
  return absl::OkStatus();
}

absl::Status FindingWriter::Close() {
  if (stream_ == nullptr) return absl::OkStatus();
  stream_->flush();
  bool ok = static_cast<bool>(*stream_);
  if (file_ != nullptr) {
    file_->close();
    ok = ok && !file_->fail();
  }
  stream_ = nullptr;
  if (!ok) return absl::DataLossError(absl::StrCat(path_, ": write failed (disk full?)"));
  return absl::OkStatus();
}

}  // namespace cdiscan::io
