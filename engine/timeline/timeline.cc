#include "engine/timeline/timeline.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/clinical_time.h"
#include "engine/timeline/observation_mapper.h"
#include "nlp/measure/derived_values.h"

namespace cdiscan::timeline {
namespace {

bool SameTrend(const TimedValue& a, const TimedValue& b) {
  return a.source == TimedValue::Source::kNote && b.source == TimedValue::Source::kNote &&
         a.note_id == b.note_id && a.span.begin() == b.span.begin();
}

// b follows a within `window`: both timed and close enough, or b written after a in one trend.
bool WithinAfter(const TimedValue& a, const TimedValue& b, absl::Duration window) {
  // A written trend without its own times ("Cr 0.9 -> 2.3") is taken as recent; with times
  // ("0.9 (03/01) -> 2.3 (03/03)") the times decide.
  const bool own_times = a.time_known && b.time_known && !a.time_approximate && !b.time_approximate;
  if (SameTrend(a, b) && !own_times) return a.trend_position < b.trend_position;
  if (!a.time_known || !b.time_known) return false;
  const absl::Duration gap = b.time - a.time;
  return gap >= absl::ZeroDuration() && gap <= window;
}

// The last element of `list` (oldest first, unknown times last) whose time is known, else the
// last one: unknown times sort last but are not the latest. REQUIRES: !list.empty().
template <typename T, typename TimeKnown>
const T& LatestTimed(const std::vector<T>& list, TimeKnown time_known) {
  for (auto it = list.rbegin(); it != list.rend(); ++it) {
    if (time_known(*it)) return *it;
  }
  return list.back();
}

// The pairings' view of values (nlp/measure/derived_values.h).
std::vector<nlp::SourceValue> SourceValuesOf(const std::vector<TimedValue>& values) {
  std::vector<nlp::SourceValue> readings;
  readings.reserve(values.size());
  for (const TimedValue& v : values) {
    nlp::SourceValue& reading = readings.emplace_back();
    reading.value = v.value;
    // As the rules do: a written time that cannot be placed ("on admission") leaves the time
    // unknown for pairing, though the timeline orders the value by its note's time.
    const bool unplaced = v.source == TimedValue::Source::kNote && !v.time_text.empty() &&
                          v.time_approximate;
    if (v.time_known && !unplaced) reading.time = v.time;
    // Its own time: an observation's, or one written next to it and placed.
    reading.time_written = reading.time.has_value() &&
                           (v.source == TimedValue::Source::kObservation || !v.time_text.empty());
    if (v.source == TimedValue::Source::kNote) {
      reading.note_id = v.note_id;
      reading.span_begin = v.span.begin();
      reading.span_end = v.span.end();
      reading.trend_position = v.trend_position;
    }
  }
  return readings;
}

}  // namespace

std::string TimedValue::Describe() const {
  std::string when;
  if (time_known && !time_approximate) {
    when = absl::FormatTime("%Y-%m-%d %H:%M", time, absl::UTCTimeZone());
  } else if (!time_text.empty()) {
    when = time_text;
  } else if (!note_id.empty()) {
    when = absl::StrCat("note ", note_id);
  } else if (time_known) {
    when = absl::FormatTime("%Y-%m-%d %H:%M", time, absl::UTCTimeZone());
  }
  std::string s = absl::StrFormat("%s %g", key, value);
  if (!when.empty()) absl::StrAppend(&s, " (", when, ")");
  return s;
}

std::string Derived::Describe() const {
  std::vector<std::string> parts;
  bool one_key = true;
  for (const TimedValue& v : sources) {
    parts.push_back(v.Describe());
    one_key &= v.key == sources.front().key;
  }
  // A change of one key reads as a trend; values of two keys (sbp and dbp) are joined.
  return absl::StrFormat("%s: %.4g", absl::StrJoin(parts, one_key ? " -> " : " and "), value);
}

Timeline::Timeline(TimelineOptions options, const nlp::Vocabulary& vocabulary)
    : options_(options), vocabulary_(vocabulary) {}

bool Timeline::Before(const TimedValue& a, const TimedValue& b) {
  if (a.time_known != b.time_known) return a.time_known;
  if (a.time_known && a.time != b.time) return a.time < b.time;
  if (SameTrend(a, b)) return a.trend_position < b.trend_position;
  return a.sequence < b.sequence;
}

void Timeline::Insert(TimedValue value) {
  value.sequence = sequence_++;
  std::vector<TimedValue>& list = values_[value.key];
  auto at = std::upper_bound(list.begin(), list.end(), value, Before);
  list.insert(at, std::move(value));
}

void Timeline::AddNoteFacts(const NoteFacts& facts) {
  const std::optional<absl::Time> note_time = ParseClinicalTime(facts.authored_at());
  // The last position of each written trend: values before it are older than the note.
  absl::flat_hash_map<uint32_t, uint32_t> last_position;
  for (const MeasurementFact& m : facts.measurement()) {
    uint32_t& last = last_position[m.span().begin()];
    last = std::max(last, m.trend_position());
  }
  for (const MeasurementFact& m : facts.measurement()) {
    TimedValue v;
    v.key = m.key();
    v.value = m.value();
    v.unit = m.unit();
    v.trend_position = m.trend_position();
    v.flag = m.flag();
    v.qualifier = m.qualifier();
    v.source = TimedValue::Source::kNote;
    v.note_id = facts.note_id();
    v.span = m.span();
    v.as_written = m.as_written();
    v.time_text = m.time();
    if (note_time.has_value()) {
      v.time_known = true;
      v.time = *note_time;
      std::optional<absl::Time> written;
      if (!m.time().empty()) written = ResolveWrittenTime(m.time(), *note_time);
      if (written.has_value()) {
        v.time = *written;
      } else {
        v.time_approximate = !m.time().empty() || m.trend_position() < last_position[m.span().begin()];
      }
    }
    Insert(std::move(v));
  }
}

absl::Status Timeline::AddObservation(const Observation& observation) {
  absl::StatusOr<MappedObservation> mapped = MapObservation(observation, vocabulary_);
  if (!mapped.ok()) return mapped.status();
  TimedValue v;
  v.key = mapped->key;
  v.value = mapped->value;
  v.unit = mapped->unit;
  v.flag = observation.interpretation();
  v.source = TimedValue::Source::kObservation;
  v.observation_id = observation.observation_id();
  v.as_written = absl::StrCat(observation.value(), " ", observation.unit());
  v.time_text = observation.effective_time();
  if (std::optional<absl::Time> t = ParseClinicalTime(observation.effective_time())) {
    v.time_known = true;
    v.time = *t;
  }
  Insert(std::move(v));
  return absl::OkStatus();
}

std::vector<std::string> Timeline::Keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, list] : values_) {
    if (!list.empty()) keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

const std::vector<TimedValue>& Timeline::Values(absl::string_view key) const {
  static const std::vector<TimedValue>* const kEmpty = new std::vector<TimedValue>();
  auto it = values_.find(key);
  return it == values_.end() ? *kEmpty : it->second;
}

Derived Timeline::Make(double value, std::vector<TimedValue> sources) {
  Derived d;
  d.value = value;
  for (const TimedValue& s : sources) d.approximate_time |= s.time_approximate || !s.time_known;
  d.sources = std::move(sources);
  return d;
}

std::optional<Derived> Timeline::Min(absl::string_view key) const {
  const std::vector<TimedValue>& list = Values(key);
  if (list.empty()) return std::nullopt;
  auto it = std::min_element(list.begin(), list.end(),
                             [](const TimedValue& a, const TimedValue& b) { return a.value < b.value; });
  return Make(it->value, {*it});
}

std::optional<Derived> Timeline::Max(absl::string_view key) const {
  const std::vector<TimedValue>& list = Values(key);
  if (list.empty()) return std::nullopt;
  auto it = std::max_element(list.begin(), list.end(),
                             [](const TimedValue& a, const TimedValue& b) { return a.value < b.value; });
  return Make(it->value, {*it});
}

std::optional<Derived> Timeline::First(absl::string_view key) const {
  const std::vector<TimedValue>& list = Values(key);
  if (list.empty()) return std::nullopt;
  return Make(list.front().value, {list.front()});
}

std::optional<Derived> Timeline::Last(absl::string_view key) const {
  const std::vector<TimedValue>& list = Values(key);
  if (list.empty()) return std::nullopt;
  const TimedValue& last = LatestTimed(list, [](const TimedValue& v) { return v.time_known; });
  return Make(last.value, {last});
}

std::optional<Derived> Timeline::Baseline(const TimedValue& at) const {
  const TimedValue* best = nullptr;
  for (const TimedValue& v : Values(at.key)) {
    if (&v == &at || v.sequence == at.sequence) continue;
    if (!WithinAfter(v, at, options_.baseline_window) || !Before(v, at)) continue;
    if (best == nullptr || v.value < best->value) best = &v;
  }
  if (best == nullptr) return std::nullopt;
  return Make(best->value, {*best});
}

std::optional<Derived> Timeline::MaxRatioToBaseline(absl::string_view key) const {
  std::optional<Derived> best;
  for (const TimedValue& v : Values(key)) {
    std::optional<Derived> baseline = Baseline(v);
    if (!baseline.has_value() || baseline->value <= 0) continue;
    const double ratio = v.value / baseline->value;
    if (!best.has_value() || ratio > best->value) {
      best = Make(ratio, {baseline->sources[0], v});
    }
  }
  return best;
}

std::optional<Derived> Timeline::MaxRiseWithin(absl::string_view key) const {
  const std::vector<TimedValue>& list = Values(key);
  std::optional<Derived> best;
  for (size_t i = 0; i < list.size(); ++i) {
    for (size_t j = i + 1; j < list.size(); ++j) {
      if (!WithinAfter(list[i], list[j], options_.rise_window)) continue;
      const double rise = list[j].value - list[i].value;
      if (rise > 0 && (!best.has_value() || rise > best->value)) {
        best = Make(rise, {list[i], list[j]});
      }
    }
  }
  return best;
}

std::optional<Derived> Timeline::MaxFallWithin(absl::string_view key) const {
  const std::vector<TimedValue>& list = Values(key);
  std::optional<Derived> best;
  for (size_t i = 0; i < list.size(); ++i) {
    for (size_t j = i + 1; j < list.size(); ++j) {
      if (!WithinAfter(list[i], list[j], options_.rise_window)) continue;
      const double fall = list[i].value - list[j].value;
      if (fall > 0 && (!best.has_value() || fall > best->value)) {
        best = Make(fall, {list[i], list[j]});
      }
    }
  }
  return best;
}

std::optional<Derived> Timeline::DropFromFirst(absl::string_view key) const {
  const std::vector<TimedValue>& list = Values(key);
  if (list.size() < 2) return std::nullopt;
  const TimedValue& first = list.front();
  const TimedValue* lowest = &list[1];
  for (size_t i = 2; i < list.size(); ++i) {
    if (list[i].value < lowest->value) lowest = &list[i];
  }
  return Make(first.value - lowest->value, {first, *lowest});
}

std::vector<Derived> Timeline::DerivedValues(absl::string_view key) const {
  std::vector<Derived> derived;
  const nlp::DerivedKey* definition = nlp::FindDerivedKey(key);
  if (definition == nullptr) return derived;
  for (const TimedValue& written : Values(key)) derived.push_back(Make(written.value, {written}));
  const std::vector<TimedValue>& first = Values(definition->first_source);
  const std::vector<TimedValue>& second = Values(definition->second_source);
  nlp::DerivationOptions options;
  options.pairing_window = options_.pairing_window;
  for (const nlp::DerivedReading& reading :
       nlp::Derive(*definition, SourceValuesOf(first), SourceValuesOf(second),
                   SourceValuesOf(Values(key)), options)) {
    derived.push_back(Make(reading.value, {first[reading.first], second[reading.second]}));
  }
  // Oldest first, as values are: a derived value is as old as its first source.
  std::stable_sort(derived.begin(), derived.end(), [](const Derived& a, const Derived& b) {
    return Before(a.sources[0], b.sources[0]);
  });
  return derived;
}

std::optional<Derived> Timeline::MinDerived(absl::string_view key) const {
  std::optional<Derived> lowest;
  for (Derived& d : DerivedValues(key)) {
    if (!lowest.has_value() || d.value < lowest->value) lowest = std::move(d);
  }
  return lowest;
}

std::optional<Derived> Timeline::MinPfRatio() const { return MinDerived("pf_ratio"); }

std::optional<Derived> Timeline::MinMap() const { return MinDerived("map"); }

std::optional<Derived> Timeline::Bmi() const {
  const std::vector<Derived> bmis = DerivedValues("bmi");
  if (bmis.empty()) return std::nullopt;
  return LatestTimed(bmis, [](const Derived& d) { return d.sources[0].time_known; });
}

int Timeline::CountBelow(absl::string_view key, double threshold) const {
  int n = 0;
  for (const TimedValue& v : Values(key)) n += v.value < threshold;
  return n;
}

int Timeline::CountAbove(absl::string_view key, double threshold) const {
  int n = 0;
  for (const TimedValue& v : Values(key)) n += v.value > threshold;
  return n;
}

}  // namespace cdiscan::timeline
