// Values computed from two others: mean arterial pressure from a blood pressure, the P/F ratio
// from a PaO2 and an FiO2, body mass index from a weight and a height. The one implementation
// of which values pair up, shared by the rule evaluator (rules/indicator_evaluator.h, where a
// rule on `map`, `bmi` or `pf_ratio` sees them) and the encounter timeline
// (engine/timeline/timeline.h, which `cdiscan facts --timeline` prints), so what a user is shown
// is what a rule used.
//
//   const DerivedKey* key = FindDerivedKey("map");            // sources "sbp" and "dbp"
//   std::vector<DerivedReading> maps =
//       Derive(*key, sbp_readings, dbp_readings, written_map_readings, DerivationOptions());
//   for (const DerivedReading& m : maps) ... sbp_readings[m.first], dbp_readings[m.second] ...
//
// Callers describe their values as `SourceValue`s (value, time, where written); results name
// their sources by index into the inputs, so each caller quotes its own evidence.
#ifndef CDISCAN_NLP_MEASURE_DERIVED_VALUES_H_
#define CDISCAN_NLP_MEASURE_DERIVED_VALUES_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace cdiscan::nlp {

// One value as the pairings compare it.
struct SourceValue {
  double value = 0;
  // When it was taken, if known: its own time, or else its note's (a value written in a note
  // was known when the note was written).
  std::optional<absl::Time> time;
  // Whether `time` is the value's own (written next to it, or an observation's) rather than
  // its note's: only own times set two values of one note apart.
  bool time_written = false;
  // The note it was written in; empty for a structured observation.
  absl::string_view note_id;
  uint32_t span_begin = 0;  // the value's span in the note ("BP 84/46")
  uint32_t span_end = 0;
  uint32_t trend_position = 0;  // "Wt 62 kg (was 71 kg)": 71 is 0, 62 is 1

  bool from_note() const { return !note_id.empty(); }
};

// A derived value, rounded to a tenth, and the two readings it came from, by index into the
// derivation's inputs.
struct DerivedReading {
  double value = 0;
  size_t first = 0;   // index into the first source's readings
  size_t second = 0;  // index into the second source's readings
};

struct DerivationOptions {
  // How far apart in time a PaO2 and an FiO2 from different notes or observations may be.
  absl::Duration pairing_window = absl::Hours(2);
};

// A key whose values are computed from two other keys' values. The vocabulary also extracts
// each as written ("MAP 59", "BMI 43.2", "P/F 180"); those values stand alongside the computed
// ones.
struct DerivedKey {
  using Derivation = std::vector<DerivedReading> (*)(absl::Span<const SourceValue> first,
                                                     absl::Span<const SourceValue> second,
                                                     absl::Span<const SourceValue> written,
                                                     const DerivationOptions& options);
  absl::string_view key;
  absl::string_view canonical_unit;
  absl::string_view first_source;
  absl::string_view second_source;
  Derivation derive = nullptr;  // see Derive
};

// Every derived key: map (sbp, dbp), pf_ratio (pao2, fio2), bmi (weight, height). No derived
// key is the source of another.
absl::Span<const DerivedKey> DerivedKeys();
// The derived key named `key`, or nullptr.
const DerivedKey* FindDerivedKey(absl::string_view key);

// The values of `key` computed from `first` and `second` (readings of key.first_source and
// key.second_source); `written` are the readings of `key` itself, which some derivations defer
// to. Results are in the order of `first`.
std::vector<DerivedReading> Derive(const DerivedKey& key, absl::Span<const SourceValue> first,
                                   absl::Span<const SourceValue> second,
                                   absl::Span<const SourceValue> written,
                                   const DerivationOptions& options);

// The derivations Derive dispatches to.
//
// (SBP + 2 DBP) / 3 for each blood pressure reading: an SBP and a DBP written together ("BP
// 84/46": one note, one span, one trend position) or observed at the same time. A reading with
// a MAP of its own gets none: the written MAP stands for it. A written MAP is the nearest
// reading's within 40 characters, the one before it ("BP 84/46 (MAP 59)") else the one after
// ("MAP 59, BP 84/46"); a MAP observation is the reading's observed at its time.
std::vector<DerivedReading> MeanArterialPressures(absl::Span<const SourceValue> sbp,
                                                  absl::Span<const SourceValue> dbp,
                                                  absl::Span<const SourceValue> written_map);
// PaO2 / FiO2, the FiO2 as a fraction, for each PaO2 with an FiO2 to pair: the nearest one
// written in the same note (unless their own times are further apart than `pairing_window`),
// else the nearest in time within `pairing_window`. Neither may be an
// earlier value of a written trend ("FiO2 100% -> 35%"), nor the FiO2 below 21%.
std::vector<DerivedReading> PfRatios(absl::Span<const SourceValue> pao2,
                                     absl::Span<const SourceValue> fio2,
                                     absl::Duration pairing_window);
// kg / m² for each current weight (not an earlier value of a written trend, "was 71 kg in
// August") with a current height: the nearest one in the same note, else the nearest in time,
// else the first. A weight from a note that writes a BMI, or observed at the time of a BMI
// observation, gets none: the written BMI stands for it.
std::vector<DerivedReading> BodyMassIndexes(absl::Span<const SourceValue> weight,
                                            absl::Span<const SourceValue> height,
                                            absl::Span<const SourceValue> written_bmi);

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_MEASURE_DERIVED_VALUES_H_
