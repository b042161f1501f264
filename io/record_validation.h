// Checks that input records carry what the engine relies on. Errors name the field.
#ifndef CDISCAN_IO_RECORD_VALIDATION_H_
#define CDISCAN_IO_RECORD_VALIDATION_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "proto/note.pb.h"

namespace cdiscan::io {

// Limits on input records, in one place (architecture.md, convention 3).
struct RecordLimits {
  // A note larger than this is rejected, not truncated: a truncated note could hide the very
  // documentation that would silence a finding. Real notes are rarely above 1 MiB.
  size_t max_note_bytes = 8 << 20;
};

// note_id, patient_id, encounter_id and text are required; authored_at must be a valid time
// when given; text must fit the limit.
absl::Status ValidateNote(const Note& note, const RecordLimits& limits);
absl::Status ValidateEncounter(const Encounter& encounter);
absl::Status ValidateObservation(const Observation& observation);

// True if `text` is empty or an RFC 3339 / ISO 8601 date-time or date this tool understands.
bool IsValidTime(absl::string_view text);

}  // namespace cdiscan::io

#endif  // CDISCAN_IO_RECORD_VALIDATION_H_
