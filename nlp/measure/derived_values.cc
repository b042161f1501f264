#include "nlp/measure/derived_values.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace cdiscan::nlp {
namespace {

// How far from a blood pressure a written MAP may be and still be that reading's: "BP 84/46
// (MAP 59)", "BP 84/46, HR 118, RR 22, SpO2 91%, MAP 59", "MAP 59, BP 84/46". Further away it
// is another reading's or a summary.
constexpr uint32_t kWrittenMapReach = 40;

// Derived values are kept to a tenth, as they are shown ("MAP 58.7"), so that a value quoted at
// a threshold is on the side of it the rule saw: an unrounded 64.97 would fire "MAP below 65"
// and be quoted as 65.0.
double RoundToTenth(double value) { return std::round(value * 10) / 10; }

bool SameNote(const SourceValue& a, const SourceValue& b) {
  return a.from_note() && b.from_note() && a.note_id == b.note_id;
}

bool ObservedTogether(const SourceValue& a, const SourceValue& b) {
  return !a.from_note() && !b.from_note() && a.time.has_value() && b.time.has_value() &&
         *a.time == *b.time;
}

uint32_t OffsetDistance(const SourceValue& a, const SourceValue& b) {
  return a.span_begin > b.span_begin ? a.span_begin - b.span_begin : b.span_begin - a.span_begin;
}

// Whether each reading is current: not an earlier value of a trend written in one place
// ("FiO2 100% -> 35%", "was 71 kg in August"), which is the past.
std::vector<bool> Current(absl::Span<const SourceValue> readings) {
  absl::flat_hash_map<std::pair<absl::string_view, uint32_t>, uint32_t> last_position;
  for (const SourceValue& r : readings) {
    if (!r.from_note()) continue;
    uint32_t& last = last_position[{r.note_id, r.span_begin}];
    last = std::max(last, r.trend_position);
  }
  std::vector<bool> current(readings.size(), true);
  for (size_t i = 0; i < readings.size(); ++i) {
    const SourceValue& r = readings[i];
    if (r.from_note()) current[i] = r.trend_position == last_position[{r.note_id, r.span_begin}];
  }
  return current;
}

// The current reading of `candidates` to pair with `at`: the nearest in the same note, else
// the nearest in time within `window` (any distance when `window` is infinite), else, when
// `fall_back_to_any`, the first current one. Earlier candidates win ties. nullopt when none
// qualifies.
std::optional<size_t> Partner(const SourceValue& at, absl::Span<const SourceValue> candidates,
                              const std::vector<bool>& current, absl::Duration window,
                              bool fall_back_to_any) {
  std::optional<size_t> in_note, in_time, any;
  uint32_t best_offset = 0;
  absl::Duration best_gap;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (!current[i]) continue;
    if (!any.has_value()) any = i;
    const SourceValue& c = candidates[i];
    // Values of one note pair by place, unless their own written times set them apart ("PaO2
    // 60 at 06:00" and "FiO2 40% at 14:00"); a value without one has only its note's time.
    const bool apart = at.time_written && c.time_written &&
                       absl::AbsDuration(*at.time - *c.time) > window;
    if (SameNote(at, c) && !apart) {
      if (!in_note.has_value() || OffsetDistance(at, c) < best_offset) {
        in_note = i;
        best_offset = OffsetDistance(at, c);
      }
    } else if (!SameNote(at, c) && at.time.has_value() && c.time.has_value()) {
      const absl::Duration gap = absl::AbsDuration(*at.time - *c.time);
      if (gap <= window && (!in_time.has_value() || gap < best_gap)) {
        in_time = i;
        best_gap = gap;
      }
    }
  }
  if (in_note.has_value()) return in_note;
  if (in_time.has_value()) return in_time;
  if (fall_back_to_any) return any;
  return std::nullopt;
}

// Where a value was taken, as far as telling the values of one reading goes: values written
// together share the note, span and trend position ("BP 84/46"); observations share the time.
using ReadingPlace = std::tuple<absl::string_view, uint32_t, uint32_t, int64_t>;

// nullopt for an observation without a time: it shares a reading with nothing.
std::optional<ReadingPlace> PlaceOf(const SourceValue& r) {
  if (r.from_note()) return ReadingPlace(r.note_id, r.span_begin, r.trend_position, 0);
  if (!r.time.has_value()) return std::nullopt;
  return ReadingPlace(absl::string_view(), 0, 0, absl::ToUnixNanos(*r.time));
}

// Whether each blood pressure (its SBP) has a MAP of its own written or observed with it: a
// MAP observed at its time, or a written MAP whose nearest reading it is, the nearest one before
// the MAP ("BP 84/46 (MAP 59)") else the nearest one after ("MAP 59, BP 84/46"), within
// kWrittenMapReach. Of a trend ("BP 120/80 -> 84/46 (MAP 59)") the MAP is the current
// reading's. Indexed per note: an ICU day can chart hundreds of both.
std::vector<bool> CoveredByWrittenMap(absl::Span<const SourceValue> sbp,
                                      absl::Span<const SourceValue> written_map) {
  std::vector<bool> covered(sbp.size(), false);
  const std::vector<bool> current = Current(sbp);
  absl::flat_hash_set<int64_t> observed_maps;
  for (const SourceValue& m : written_map) {
    if (!m.from_note() && m.time.has_value()) observed_maps.insert(absl::ToUnixNanos(*m.time));
  }
  // Each note's current readings in text order.
  absl::flat_hash_map<absl::string_view, std::vector<size_t>> readings_of_note;
  for (size_t s = 0; s < sbp.size(); ++s) {
    if (sbp[s].from_note()) {
      if (current[s]) readings_of_note[sbp[s].note_id].push_back(s);
    } else if (sbp[s].time.has_value()) {
      covered[s] = observed_maps.contains(absl::ToUnixNanos(*sbp[s].time));
    }
  }
  for (auto& [note, readings] : readings_of_note) {
    std::sort(readings.begin(), readings.end(),
              [&](size_t a, size_t b) { return sbp[a].span_begin < sbp[b].span_begin; });
  }
  for (const SourceValue& m : written_map) {
    if (!m.from_note()) continue;
    auto note = readings_of_note.find(m.note_id);
    if (note == readings_of_note.end()) continue;
    const std::vector<size_t>& readings = note->second;
    // The first reading that begins after the MAP; the one before it ends before the MAP.
    auto after = std::upper_bound(
        readings.begin(), readings.end(), m.span_begin,
        [&](uint32_t begin, size_t s) { return begin < sbp[s].span_begin; });
    if (after != readings.begin()) {
      const SourceValue& before = sbp[*(after - 1)];
      if (before.span_end <= m.span_begin && m.span_begin - before.span_end <= kWrittenMapReach) {
        covered[*(after - 1)] = true;
        continue;
      }
    }
    if (after != readings.end() && sbp[*after].span_begin >= m.span_end &&
        sbp[*after].span_begin - m.span_end <= kWrittenMapReach) {
      covered[*after] = true;
    }
  }
  return covered;
}

bool HasWrittenBmi(const SourceValue& weight, absl::Span<const SourceValue> written_bmi) {
  for (const SourceValue& b : written_bmi) {
    if (SameNote(weight, b) || ObservedTogether(weight, b)) return true;
  }
  return false;
}

std::vector<DerivedReading> DeriveMap(absl::Span<const SourceValue> sbp,
                                      absl::Span<const SourceValue> dbp,
                                      absl::Span<const SourceValue> written,
                                      const DerivationOptions&) {
  return MeanArterialPressures(sbp, dbp, written);
}

std::vector<DerivedReading> DerivePfRatio(absl::Span<const SourceValue> pao2,
                                          absl::Span<const SourceValue> fio2,
                                          absl::Span<const SourceValue>,
                                          const DerivationOptions& options) {
  return PfRatios(pao2, fio2, options.pairing_window);
}

std::vector<DerivedReading> DeriveBmi(absl::Span<const SourceValue> weight,
                                      absl::Span<const SourceValue> height,
                                      absl::Span<const SourceValue> written,
                                      const DerivationOptions&) {
  return BodyMassIndexes(weight, height, written);
}

constexpr DerivedKey kDerivedKeys[] = {
    {"map", "mmHg", "sbp", "dbp", DeriveMap},
    {"pf_ratio", "mmHg", "pao2", "fio2", DerivePfRatio},
    {"bmi", "kg/m2", "weight", "height", DeriveBmi},
};

}  // namespace

absl::Span<const DerivedKey> DerivedKeys() { return kDerivedKeys; }

const DerivedKey* FindDerivedKey(absl::string_view key) {
  for (const DerivedKey& k : kDerivedKeys) {
    if (k.key == key) return &k;
  }
  return nullptr;
}

std::vector<DerivedReading> Derive(const DerivedKey& key, absl::Span<const SourceValue> first,
                                   absl::Span<const SourceValue> second,
                                   absl::Span<const SourceValue> written,
                                   const DerivationOptions& options) {
  return key.derive(first, second, written, options);
}

std::vector<DerivedReading> MeanArterialPressures(absl::Span<const SourceValue> sbp,
                                                  absl::Span<const SourceValue> dbp,
                                                  absl::Span<const SourceValue> written_map) {
  // The first DBP of each reading.
  absl::flat_hash_map<ReadingPlace, size_t> dbp_at;
  for (size_t d = 0; d < dbp.size(); ++d) {
    if (std::optional<ReadingPlace> place = PlaceOf(dbp[d])) dbp_at.try_emplace(*place, d);
  }
  const std::vector<bool> covered = CoveredByWrittenMap(sbp, written_map);
  std::vector<DerivedReading> maps;
  for (size_t s = 0; s < sbp.size(); ++s) {
    std::optional<ReadingPlace> place = PlaceOf(sbp[s]);
    if (!place.has_value() || covered[s]) continue;
    auto d = dbp_at.find(*place);
    if (d == dbp_at.end()) continue;
    maps.push_back({RoundToTenth((sbp[s].value + 2 * dbp[d->second].value) / 3), s, d->second});
  }
  return maps;
}

std::vector<DerivedReading> PfRatios(absl::Span<const SourceValue> pao2,
                                     absl::Span<const SourceValue> fio2,
                                     absl::Duration pairing_window) {
  // A PaO2 or FiO2 written earlier in a trend ("FiO2 100% -> 35%") is past: only the current
  // values of both pair.
  const std::vector<bool> current_pao2 = Current(pao2);
  const std::vector<bool> current_fio2 = Current(fio2);
  std::vector<DerivedReading> ratios;
  for (size_t p = 0; p < pao2.size(); ++p) {
    if (!current_pao2[p]) continue;
    std::optional<size_t> f =
        Partner(pao2[p], fio2, current_fio2, pairing_window, /*fall_back_to_any=*/false);
    // FiO2 is in percent; below room air's 21% it is not a usable fraction.
    if (!f.has_value() || fio2[*f].value < 21) continue;
    ratios.push_back({RoundToTenth(pao2[p].value / (fio2[*f].value / 100)), p, *f});
  }
  return ratios;
}

std::vector<DerivedReading> BodyMassIndexes(absl::Span<const SourceValue> weight,
                                            absl::Span<const SourceValue> height,
                                            absl::Span<const SourceValue> written_bmi) {
  const std::vector<bool> current_weight = Current(weight);
  const std::vector<bool> current_height = Current(height);
  std::vector<DerivedReading> bmis;
  for (size_t w = 0; w < weight.size(); ++w) {
    if (!current_weight[w] || HasWrittenBmi(weight[w], written_bmi)) continue;
    std::optional<size_t> h = Partner(weight[w], height, current_height, absl::InfiniteDuration(),
                                      /*fall_back_to_any=*/true);
    if (!h.has_value() || height[*h].value <= 0) continue;
    const double meters = height[*h].value / 100;
    bmis.push_back({RoundToTenth(weight[w].value / (meters * meters)), w, *h});
  }
  return bmis;
}

}  // namespace cdiscan::nlp
