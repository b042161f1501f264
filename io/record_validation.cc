#include "io/record_validation.h"

#include "absl/strings/str_cat.h"
#include "base/clinical_time.h"

namespace cdiscan::io {
namespace {

absl::Status Required(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat("field '", field, "': required but missing"));
}

absl::Status CheckTime(absl::string_view field, const std::string& value) {
  if (IsValidTime(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "field '", field, "': \"", value, "\" is not an ISO 8601 date-time (2024-03-02T06:10:00Z)"));
}

}  // namespace

bool IsValidTime(absl::string_view text) {
  return text.empty() || ParseClinicalTime(text).has_value();
}

absl::Status ValidateNote(const Note& note, const RecordLimits& limits) {
  if (note.note_id().empty()) return Required("note_id");
  if (note.patient_id().empty()) return Required("patient_id");
  if (note.encounter_id().empty()) return Required("encounter_id");
  if (note.text().empty()) return Required("text");
  if (note.text().size() > limits.max_note_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "field 'text': ", note.text().size(), " bytes, over the limit of ", limits.max_note_bytes,
        " bytes (--max_note_bytes)"));
  }
  return CheckTime("authored_at", note.authored_at());
}

absl::Status ValidateEncounter(const Encounter& encounter) {
  if (encounter.encounter_id().empty()) return Required("encounter_id");
  if (absl::Status s = CheckTime("admit_time", encounter.admit_time()); !s.ok()) return s;
  return CheckTime("discharge_time", encounter.discharge_time());
}

absl::Status ValidateObservation(const Observation& observation) {
  if (observation.encounter_id().empty()) return Required("encounter_id");
  if (observation.code().empty() && observation.name().empty()) return Required("code");
  return CheckTime("effective_time", observation.effective_time());
}

}  // namespace cdiscan::io
