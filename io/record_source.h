// Raw records of an extract, whatever its format, with the file and line they start on, so the
// scan pipeline can decode them on worker threads and reject them with an exact location.
//
// Formats, recognised from the content (never the file name), after decompression:
//   - FHIR R4 Bulk Data NDJSON: JSON objects with "resourceType" (see io/fhir_record.h);
//   - cdiscan JSONL: other JSON objects, protobuf JSON mapping of proto/note.proto;
//   - CSV with a header row (RFC 4180, quoted fields may span lines; see io/csv.h).
// Record kind for cdiscan JSONL and CSV (which note/encounter/observation message a record is)
// comes from the flag that named the file (--notes, --encounters, --observations) or, for
// --extract, from the first record: a `text` field means notes, `code` or `observation_id`
// observations, anything else encounters. FHIR records carry their own type.
//
// Example:
//   ASSIGN_OR_RETURN(std::vector<std::string> files, ExpandExtractPath("extract/"));
//   for (const std::string& file : files) {
//     ASSIGN_OR_RETURN(std::unique_ptr<RecordSource> source, RecordSource::Open(file, {}));
//     std::string record;
//     while (source->Next(&record)) { ... source->line_number() ... }
//     RETURN_IF_ERROR(source->status());
//   }
//
// Thread safety: a source belongs to one thread.
#ifndef CDISCAN_IO_RECORD_SOURCE_H_
#define CDISCAN_IO_RECORD_SOURCE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "io/csv.h"
#include "io/line_reader.h"

namespace cdiscan::io {

enum class RecordFormat { kJsonl, kFhirNdjson, kCsv };
enum class RecordKind { kAuto, kNote, kEncounter, kObservation };

absl::string_view RecordKindName(RecordKind kind);  // "note", "encounter", "observation"

// A directory becomes its regular files, sorted by name (hidden files skipped); anything else
// (a file, "-" for stdin) is returned as is. NotFound when the path does not exist.
absl::StatusOr<std::vector<std::string>> ExpandExtractPath(const std::string& path);

class RecordSource {
 public:
  // `kind` is the caller's hint; kAuto infers it (see above). An empty file yields no records.
  static absl::StatusOr<std::unique_ptr<RecordSource>> Open(const std::string& path,
                                                            RecordKind kind,
                                                            const CsvColumnMap& csv_columns);

  RecordFormat format() const { return format_; }
  // The record kind for JSONL and CSV; kAuto for FHIR (per record).
  RecordKind kind() const { return kind_; }
  // For CSV: the decoder built from the header for kind().
  const CsvMessageDecoder* csv_decoder() const {
    return csv_decoder_.has_value() ? &*csv_decoder_ : nullptr;
  }

  // The next non-blank record. False at the end or on a fatal read error (see status()).
  bool Next(std::string* record);
  uint64_t line_number() const { return line_number_; }
  uint64_t bytes_read() const { return lines_->bytes_read(); }
  const std::string& path() const { return lines_->path(); }
  absl::Status status() const;

 private:
  explicit RecordSource(std::unique_ptr<LineReader> lines);

  std::unique_ptr<LineReader> lines_;
  std::unique_ptr<CsvRecordReader> csv_;
  std::optional<CsvMessageDecoder> csv_decoder_;
  RecordFormat format_ = RecordFormat::kJsonl;
  RecordKind kind_ = RecordKind::kAuto;
  // The first record, read to recognise the format, handed out by the first Next().
  std::optional<std::string> pending_;
  uint64_t pending_line_ = 0;
  uint64_t line_number_ = 0;
};

}  // namespace cdiscan::io

#endif  // CDISCAN_IO_RECORD_SOURCE_H_
