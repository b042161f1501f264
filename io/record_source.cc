#include "io/record_source.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "proto/note.pb.h"

namespace cdiscan::io {
namespace {

bool IsBlank(absl::string_view line) { return absl::StripAsciiWhitespace(line).empty(); }

// Top-level key test without a JSON parse: good enough to choose a record kind from the first
// record; the record itself is parsed properly by the worker.
bool HasKey(absl::string_view json, absl::string_view key) {
  return absl::StrContains(json, absl::StrCat("\"", key, "\""));
}

}  // namespace

absl::string_view RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kNote: return "note";
    case RecordKind::kEncounter: return "encounter";
    case RecordKind::kObservation: return "observation";
    case RecordKind::kAuto: break;
  }
  return "record";
}

absl::StatusOr<std::vector<std::string>> ExpandExtractPath(const std::string& path) {
  if (path == "-") return std::vector<std::string>{path};
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  }
  if (!S_ISDIR(info.st_mode)) return std::vector<std::string>{path};
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot list: ", std::strerror(errno)));
  }
  std::vector<std::string> files;
  while (struct dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    std::string file = absl::StrCat(path, absl::EndsWith(path, "/") ? "" : "/", entry->d_name);
    struct stat child;
    if (stat(file.c_str(), &child) == 0 && S_ISREG(child.st_mode)) files.push_back(file);
  }
  closedir(dir);
  std::sort(files.begin(), files.end());
  return files;
}

RecordSource::RecordSource(std::unique_ptr<LineReader> lines) : lines_(std::move(lines)) {}

absl::StatusOr<std::unique_ptr<RecordSource>> RecordSource::Open(const std::string& path,
                                                                 RecordKind kind,
                                                                 const CsvColumnMap& csv_columns) {
  absl::StatusOr<std::unique_ptr<LineReader>> lines = LineReader::Open(path);
  if (!lines.ok()) return lines.status();
  std::unique_ptr<RecordSource> source(new RecordSource(std::move(*lines)));
  source->kind_ = kind;
  std::string first;
  while (source->lines_->Next(&first)) {
    if (!IsBlank(first)) break;
    first.clear();
  }
  if (!source->lines_->status().ok()) return source->lines_->status();
  if (IsBlank(first)) return source;  // empty: no records
  const absl::string_view head = absl::StripLeadingAsciiWhitespace(first);
  if (absl::StartsWith(head, "{")) {
    source->pending_ = std::move(first);
    source->pending_line_ = source->lines_->line_number();
    if (HasKey(*source->pending_, "resourceType")) {
      source->format_ = RecordFormat::kFhirNdjson;
      source->kind_ = RecordKind::kAuto;
    } else if (kind == RecordKind::kAuto) {
      source->kind_ = HasKey(*source->pending_, "text") ? RecordKind::kNote
                      : (HasKey(*source->pending_, "code") ||
                         HasKey(*source->pending_, "observation_id"))
                          ? RecordKind::kObservation
                          : RecordKind::kEncounter;
    }
    return source;
  }
  // CSV: the first line is the header, if it names fields of a cdiscan record. A first line
  // that is neither JSON nor such a header is read as (bad) JSONL, so it is rejected with its
  // line number rather than silently taken for column names.
  std::vector<std::string> header;
  const bool splits = SplitCsvRecord(first, &header).ok();
  auto decoder_for = [&](RecordKind k, const CsvColumnMap& columns) {
    const google::protobuf::Descriptor* type =
        k == RecordKind::kNote        ? Note::descriptor()
        : k == RecordKind::kEncounter ? Encounter::descriptor()
                                      : Observation::descriptor();
    return CsvMessageDecoder::Create(type, header, columns);
  };
  auto recognises = [&](RecordKind k) {
    // The mapping may name fields of another kind; recognise with it where it applies.
    absl::StatusOr<CsvMessageDecoder> d = decoder_for(k, csv_columns);
    if (!d.ok()) d = decoder_for(k, {});
    if (!d.ok()) return false;
    switch (k) {
      case RecordKind::kNote: return d->HasField("text");
      case RecordKind::kObservation: return d->HasField("code") || d->HasField("observation_id");
      case RecordKind::kEncounter: return d->HasField("encounter_id");
      case RecordKind::kAuto: break;
    }
    return false;
  };
  RecordKind csv_kind = kind;
  if (splits && kind == RecordKind::kAuto) {
    csv_kind = recognises(RecordKind::kNote)          ? RecordKind::kNote
               : recognises(RecordKind::kObservation) ? RecordKind::kObservation
                                                      : RecordKind::kEncounter;
  }
  if (!splits || !recognises(csv_kind)) {
    source->pending_ = std::move(first);
    source->pending_line_ = source->lines_->line_number();
    if (source->kind_ == RecordKind::kAuto) source->kind_ = RecordKind::kNote;
    return source;
  }
  source->format_ = RecordFormat::kCsv;
  source->kind_ = csv_kind;
  absl::StatusOr<CsvMessageDecoder> decoder = decoder_for(csv_kind, csv_columns);
  if (!decoder.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", decoder.status().message()));
  }
  source->csv_decoder_ = std::move(*decoder);
  source->csv_ = std::make_unique<CsvRecordReader>(source->lines_.get());
  return source;
}

bool RecordSource::Next(std::string* record) {
  if (pending_.has_value()) {
    *record = std::move(*pending_);
    pending_.reset();
    line_number_ = pending_line_;
    return true;
  }
  if (csv_ != nullptr) {
    while (csv_->Next(record)) {
      line_number_ = csv_->line_number();
      if (!IsBlank(*record)) return true;
    }
    return false;
  }
  while (lines_->Next(record)) {
    line_number_ = lines_->line_number();
    if (!IsBlank(*record)) return true;
  }
  return false;
}

absl::Status RecordSource::status() const {
  if (csv_ != nullptr) return csv_->status();
  return lines_->status();
}

}  // namespace cdiscan::io
