// Times as EHR extracts write them: RFC 3339 with or without an offset ("2024-03-02T06:10:00Z",
// "2024-03-02T06:10:00-05:00", "2024-03-02T06:10"), or a date. A time without an offset is read
// as UTC, so ordering within one extract stays consistent.
#ifndef CDISCAN_BASE_CLINICAL_TIME_H_
#define CDISCAN_BASE_CLINICAL_TIME_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cdiscan {

// nullopt for an empty or unreadable time.
std::optional<absl::Time> ParseClinicalTime(absl::string_view text);

}  // namespace cdiscan

#endif  // CDISCAN_BASE_CLINICAL_TIME_H_
