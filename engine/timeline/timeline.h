// The measurement timeline of one encounter: every value of every key, from note text
// (MeasurementFacts, timed by the note's authored_at or a time written next to the value) and
// from structured observations, in canonical units and in time order, plus the derived values
// rules need (KDIGO baseline and ratio, 48-hour rise, hemoglobin drop, P/F ratio, BMI, MAP,
// counts). Every derived value carries the values it was computed from, so a finding can quote
// "creatinine 0.9 (2024-03-01 06:00) -> 2.3 (2024-03-03 05:40)".
//
// Example:
//   Timeline timeline;
//   for (const NoteFacts& f : encounter_notes) timeline.AddNoteFacts(f);
//   for (const Observation& o : encounter_observations) timeline.AddObservation(o).IgnoreError();
//   if (auto ratio = timeline.MaxRatioToBaseline("creatinine"); ratio && ratio->value >= 1.5) {
//     evidence = ratio->Describe();
//   }
//   if (auto na = timeline.Min("sodium"); na && na->value < 130) ...
//
// Time: values without a usable time (note without authored_at, unparseable observation
// time) are kept for Min/Max/Count but skipped by windowed derivations. Values written as a
// trend in one note ("Cr 0.9 -> 2.3", "(was 71 kg in August)") share the note's time and are
// ordered by trend_position; a derivation that relies on such ordering sets `approximate_time`.
//
// Thread safety: Add* mutate and need external synchronization; const methods are safe to call
// concurrently once adding is done. One Timeline per encounter.
#ifndef CDISCAN_ENGINE_TIMELINE_TIMELINE_H_
#define CDISCAN_ENGINE_TIMELINE_TIMELINE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "nlp/measure/derived_values.h"
#include "nlp/measure/vocabulary.h"
#include "proto/facts.pb.h"
#include "proto/note.pb.h"

namespace cdiscan::timeline {

struct TimedValue {
  enum class Source { kNote, kObservation };

  std::string key;
  double value = 0;
  std::string unit;          // canonical
  absl::Time time = absl::InfiniteFuture();
  bool time_known = false;
  // True when the time is the note's time rather than the value's own (a trend value, or a
  // written time we could not resolve such as "in August").
  bool time_approximate = false;
  uint32_t trend_position = 0;
  std::string flag;
  std::string qualifier;

  Source source = Source::kNote;
  std::string note_id;           // kNote
  std::string observation_id;    // kObservation
  TextSpan span;                 // kNote: the evidence in the note
  std::string as_written;        // "126 mEq/L"
  std::string time_text;         // as written in the note, or the observation's effective time
  uint64_t sequence = 0;         // insertion order, a stable tiebreak

  // "creatinine 2.3 (2024-03-03 05:40)"; the time part falls back to the note id.
  std::string Describe() const;
};

struct Derived {
  double value = 0;
  // Oldest first for a change of one key; {first, second} source of a derived key.
  std::vector<TimedValue> sources;
  bool approximate_time = false;

  // Sources plus the value, joined with " -> " when they are one key's: "creatinine 0.9
  // (03-01 06:00) -> 2.3 (03-03 05:40): 2.556", and with " and " when not: "sbp 92 (...) and
  // dbp 48 (...): 62.7".
  std::string Describe() const;
};

struct TimelineOptions {
  absl::Duration baseline_window = absl::Hours(24 * 7);  // KDIGO: lowest SCr within 7 days
  absl::Duration rise_window = absl::Hours(48);          // KDIGO: +0.3 mg/dL within 48 h
  // PaO2 with an FiO2 of another note or observation; the rules' default.
  absl::Duration pairing_window = nlp::DerivationOptions().pairing_window;
};

class Timeline {
 public:
  explicit Timeline(TimelineOptions options = {},
                    const nlp::Vocabulary& vocabulary = nlp::Vocabulary::Default());

  // Adds the measurements of one note; they are timed by `facts.authored_at` unless a time is
  // written next to the value ("03/01 06:00", "at 06:00", "yesterday") that can be resolved
  // against it.
  void AddNoteFacts(const NoteFacts& facts);

  // Adds one structured observation. Errors (unknown LOINC, bad unit, implausible value) leave
  // the timeline unchanged; callers count them.
  absl::Status AddObservation(const Observation& observation);

  // Keys with at least one value.
  std::vector<std::string> Keys() const;

  // All values of `key`, oldest first (unknown times last). Empty if none.
  const std::vector<TimedValue>& Values(absl::string_view key) const;

  std::optional<Derived> Min(absl::string_view key) const;
  std::optional<Derived> Max(absl::string_view key) const;
  std::optional<Derived> First(absl::string_view key) const;
  std::optional<Derived> Last(absl::string_view key) const;

  // The baseline for `at`: the lowest value of its key within options.baseline_window before
  // it (values written before it in the same trend count). nullopt if there is none.
  std::optional<Derived> Baseline(const TimedValue& at) const;

  // Max over values v of v / Baseline(v) (KDIGO ratio). Sources: {baseline, v}.
  std::optional<Derived> MaxRatioToBaseline(absl::string_view key) const;

  // Largest increase b - a with a before b and b within options.rise_window after a.
  // Sources: {a, b}.
  std::optional<Derived> MaxRiseWithin(absl::string_view key) const;
  // Largest decrease a - b, same window (platelet or hemoglobin fall).
  std::optional<Derived> MaxFallWithin(absl::string_view key) const;

  // First value minus the lowest later value (hemoglobin drop from admission). Sources:
  // {first, lowest}. nullopt with fewer than two values.
  std::optional<Derived> DropFromFirst(absl::string_view key) const;

  // The values of a derived key (nlp/measure/derived_values.h: map, pf_ratio, bmi), oldest
  // first: each written one (sources {it}) and each computed from its two sources (sources
  // {first, second}: {sbp, dbp}, {pao2, fio2}, {weight, height}), paired as the rules pair
  // them. Empty for other keys.
  std::vector<Derived> DerivedValues(absl::string_view key) const;

  // Lowest P/F ratio: PaO2 / FiO2 as a fraction, of each PaO2 and the FiO2 nearest it in its
  // note or within options.pairing_window.
  std::optional<Derived> MinPfRatio() const;

  // Latest BMI, written or from a weight and the nearest height.
  std::optional<Derived> Bmi() const;

  // Lowest MAP, written or (SBP + 2 DBP) / 3 of a blood pressure reading.
  std::optional<Derived> MinMap() const;

  // Number of values of `key` strictly below / above `threshold`.
  int CountBelow(absl::string_view key, double threshold) const;
  int CountAbove(absl::string_view key, double threshold) const;

 private:
  void Insert(TimedValue value);
  // True if a is before b on the timeline (time, then same-note trend order).
  static bool Before(const TimedValue& a, const TimedValue& b);
  static Derived Make(double value, std::vector<TimedValue> sources);
  std::optional<Derived> MinDerived(absl::string_view key) const;

  TimelineOptions options_;
  const nlp::Vocabulary& vocabulary_;
  absl::flat_hash_map<std::string, std::vector<TimedValue>> values_;
  uint64_t sequence_ = 0;
};

}  // namespace cdiscan::timeline

#endif  // CDISCAN_ENGINE_TIMELINE_TIMELINE_H_
