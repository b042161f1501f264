// FHIR R4 Bulk Data (NDJSON, one resource per line) onto cdiscan records.
//
//   DocumentReference -> Note. note_id = id; patient_id = subject.reference; encounter_id =
//     context.encounter[0].reference (ids without "Patient/", "Encounter/", "urn:uuid:");
//     authored_at = date; note_type = type.text, else the first type.coding display. The text is
//     the first content[].attachment whose contentType is text/plain (preferred) or text/html,
//     base64-decoded from `data`. An HTML attachment is reduced to text (tags dropped, block
//     tags become line breaks, entities decoded); that reduced text is the note's original text,
//     so evidence offsets point into it, not into the HTML.
//     author_role: FHIR carries no role on the document, so it is inferred, in this order: a
//     role word in the type or author display ("Nursing note" -> NURSE, "Nurse practitioner",
//     "Physician assistant", "Dietitian"/"Nutrition", "therapy"/"Therapist", "Physician"); then
//     an author that is a Practitioner displayed as "Dr. ..." -> PHYSICIAN. Otherwise it stays
//     unspecified, which the engine treats as a non-provider (indicators only).
//   Encounter -> Encounter. period.start/end -> admit/discharge time; class.code IMP/ACUTE/
//     NONAC -> INPATIENT, OBSENC -> OBSERVATION, EMER -> EMERGENCY, AMB/HH/VR/FLD -> OUTPATIENT;
//     serviceProvider.display -> facility; the last location display -> unit.
//   Patient -> FhirPatient (gender, birthDate), joined to encounters by subject for age and sex.
//   Observation -> engine/timeline (ParseFhirObservation).
//   Anything else (Condition, Procedure, ...) is not used and is counted, not rejected.
//
// Thread safety: one FhirDecoder per thread (it reuses its parser).
#ifndef CDISCAN_IO_FHIR_RECORD_H_
#define CDISCAN_IO_FHIR_RECORD_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/note.pb.h"

namespace cdiscan::io {

struct FhirPatient {
  std::string patient_id;
  std::string sex;         // FHIR administrative gender
  std::string birth_date;  // YYYY-MM-DD or empty
};

// "Patient/123", "urn:uuid:123" -> "123".
std::string FhirReferenceId(absl::string_view reference);

// HTML -> plain text as described above. Not a full HTML parser: enough for clinical note
// attachments (no scripts run, comments and <script>/<style> bodies dropped).
std::string HtmlToText(absl::string_view html);

// Age in whole years at `at` (RFC 3339) for a birth date; 0 when either is unreadable.
int AgeAt(absl::string_view birth_date, absl::string_view at);

class FhirDecoder {
 public:
  FhirDecoder();
  ~FhirDecoder();
  FhirDecoder(const FhirDecoder&) = delete;
  FhirDecoder& operator=(const FhirDecoder&) = delete;

  // The resourceType of one NDJSON line; InvalidArgument if it is not a JSON object with one.
  absl::StatusOr<std::string> ResourceType(absl::string_view json);

  // Errors name the FHIR element, never note text.
  absl::Status DecodeDocumentReference(absl::string_view json, Note* note);
  absl::Status DecodeEncounter(absl::string_view json, Encounter* encounter);
  absl::Status DecodePatient(absl::string_view json, FhirPatient* patient);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cdiscan::io

#endif  // CDISCAN_IO_FHIR_RECORD_H_
