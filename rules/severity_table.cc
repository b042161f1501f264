#include "rules/severity_table.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/embedded_file.h"

namespace cdiscan {
extern const EmbeddedFile kSeverityTables[];
}  // namespace cdiscan

namespace cdiscan::rules {

const SeverityTable& SeverityTable::Bundled() {
  static const SeverityTable* const kTable = [] {
    const EmbeddedFile& file = kSeverityTables[0];
    absl::StatusOr<std::unique_ptr<SeverityTable>> table =
        Parse(absl::string_view(file.data, file.size), "MS-DRG v41.1");
    if (!table.ok()) {
      // The bundled table is checked by tests; a broken build must not rank silently.
      std::cerr << "internal error: bundled CC/MCC table: " << table.status() << "\n";
      std::abort();
    }
    return table->release();
  }();
  return *kTable;
}

absl::StatusOr<std::unique_ptr<SeverityTable>> SeverityTable::Parse(absl::string_view csv,
                                                                    std::string grouper_version) {
  auto table = std::unique_ptr<SeverityTable>(new SeverityTable());
  table->grouper_version_ = std::move(grouper_version);
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(csv, '\n')) {
    ++line_number;
    line = absl::StripSuffix(line, "\r");
    if (line.empty() || line[0] == '#' || absl::StartsWith(line, "icd_code")) continue;
    std::pair<absl::string_view, absl::string_view> fields = absl::StrSplit(line, ',');
    Severity severity;
    if (fields.second == "MCC") {
      severity = Severity::kMcc;
    } else if (fields.second == "CC") {
      severity = Severity::kCc;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("CC/MCC table line ", line_number, ": severity must be CC or MCC"));
    }
    table->severity_[absl::StrReplaceAll(fields.first, {{".", ""}})] = severity;
  }
  return table;
}

Severity SeverityTable::Of(absl::string_view icd10_code) const {
  auto it = severity_.find(absl::StrReplaceAll(icd10_code, {{".", ""}}));
  return it == severity_.end() ? Severity::kNone : it->second;
}

}  // namespace cdiscan::rules
