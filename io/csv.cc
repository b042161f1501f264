#include "io/csv.h"

#include <simdjson.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"

namespace cdiscan::io {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

size_t CountQuotes(absl::string_view text) { return std::count(text.begin(), text.end(), '"'); }

}  // namespace

CsvRecordReader::CsvRecordReader(LineReader* lines, size_t max_record_bytes)
    : lines_(lines), max_record_bytes_(max_record_bytes) {}

bool CsvRecordReader::Next(std::string* record) {
  record->clear();
  std::string line;
  if (!status_.ok() || !lines_->Next(&line)) return false;
  first_line_ = lines_->line_number();
  *record = std::move(line);
  // Quotes are balanced at the end of a record: every quoted field opens and closes, and a
  // literal quote inside one is doubled.
  size_t quotes = CountQuotes(*record);
  while (quotes % 2 == 1) {
    if (record->size() > max_record_bytes_) {
      status_ = absl::InvalidArgumentError(absl::StrCat(
          lines_->path(), ":", first_line_, ": CSV record over ", max_record_bytes_,
          " bytes; is a quote left open?"));
      return false;
    }
    // The break is part of a quoted field: keep it as it was written.
    const bool crlf = lines_->ended_with_cr();
    if (!lines_->Next(&line)) {
      if (lines_->status().ok()) {
        status_ = absl::InvalidArgumentError(absl::StrCat(
            lines_->path(), ":", first_line_, ": CSV quoted field not closed before end of file"));
      }
      return false;
    }
    record->append(crlf ? "\r\n" : "\n");
    record->append(line);
    quotes += CountQuotes(line);
  }
  return true;
}

absl::Status CsvRecordReader::status() const {
  if (!status_.ok()) return status_;
  return lines_->status();
}

absl::Status SplitCsvRecord(absl::string_view record, std::vector<std::string>* fields) {
  fields->clear();
  std::string field;
  size_t i = 0;
  const size_t n = record.size();
  while (true) {
    field.clear();
    if (i < n && record[i] == '"') {
      ++i;
      while (true) {
        if (i >= n) return absl::InvalidArgumentError("CSV: quoted field not closed");
        if (record[i] == '"') {
          if (i + 1 < n && record[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(record[i++]);
      }
      if (i < n && record[i] != ',') {
        return absl::InvalidArgumentError(
            absl::StrCat("CSV: unexpected character after closing quote in field ",
                         fields->size() + 1));
      }
    } else {
      const size_t end = std::min(record.find(',', i), n);
      absl::string_view raw = record.substr(i, end - i);
      if (raw.find('"') != absl::string_view::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("CSV: quote inside unquoted field ", fields->size() + 1));
      }
      field.assign(raw.data(), raw.size());
      i = end;
    }
    fields->push_back(field);
    if (i >= n) break;
    ++i;  // the comma
  }
  return absl::OkStatus();
}

std::string CsvEscape(absl::string_view field) {
  const bool needs_quotes =
      field.find_first_of(",\"\r\n") != absl::string_view::npos ||
      (!field.empty() && (absl::ascii_isspace(field.front()) || absl::ascii_isspace(field.back())));
  if (!needs_quotes) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += CsvEscape(fields[i]);
  }
  return out;
}

absl::StatusOr<CsvColumnMap> ParseCsvColumns(absl::string_view spec) {
  CsvColumnMap map;
  for (absl::string_view pair : absl::StrSplit(spec, ',', absl::SkipWhitespace())) {
    std::vector<absl::string_view> parts = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    if (parts.size() != 2 || absl::StripAsciiWhitespace(parts[0]).empty() ||
        absl::StripAsciiWhitespace(parts[1]).empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--csv-columns: expected field=Column pairs separated by commas, got \"", pair, "\""));
    }
    map[std::string(absl::StripAsciiWhitespace(parts[1]))] =
        std::string(absl::StripAsciiWhitespace(parts[0]));
  }
  return map;
}

absl::StatusOr<CsvMessageDecoder> CsvMessageDecoder::Create(const Descriptor* type,
                                                            const std::vector<std::string>& header,
                                                            const CsvColumnMap& columns) {
  CsvMessageDecoder decoder;
  decoder.column_count_ = header.size();
  for (const auto& [column, field] : columns) {
    if (type->FindFieldByName(field) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("--csv-columns: ", type->name(), " has no field '", field, "'"));
    }
  }
  for (const std::string& raw : header) {
    std::string column(absl::StripAsciiWhitespace(raw));
    // A UTF-8 byte order mark, as spreadsheet exports write, is not part of the first name.
    if (absl::StartsWith(column, "\xEF\xBB\xBF")) column.erase(0, 3);
    auto mapped = columns.find(column);
    const std::string name = mapped != columns.end() ? mapped->second : column;
    const FieldDescriptor* field = type->FindFieldByName(name);
    if (field != nullptr && field->is_repeated()) field = nullptr;
    if (field != nullptr && field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) field = nullptr;
    decoder.targets_.push_back(field);
  }
  return decoder;
}

bool CsvMessageDecoder::HasField(absl::string_view field) const {
  for (const FieldDescriptor* target : targets_) {
    if (target != nullptr && target->name() == field) return true;
  }
  return false;
}

absl::Status CsvMessageDecoder::Decode(const std::vector<std::string>& fields,
                                       Message* message) const {
  message->Clear();
  if (fields.size() != column_count_) {
    return absl::InvalidArgumentError(absl::StrCat("CSV record has ", fields.size(),
                                                   " fields; the header has ", column_count_));
  }
  const google::protobuf::Reflection* reflection = message->GetReflection();
  for (size_t i = 0; i < fields.size(); ++i) {
    const FieldDescriptor* field = targets_[i];
    if (field == nullptr || fields[i].empty()) continue;
    const std::string& value = fields[i];
    auto bad = [&](absl::string_view expected) {
      return absl::InvalidArgumentError(
          absl::StrCat("field '", field->name(), "': expected ", expected, ", got \"",
                       absl::CEscape(value.substr(0, 64)), "\""));
    };
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        if (!simdjson::validate_utf8(value.data(), value.size())) {
          return absl::InvalidArgumentError(
              absl::StrCat("field '", field->name(), "': not valid UTF-8"));
        }
        reflection->SetString(message, field, value);
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const auto* enum_value = field->enum_type()->FindValueByName(
            absl::AsciiStrToUpper(absl::StripAsciiWhitespace(value)));
        if (enum_value == nullptr) {
          std::string choices;
          for (int v = 1; v < field->enum_type()->value_count(); ++v) {
            absl::StrAppend(&choices, v > 1 ? ", " : "", field->enum_type()->value(v)->name());
          }
          return absl::InvalidArgumentError(absl::StrCat("field '", field->name(),
                                                         "': unknown value \"", value,
                                                         "\"; expected one of ", choices));
        }
        reflection->SetEnum(message, field, enum_value);
        break;
      }
      case FieldDescriptor::CPPTYPE_INT32: {
        int32_t number;
        if (!absl::SimpleAtoi(value, &number)) return bad("an integer");
        reflection->SetInt32(message, field, number);
        break;
      }
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        double number;
        if (!absl::SimpleAtod(value, &number)) return bad("a number");
        reflection->SetDouble(message, field, number);
        break;
      }
      default:
        return bad("a supported type");
    }
  }
  return absl::OkStatus();
}

}  // namespace cdiscan::io
