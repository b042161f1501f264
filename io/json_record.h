// Parses one JSON object (a JSONL line) into a flat protobuf message, following protobuf's JSON
// mapping: fields by proto name or lowerCamelCase JSON name, enums by name (or number), numbers
// as JSON numbers or numeric strings, null as "unset". Unknown fields are ignored, so extracts
// may carry extra columns. Errors name the field and what was wrong with it.
//
// Why not protobuf's JsonStringToMessage: it is several times slower than simdjson on the
// note-sized strings that dominate an extract, and its messages do not name the offending field
// in a way a data engineer can act on ("unknown value \"SURGEON\" for author_role").
//
// Thread safety: one parser per thread (it reuses its buffers).
#ifndef CDISCAN_IO_JSON_RECORD_H_
#define CDISCAN_IO_JSON_RECORD_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace cdiscan::io {

class JsonRecordParser {
 public:
  JsonRecordParser();
  ~JsonRecordParser();
  JsonRecordParser(const JsonRecordParser&) = delete;
  JsonRecordParser& operator=(const JsonRecordParser&) = delete;

  // Clears `message` and fills it from the JSON object in `json`.
  // Returns InvalidArgument with a message such as
  //   "field 'author_role': unknown value \"SURGEON\"; expected one of PHYSICIAN, ..."
  absl::Status Parse(absl::string_view json, google::protobuf::Message* message);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cdiscan::io

#endif  // CDISCAN_IO_JSON_RECORD_H_
