// Everything known about one encounter when its rules are evaluated: the small facts of each of
// its notes (never the note text) and its structured observations.
#ifndef CDISCAN_RULES_ENCOUNTER_RECORD_H_
#define CDISCAN_RULES_ENCOUNTER_RECORD_H_

#include <optional>
#include <string>
#include <vector>

#include "proto/facts.pb.h"
#include "proto/note.pb.h"

namespace cdiscan::rules {

struct EncounterRecord {
  std::string encounter_id;
  std::string patient_id;
  std::optional<Encounter> encounter;    // when an encounters file was given
  std::vector<NoteFacts> notes;          // sorted by (authored_at, sequence)
  std::vector<Observation> observations;  // in input order
  // Per observation: its measurement key ("" when the code is not in the vocabulary) and its
  // value in the key's canonical unit. Parallel to `observations`.
  std::vector<std::string> observation_keys;
  std::vector<double> observation_values;
};

// Physician, NP and PA notes document diagnoses; everyone else supplies indicators.
bool IsProviderRole(AuthorRole role);

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_ENCOUNTER_RECORD_H_
