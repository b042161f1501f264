// Times as EHR extracts write them: RFC 3339 with or without an offset ("2024-03-02T06:10:00Z",
// "2024-03-02T06:10:00-05:00", "2024-03-02T06:10"), or a date. A time without an offset is read
// as UTC, so ordering within one extract stays consistent. Also the times written next to a
// value in a note, which are placed relative to the note's time.
#ifndef CDISCAN_BASE_CLINICAL_TIME_H_
#define CDISCAN_BASE_CLINICAL_TIME_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace cdiscan {

// nullopt for an empty or unreadable time.
std::optional<absl::Time> ParseClinicalTime(absl::string_view text);

// Resolves a time written next to a value in a note against the note's time: "03/01",
// "3/1/24 0600", "06:00" (the latest such moment not after the note), "yesterday", ISO dates.
// nullopt for what cannot be placed ("in August", "on admission").
std::optional<absl::Time> ResolveWrittenTime(absl::string_view written, absl::Time note_time);

}  // namespace cdiscan

#endif  // CDISCAN_BASE_CLINICAL_TIME_H_
