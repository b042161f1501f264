// CC/MCC severity of ICD-10-CM codes for one MS-DRG grouper version, loaded from
// rules/data/cc_mcc_msdrg_<version>.csv (generated from the CMS table by
// tools/gen_cc_mcc_table.sh). Used only to rank findings, never in query text.
#ifndef CDISCAN_RULES_SEVERITY_TABLE_H_
#define CDISCAN_RULES_SEVERITY_TABLE_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cdiscan::rules {

enum class Severity { kNone = 0, kCc = 1, kMcc = 2 };

class SeverityTable {
 public:
  // The table compiled into the binary.
  static const SeverityTable& Bundled();
  static absl::StatusOr<std::unique_ptr<SeverityTable>> Parse(absl::string_view csv,
                                                              std::string grouper_version);

  // Severity of a code ("E87.1" or "E871"); kNone for codes not on the list.
  Severity Of(absl::string_view icd10_code) const;
  const std::string& grouper_version() const { return grouper_version_; }
  size_t size() const { return severity_.size(); }

 private:
  SeverityTable() = default;
  absl::flat_hash_map<std::string, Severity> severity_;  // keyed without the dot
  std::string grouper_version_;
};

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_SEVERITY_TABLE_H_
