// RFC 4180 CSV: records whose quoted fields may hold commas, doubled quotes and newlines, read
// from a file that may be plain, gzip, zstd or stdin (through LineReader), and written back.
// Plus the mapping from a site's column names onto the fields of a cdiscan record
// (`--csv-columns=note_id=DOC_ID,text=NOTE_TEXT`), so an extract does not need renaming.
//
// Example:
//   ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, LineReader::Open("notes.csv"));
//   CsvRecordReader reader(lines.get());
//   std::string raw;
//   while (reader.Next(&raw)) {            // one whole record, possibly several lines
//     std::vector<std::string> fields;
//     RETURN_IF_ERROR(SplitCsvRecord(raw, &fields));
//   }
//
// Line breaks inside quoted fields come back exactly as written ("\n" or "\r\n"), so offsets in
// findings are the same as for the same note in JSONL.
//
// Thread safety: a reader belongs to one thread; the free functions are thread-safe.
#ifndef CDISCAN_IO_CSV_H_
#define CDISCAN_IO_CSV_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "io/line_reader.h"

namespace cdiscan::io {

// Joins physical lines into CSV records: a record ends at a line break outside quotes.
class CsvRecordReader {
 public:
  // `lines` must outlive the reader. `max_record_bytes` bounds a record whose quote never closes
  // (the rest of the file would otherwise become one field).
  explicit CsvRecordReader(LineReader* lines, size_t max_record_bytes = 64 << 20);

  // The next record's raw text (lines joined with "\n"). False at the end or on error.
  bool Next(std::string* record);
  // 1-based line where the record last returned started.
  uint64_t line_number() const { return first_line_; }
  // Non-OK when a record was left open at the end of the file or grew past the limit.
  absl::Status status() const;

 private:
  LineReader* lines_;
  size_t max_record_bytes_;
  uint64_t first_line_ = 0;
  absl::Status status_;
};

// Splits one record (as CsvRecordReader returns it) into unquoted field values.
// InvalidArgument for a quote in the middle of an unquoted field or text after a closing quote.
absl::Status SplitCsvRecord(absl::string_view record, std::vector<std::string>* fields);

// A field quoted when it has to be (comma, quote, CR or LF, or leading/trailing space).
std::string CsvEscape(absl::string_view field);
// Fields joined with "," (no line terminator).
std::string CsvLine(const std::vector<std::string>& fields);

// Column name in the file -> proto field name. Parsed from "field=Column,field=Column".
using CsvColumnMap = std::map<std::string, std::string>;
absl::StatusOr<CsvColumnMap> ParseCsvColumns(absl::string_view spec);

// Decodes CSV records into a flat proto message (Note, Encounter, Observation) by header.
// A column is used when its name, after the mapping, is a field of the message; other columns
// are ignored (extracts carry extras). Enum fields take value names; numbers are parsed; an
// empty cell leaves the field unset.
class CsvMessageDecoder {
 public:
  // InvalidArgument when the mapping names a field the message does not have or a column the
  // header does not have.
  static absl::StatusOr<CsvMessageDecoder> Create(const google::protobuf::Descriptor* type,
                                                  const std::vector<std::string>& header,
                                                  const CsvColumnMap& columns);
  // True if the header supplies `field` (after mapping).
  bool HasField(absl::string_view field) const;
  // Clears `message` and fills it. Errors name the field, never the value of `text`.
  absl::Status Decode(const std::vector<std::string>& fields,
                      google::protobuf::Message* message) const;

 private:
  CsvMessageDecoder() = default;
  size_t column_count_ = 0;
  // Per column: the field it fills, or null.
  std::vector<const google::protobuf::FieldDescriptor*> targets_;
};

}  // namespace cdiscan::io

#endif  // CDISCAN_IO_CSV_H_
