#include "tools/disposition_command.h"

#include <simdjson.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/clinical_time.h"
#include "io/csv.h"
#include "io/line_reader.h"
#include "io/state_store.h"
#include "tools/command_line.h"
#include "tools/exit_codes.h"

namespace cdiscan::tools {
namespace {

const std::vector<FlagSpec>& DispositionFlags() {
  static const auto* const kFlags = new std::vector<FlagSpec>{
      {"state", true, "the SQLite state file written by cdiscan nightly"},
      {"lock-timeout", true, "seconds to wait for a locked state file (default 10)"},
      {"help", false, "this help"},
  };
  return *kFlags;
}

void PrintUsage(std::ostream& os) {
  os << "usage: cdiscan disposition import --state=cdi.sqlite FILE.csv|FILE.jsonl...\n\n"
        "Imports reviewer dispositions (finding_id, disposition, reason, reviewer, at).\n"
        "disposition: QUERIED | AGREED | DISAGREED | NOT_CLINICALLY_SIGNIFICANT | DISMISSED\n"
        "(DISMISSED needs a reason). A dispositioned finding is suppressed until new evidence\n"
        "arrives. Exit status: 0 all imported, 3 some rows rejected, 2 usage, 1 fatal.\n\nflags:\n"
     << FlagHelp(DispositionFlags());
}

// One row's fields by name, from a JSON object.
absl::StatusOr<std::map<std::string, std::string>> JsonFields(const std::string& line) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(line).get(object) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("not a JSON object");
  }
  std::map<std::string, std::string> fields;
  for (auto [key, value] : object) {
    std::string_view text;
    if (value.get_string().get(text) == simdjson::SUCCESS) {
      fields[std::string(key)] = std::string(text);
    }
  }
  return fields;
}

absl::StatusOr<io::Disposition> ToDisposition(std::map<std::string, std::string> fields,
                                              const std::string& now) {
  io::Disposition d;
  d.finding_id = fields["finding_id"];
  d.disposition = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(fields["disposition"]));
  d.reason = fields["reason"];
  d.reviewer = fields["reviewer"];
  d.at = fields["at"].empty() ? now : fields["at"];
  if (d.finding_id.empty()) {
    return absl::InvalidArgumentError("field 'finding_id': required but missing");
  }
  if (!io::IsDisposition(d.disposition)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "field 'disposition': unknown value \"", d.disposition,
        "\"; expected one of QUERIED, AGREED, DISAGREED, NOT_CLINICALLY_SIGNIFICANT, DISMISSED"));
  }
  if (d.disposition == "DISMISSED" && absl::StripAsciiWhitespace(d.reason).empty()) {
    return absl::InvalidArgumentError("field 'reason': required for DISMISSED");
  }
  if (!ParseClinicalTime(d.at).has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("field 'at': \"", d.at, "\" is not an ISO 8601 date-time"));
  }
  return d;
}

}  // namespace

int RunDispositionCommand(const std::vector<std::string>& args, std::ostream& out,
                          std::ostream& err) {
  absl::StatusOr<CommandLine> flags = CommandLine::Parse(args, DispositionFlags());
  if (!flags.ok() || flags->Has("help") || flags->positional().empty() ||
      flags->positional()[0] != "import") {
    if (flags.ok() && flags->Has("help")) {
      PrintUsage(out);
      return kExitOk;
    }
    err << "cdiscan disposition: "
        << (flags.ok() ? "expected 'import' and files" : flags.status().message()) << "\n";
    PrintUsage(err);
    return kExitUsage;
  }
  if (!flags->Has("state") || flags->positional().size() < 2) {
    err << "cdiscan disposition: --state and at least one FILE are required\n";
    PrintUsage(err);
    return kExitUsage;
  }
  io::StateStore::Options options;
  if (flags->Has("lock-timeout")) {
    double seconds;
    if (!absl::SimpleAtod(flags->Get("lock-timeout"), &seconds) || seconds < 0) {
      err << "cdiscan disposition: --lock-timeout must be a number of seconds\n";
      return kExitUsage;
    }
    options.busy_timeout = absl::Seconds(seconds);
  }
  absl::StatusOr<std::unique_ptr<io::StateStore>> store =
      io::StateStore::Open(flags->Get("state"), options);
  if (!store.ok()) {
    err << "cdiscan disposition: " << store.status().message() << "\n";
    return kExitFatal;
  }
  const std::string now =
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
  int64_t imported = 0, rejected = 0;
  if (absl::Status s = (*store)->Begin(); !s.ok()) {
    err << "cdiscan disposition: " << s.message() << "\n";
    return kExitFatal;
  }
  for (size_t f = 1; f < flags->positional().size(); ++f) {
    const std::string& path = flags->positional()[f];
    absl::StatusOr<std::unique_ptr<io::LineReader>> lines = io::LineReader::Open(path);
    if (!lines.ok()) {
      (void)(*store)->Rollback();
      err << "cdiscan disposition: " << lines.status().message() << "\n";
      return kExitFatal;
    }
    io::CsvRecordReader csv(lines->get());
    std::vector<std::string> header;
    std::string record;
    bool first = true, is_json = false;
    while (csv.Next(&record)) {
      if (absl::StripAsciiWhitespace(record).empty()) continue;
      absl::StatusOr<std::map<std::string, std::string>> fields;
      if (first) {
        first = false;
        is_json = absl::StartsWith(absl::StripLeadingAsciiWhitespace(record), "{");
        if (!is_json) {
          if (absl::Status s = io::SplitCsvRecord(record, &header); !s.ok()) {
            (void)(*store)->Rollback();
            err << "cdiscan disposition: " << path << ":1: header: " << s.message() << "\n";
            return kExitFatal;
          }
          for (std::string& name : header) name = std::string(absl::StripAsciiWhitespace(name));
          continue;
        }
      }
      if (is_json) {
        fields = JsonFields(record);
      } else {
        std::vector<std::string> values;
        absl::Status s = io::SplitCsvRecord(record, &values);
        if (s.ok() && values.size() != header.size()) {
          s = absl::InvalidArgumentError(absl::StrCat("CSV record has ", values.size(),
                                                      " fields; the header has ", header.size()));
        }
        if (s.ok()) {
          std::map<std::string, std::string> by_name;
          for (size_t i = 0; i < header.size(); ++i) by_name[header[i]] = values[i];
          fields = std::move(by_name);
        } else {
          fields = s;
        }
      }
      absl::StatusOr<io::Disposition> d =
          fields.ok() ? ToDisposition(*fields, now) : absl::StatusOr<io::Disposition>(fields.status());
      absl::Status status = d.ok() ? (*store)->ImportDisposition(*d, now) : d.status();
      if (absl::IsUnavailable(status) || absl::IsInternal(status)) {
        (void)(*store)->Rollback();
        err << "cdiscan disposition: " << status.message() << "\n";
        return kExitFatal;
      }
      if (!status.ok()) {
        ++rejected;
        err << path << ":" << csv.line_number() << ": disposition rejected: " << status.message()
            << "\n";
        continue;
      }
      ++imported;
    }
    if (!csv.status().ok()) {
      (void)(*store)->Rollback();
      err << "cdiscan disposition: " << csv.status().message() << "\n";
      return kExitFatal;
    }
  }
  if (absl::Status s = (*store)->Commit(); !s.ok()) {
    err << "cdiscan disposition: " << s.message() << "\n";
    return kExitFatal;
  }
  err << "cdiscan disposition: imported " << imported << ", rejected " << rejected << "\n";
  return rejected > 0 ? kExitPartial : kExitOk;
}

}  // namespace cdiscan::tools
