#include "nlp/measure/derived_values.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace cdiscan::nlp {
namespace {

// How far after a blood pressure a written MAP may begin and still be that reading's: "BP 84/46
// (MAP 59)", "BP 84/46, HR 118, MAP 59". Further on, it is another reading's or a summary.
constexpr uint32_t kWrittenMapReach = 24;

constexpr DerivedKey kDerivedKeys[] = {
    {"map", "mmHg", "sbp", "dbp"},
    {"pf_ratio", "mmHg", "pao2", "fio2"},
    {"bmi", "kg/m2", "weight", "height"},
};

// Derived values are kept to a tenth, as they are shown ("MAP 58.7"), so that a value quoted at
// a threshold is on the side of it the rule saw: an unrounded 64.97 would fire "MAP below 65"
// and be quoted as 65.0.
double RoundToTenth(double value) { return std::round(value * 10) / 10; }

bool SameNote(const Reading& a, const Reading& b) {
  return a.from_note() && b.from_note() && a.note_id == b.note_id;
}

bool ObservedTogether(const Reading& a, const Reading& b) {
  return !a.from_note() && !b.from_note() && a.time.has_value() && b.time.has_value() &&
         *a.time == *b.time;
}

uint32_t OffsetDistance(const Reading& a, const Reading& b) {
  return a.span_begin > b.span_begin ? a.span_begin - b.span_begin : b.span_begin - a.span_begin;
}

// The reading of `candidates` to pair with `at`: the nearest in the same note, else the nearest
// in time within `window` (any distance when `window` is infinite), else, when `fall_back_to_any`,
// the first. Earlier candidates win ties. nullopt when none qualifies.
std::optional<size_t> Partner(const Reading& at, absl::Span<const Reading> candidates,
                              absl::Duration window, bool fall_back_to_any) {
  std::optional<size_t> in_note, in_time;
  uint32_t best_offset = 0;
  absl::Duration best_gap;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Reading& c = candidates[i];
    if (SameNote(at, c)) {
      if (!in_note.has_value() || OffsetDistance(at, c) < best_offset) {
        in_note = i;
        best_offset = OffsetDistance(at, c);
      }
    } else if (at.time.has_value() && c.time.has_value()) {
      const absl::Duration gap = absl::AbsDuration(*at.time - *c.time);
      if (gap <= window && (!in_time.has_value() || gap < best_gap)) {
        in_time = i;
        best_gap = gap;
      }
    }
  }
  if (in_note.has_value()) return in_note;
  if (in_time.has_value()) return in_time;
  if (fall_back_to_any && !candidates.empty()) return 0;
  return std::nullopt;
}

// Where a value was taken, as far as telling the values of one reading goes: values written
// together share the note, span and trend position ("BP 84/46"); observations share the time.
using ReadingPlace = std::tuple<absl::string_view, uint32_t, uint32_t, int64_t>;

// nullopt for an observation without a time: it shares a reading with nothing.
std::optional<ReadingPlace> PlaceOf(const Reading& r) {
  if (r.from_note()) return ReadingPlace(r.note_id, r.span_begin, r.trend_position, 0);
  if (!r.time.has_value()) return std::nullopt;
  return ReadingPlace(absl::string_view(), 0, 0, absl::ToUnixNanos(*r.time));
}

// The written MAPs, indexed so that each blood pressure finds its own in constant or
// logarithmic time: an ICU day can chart hundreds of both.
class WrittenMaps {
 public:
  explicit WrittenMaps(absl::Span<const Reading> maps) {
    for (const Reading& m : maps) {
      if (m.from_note()) {
        begins_[m.note_id].push_back(m.span_begin);
      } else if (m.time.has_value()) {
        observed_.insert(absl::ToUnixNanos(*m.time));
      }
    }
    for (auto& [note, begins] : begins_) std::sort(begins.begin(), begins.end());
  }

  // Whether the blood pressure `bp` has its MAP written right after it, or observed with it.
  bool StandFor(const Reading& bp) const {
    if (!bp.from_note()) return bp.time.has_value() && observed_.contains(absl::ToUnixNanos(*bp.time));
    auto note = begins_.find(bp.note_id);
    if (note == begins_.end()) return false;
    auto next = std::lower_bound(note->second.begin(), note->second.end(), bp.span_end);
    return next != note->second.end() && *next - bp.span_end <= kWrittenMapReach;
  }

 private:
  absl::flat_hash_map<absl::string_view, std::vector<uint32_t>> begins_;
  absl::flat_hash_set<int64_t> observed_;
};

bool HasWrittenBmi(const Reading& weight, absl::Span<const Reading> written_bmi) {
  for (const Reading& b : written_bmi) {
    if (SameNote(weight, b) || ObservedTogether(weight, b)) return true;
  }
  return false;
}

}  // namespace

absl::Span<const DerivedKey> DerivedKeys() { return kDerivedKeys; }

const DerivedKey* FindDerivedKey(absl::string_view key) {
  for (const DerivedKey& k : kDerivedKeys) {
    if (k.key == key) return &k;
  }
  return nullptr;
}

std::vector<DerivedReading> Derive(const DerivedKey& key, absl::Span<const Reading> first,
                                   absl::Span<const Reading> second,
                                   absl::Span<const Reading> written,
                                   const DerivationOptions& options) {
  if (key.key == "map") return MeanArterialPressures(first, second, written);
  if (key.key == "pf_ratio") return PfRatios(first, second, options.pairing_window);
  if (key.key == "bmi") return BodyMassIndexes(first, second, written);
  return {};
}

std::vector<DerivedReading> MeanArterialPressures(absl::Span<const Reading> sbp,
                                                  absl::Span<const Reading> dbp,
                                                  absl::Span<const Reading> written_map) {
  // The first DBP of each reading.
  absl::flat_hash_map<ReadingPlace, size_t> dbp_at;
  for (size_t d = 0; d < dbp.size(); ++d) {
    if (std::optional<ReadingPlace> place = PlaceOf(dbp[d])) dbp_at.try_emplace(*place, d);
  }
  const WrittenMaps written(written_map);
  std::vector<DerivedReading> maps;
  for (size_t s = 0; s < sbp.size(); ++s) {
    std::optional<ReadingPlace> place = PlaceOf(sbp[s]);
    if (!place.has_value()) continue;
    auto d = dbp_at.find(*place);
    if (d == dbp_at.end() || written.StandFor(sbp[s])) continue;
    maps.push_back({RoundToTenth((sbp[s].value + 2 * dbp[d->second].value) / 3), s, d->second});
  }
  return maps;
}

std::vector<DerivedReading> PfRatios(absl::Span<const Reading> pao2,
                                     absl::Span<const Reading> fio2,
                                     absl::Duration pairing_window) {
  std::vector<DerivedReading> ratios;
  for (size_t p = 0; p < pao2.size(); ++p) {
    std::optional<size_t> f = Partner(pao2[p], fio2, pairing_window, /*fall_back_to_any=*/false);
    // FiO2 is in percent; below room air's 21% it is not a usable fraction.
    if (!f.has_value() || fio2[*f].value < 21) continue;
    ratios.push_back({RoundToTenth(pao2[p].value / (fio2[*f].value / 100)), p, *f});
  }
  return ratios;
}

std::vector<DerivedReading> BodyMassIndexes(absl::Span<const Reading> weight,
                                            absl::Span<const Reading> height,
                                            absl::Span<const Reading> written_bmi) {
  // The last position of each written trend of weights: earlier positions are past weights.
  absl::flat_hash_map<std::pair<absl::string_view, uint32_t>, uint32_t> current_position;
  for (const Reading& w : weight) {
    if (!w.from_note()) continue;
    uint32_t& last = current_position[{w.note_id, w.span_begin}];
    last = std::max(last, w.trend_position);
  }
  std::vector<DerivedReading> bmis;
  for (size_t w = 0; w < weight.size(); ++w) {
    if (weight[w].from_note() &&
        weight[w].trend_position < current_position[{weight[w].note_id, weight[w].span_begin}]) {
      continue;
    }
    if (HasWrittenBmi(weight[w], written_bmi)) continue;
    std::optional<size_t> h =
        Partner(weight[w], height, absl::InfiniteDuration(), /*fall_back_to_any=*/true);
    if (!h.has_value() || height[*h].value <= 0) continue;
    const double meters = height[*h].value / 100;
    bmis.push_back({RoundToTenth(weight[w].value / (meters * meters)), w, *h});
  }
  return bmis;
}

}  // namespace cdiscan::nlp
