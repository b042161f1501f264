// Structured observations onto measurement keys: FHIR R4 Observation JSON and cdiscan's own
// JSONL Observation become `cdiscan.Observation` protos, and an Observation's LOINC code and
// unit become a canonical key and value ("2160-0", 203 umol/L -> creatinine 2.30 mg/dL) through
// the same vocabulary that note text uses (nlp/measure/data/analytes.textproto).
//
// Example:
//   absl::StatusOr<std::vector<Observation>> obs = ParseObservationLine(line);
//   for (const Observation& o : *obs) {
//     absl::StatusOr<MappedObservation> m = MapObservation(o);
//     if (m.ok()) ... m->key, m->value
//   }
//
// Thread safety: free functions over immutable data; thread-safe.
#ifndef CDISCAN_ENGINE_TIMELINE_OBSERVATION_MAPPER_H_
#define CDISCAN_ENGINE_TIMELINE_OBSERVATION_MAPPER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlp/measure/vocabulary.h"
#include "proto/note.pb.h"

namespace cdiscan::timeline {

// One FHIR R4 Observation resource (a JSON object) -> Observations. Usually one; a blood
// pressure panel with components gives one per component (systolic, diastolic). Encounter and
// patient ids are the reference without "Encounter/", "Patient/" or "urn:uuid:". The LOINC
// coding is preferred when a code has several codings. Errors: not JSON, not an Observation, no
// valueQuantity (and no quantity components).
absl::StatusOr<std::vector<Observation>> ParseFhirObservation(absl::string_view json);

// One JSONL line: a FHIR Observation (has "resourceType") or cdiscan's Observation in protobuf
// JSON mapping (unknown fields ignored).
absl::StatusOr<std::vector<Observation>> ParseObservationLine(absl::string_view json);

struct MappedObservation {
  std::string key;   // canonical measurement key, "creatinine"
  double value = 0;  // in the key's canonical unit
  std::string unit;  // canonical unit
};

// LOINC code (code_system "http://loinc.org" or empty) -> key, unit -> canonical unit.
// kNotFound for codes the vocabulary does not know; kInvalidArgument for units that do not fit
// the key; kOutOfRange for implausible values.
absl::StatusOr<MappedObservation> MapObservation(
    const Observation& observation,
    const nlp::Vocabulary& vocabulary = nlp::Vocabulary::Default());

}  // namespace cdiscan::timeline

#endif  // CDISCAN_ENGINE_TIMELINE_OBSERVATION_MAPPER_H_
