#include "rules/indicator_evaluator.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/clinical_time.h"
#include "nlp/measure/vocabulary.h"
#include "nlp/section_proto.h"

namespace cdiscan::rules {
namespace {

bool Compare(double value, Comparison comparison, double threshold) {
  switch (comparison) {
    case LT: return value < threshold;
    case LE: return value <= threshold;
    case GT: return value > threshold;
    case GE: return value >= threshold;
    default: return false;
  }
}

// Shortest faithful text for a number: 126, 2.3, 0.95; a derived value, kept to a tenth, as
// "62.7".
std::string FormatNumber(double value) { return absl::StrFormat("%g", value); }

// Sort key: parsed time when known; values without a time keep their written order.
absl::Time SortTime(const std::string& time) {
  std::optional<absl::Time> parsed = ParseClinicalTime(time);
  return parsed.has_value() ? *parsed : absl::InfinitePast();
}

// The time written next to `fact` ("06:00", "03/01", "yesterday", an ISO time), placed against
// its note's time as the encounter timeline places it (base/clinical_time.h); InfinitePast
// when there is none or it cannot be placed ("on admission").
absl::Time WrittenTime(const MeasurementFact& fact, absl::Time note_time) {
  if (fact.time().empty()) return absl::InfinitePast();
  std::optional<absl::Time> written = note_time != absl::InfinitePast()
                                          ? ResolveWrittenTime(fact.time(), note_time)
                                          : ParseClinicalTime(fact.time());
  return written.has_value() ? *written : absl::InfinitePast();
}

// A measured value's evidence.
Evidence MeasuredEvidence(const MeasuredValue& value, const std::string& key) {
  if (value.fact != nullptr) {
    const std::string label =
        absl::StrCat(key, " ", FormatNumber(value.fact->value()), " ", value.fact->unit());
    return NoteEvidence(*value.note, value.fact->span(), INDICATOR, label);
  }
  Evidence evidence;
  const Observation& observation = *value.observation;
  evidence.set_observation_id(observation.observation_id());
  evidence.set_text(absl::StrCat(observation.name().empty() ? key : observation.name(), " ",
                                 FormatNumber(observation.value()), " ", observation.unit()));
  evidence.set_role(INDICATOR);
  evidence.set_note_time(observation.effective_time());
  evidence.set_label(absl::StrCat(key, " ", FormatNumber(value.value)));
  evidence.set_section("structured_observation");
  return evidence;
}

// "fio2 50 %", "height 165 cm": a source of a derived value, in its canonical unit.
std::string SourceLabel(absl::string_view key, const MeasuredValue& source) {
  const nlp::Vocabulary::Entry* entry = nlp::Vocabulary::Default().FindKey(key);
  const std::string unit = entry == nullptr ? "" : entry->canonical_unit;
  return absl::StrCat(key, " ", FormatNumber(source.value), unit.empty() ? "" : " ", unit);
}

// Appends the evidence for `value` of `key`: the value itself, or for a derived value the
// values it was computed from (once when they were written together, "BP 84/46"), labelled
// with the derivation: "map 58.7 mmHg, calculated from sbp 84 mmHg and dbp 46 mmHg".
void AppendValueEvidence(const MeasuredValue& value, const std::string& key,
                         std::vector<Evidence>* evidence) {
  if (value.derived == nullptr) {
    evidence->push_back(MeasuredEvidence(value, key));
    return;
  }
  const MeasuredValue& first = *value.derived_from[0];
  const MeasuredValue& second = *value.derived_from[1];
  const std::string label = absl::StrCat(
      key, " ", FormatNumber(value.value), " ", value.derived->canonical_unit,
      ", calculated from ", SourceLabel(value.derived->first_source, first), " and ",
      SourceLabel(value.derived->second_source, second));
  for (const MeasuredValue* source : {&first, &second}) {
    Evidence quoted = MeasuredEvidence(*source, std::string(source == &first
                                                                ? value.derived->first_source
                                                                : value.derived->second_source));
    quoted.set_label(label);
    const bool same_span = source == &second && first.fact != nullptr && second.fact != nullptr &&
                           first.note == second.note &&
                           first.fact->span().begin() == second.fact->span().begin();
    if (!same_span) evidence->push_back(std::move(quoted));
  }
}

// The pairings' view of a value.
nlp::SourceValue SourceValueOf(const MeasuredValue& value) {
  nlp::SourceValue reading;
  reading.value = value.value;
  // A written time that cannot be placed ("on admission") leaves the value's time unknown for
  // pairing: it pairs within its note only, not by the note's time with another note's value.
  const bool written = value.fact != nullptr && !value.fact->time().empty();
  const bool unplaced = written && value.sort_time == absl::InfinitePast();
  if (value.window_time != absl::InfinitePast() && !unplaced) reading.time = value.window_time;
  reading.time_written = reading.time.has_value() && (written || value.fact == nullptr);
  if (value.fact != nullptr) {
    reading.note_id = value.note->note_id();
    reading.span_begin = value.fact->span().begin();
    reading.span_end = value.fact->span().end();
    reading.trend_position = value.fact->trend_position();
  }
  return reading;
}

std::vector<nlp::SourceValue> SourceValuesOf(const std::vector<MeasuredValue>& values) {
  std::vector<nlp::SourceValue> readings;
  readings.reserve(values.size());
  for (const MeasuredValue& value : values) readings.push_back(SourceValueOf(value));
  return readings;
}

// Oldest first; values written in one place ("0.9 -> 2.3") in their trend order.
void SortByTime(std::vector<MeasuredValue>* values) {
  std::stable_sort(values->begin(), values->end(),
                   [](const MeasuredValue& a, const MeasuredValue& b) {
                     if (a.sort_time != b.sort_time) return a.sort_time < b.sort_time;
                     if (a.note == b.note && a.fact != nullptr && b.fact != nullptr &&
                         a.fact->span().begin() == b.fact->span().begin()) {
                       return a.fact->trend_position() < b.fact->trend_position();
                     }
                     return a.order < b.order;
                   });
}

}  // namespace

FactScope FactScope::Window(absl::Time begin, absl::Time end) {
  FactScope scope;
  scope.begin = begin;
  scope.end = end;
  scope.empty = begin > end;
  return scope;
}

FactScope FactScope::UntimedNote(const NoteFacts* note) {
  FactScope scope;
  scope.untimed_note = note;
  scope.empty = note == nullptr;
  return scope;
}

bool FactScope::whole() const {
  return !empty && untimed_note == nullptr && begin == absl::InfinitePast() &&
         end == absl::InfiniteFuture();
}

bool FactScope::Admits(absl::Time time, const NoteFacts* note) const {
  if (empty) return false;
  if (untimed_note != nullptr) return time == absl::InfinitePast() && note == untimed_note;
  if (whole()) return true;
  return time != absl::InfinitePast() && begin <= time && time <= end;
}

FactScope FactScope::Intersect(const FactScope& other) const {
  FactScope none;
  none.empty = true;
  if (empty || other.empty) return none;
  if (whole()) return other;
  if (other.whole()) return *this;
  if (untimed_note != nullptr || other.untimed_note != nullptr) {
    // Untimed facts lie in no time window, and each untimed note is a window of its own.
    return untimed_note == other.untimed_note ? *this : none;
  }
  return Window(std::max(begin, other.begin), std::min(end, other.end));
}

FiringSense RequiredIndicatorSense(const Rule& rule) {
  return rule.kind() == CLINICAL_VALIDATION ? FiringSense::kFiresWhenNotHeld
                                            : FiringSense::kFiresWhenHeld;
}

bool IsProviderRole(AuthorRole role) {
  return role == PHYSICIAN || role == NURSE_PRACTITIONER || role == PHYSICIAN_ASSISTANT;
}

Evidence NoteEvidence(const NoteFacts& note, const TextSpan& span, EvidenceRole role,
                      const std::string& label) {
  Evidence evidence;
  evidence.set_note_id(note.note_id());
  evidence.set_begin(span.begin());
  evidence.set_end(span.end());
  evidence.set_text(span.text());
  evidence.set_role(role);
  // Findings leave an unknown section out rather than name it.
  if (span.section() != SECTION_UNKNOWN) {
    evidence.set_section(std::string(nlp::SectionName(span.section())));
  }
  evidence.set_note_time(note.authored_at());
  evidence.set_note_type(note.note_type());
  evidence.set_label(label);
  return evidence;
}

IndicatorEvaluator::IndicatorEvaluator(const EncounterRecord& record, const RuleLibrary& library)
    : record_(record),
      library_(library),
      mentions_(record),
      patient_(record.encounter.has_value() ? PatientOf(*record.encounter) : Patient()) {
  uint64_t order = 0;
  note_times_.reserve(record.notes.size());
  for (const NoteFacts& note : record.notes) {
    const absl::Time note_time = SortTime(note.authored_at());
    note_times_.push_back(note_time);
    for (const MeasurementFact& fact : note.measurement()) {
      const absl::Time written = WrittenTime(fact, note_time);
      MeasuredValue value;
      value.value = fact.value();
      value.sort_time = fact.time().empty() ? note_time : written;
      value.window_time = written != absl::InfinitePast() ? written : note_time;
      value.note = &note;
      value.fact = &fact;
      value.order = order++;
      values_[fact.key()].push_back(value);
    }
  }
  for (size_t i = 0; i < record.observations.size() && i < record.observation_keys.size(); ++i) {
    if (record.observation_keys[i].empty()) continue;
    MeasuredValue value;
    value.value = record.observation_values[i];
    value.sort_time = SortTime(record.observations[i].effective_time());
    value.window_time = value.sort_time;
    value.observation = &record.observations[i];
    value.order = order++;
    values_[record.observation_keys[i]].push_back(value);
  }
  for (auto& [key, values] : values_) SortByTime(&values);
  AddDerivedValues();
}

void IndicatorEvaluator::AddDerivedValues() {
  uint64_t order = 0;
  for (const auto& [key, values] : values_) order += values.size();
  for (const nlp::DerivedKey& derived : nlp::DerivedKeys()) {
    const std::vector<MeasuredValue>& first = Values(std::string(derived.first_source));
    const std::vector<MeasuredValue>& second = Values(std::string(derived.second_source));
    if (first.empty() || second.empty()) continue;
    const std::string key(derived.key);
    const std::vector<nlp::DerivedReading> computed =
        nlp::Derive(derived, SourceValuesOf(first), SourceValuesOf(second),
                    SourceValuesOf(Values(key)), nlp::DerivationOptions());
    if (computed.empty()) continue;
    std::vector<MeasuredValue> added;
    added.reserve(computed.size());
    for (const nlp::DerivedReading& reading : computed) {
      // Timed and placed as the first source: the blood pressure, the PaO2, the weight.
      MeasuredValue value = first[reading.first];
      value.value = reading.value;
      value.order = order++;
      value.derived = &derived;
      // The sources' vectors are not changed from here on (no derived key is another's
      // source), and moving a vector in values_ keeps its elements where they are.
      value.derived_from = {&first[reading.first], &second[reading.second]};
      added.push_back(std::move(value));
    }
    std::vector<MeasuredValue>& values = values_[key];
    for (MeasuredValue& value : added) values.push_back(std::move(value));
    SortByTime(&values);
  }
}

const std::vector<MeasuredValue>& IndicatorEvaluator::Values(const std::string& key) const {
  static const std::vector<MeasuredValue>* const kNone = new std::vector<MeasuredValue>();
  auto it = values_.find(key);
  return it == values_.end() ? *kNone : it->second;
}

absl::Time IndicatorEvaluator::NoteTime(const NoteFacts& note) const {
  return note_times_[&note - record_.notes.data()];
}

IndicatorResult IndicatorEvaluator::Evaluate(const Rule& rule, const IndicatorGroup& group,
                                             FiringSense sense) const {
  return EvaluateGroup(rule, group, Context{FactScope::Whole(), sense, true});
}

bool IndicatorEvaluator::Holds(const Rule& rule, const IndicatorGroup& group,
                               FiringSense sense) const {
  return EvaluateGroup(rule, group, Context{FactScope::Whole(), sense, false}).satisfied;
}

IndicatorResult IndicatorEvaluator::EvaluateGroup(const Rule& rule, const IndicatorGroup& group,
                                                  const Context& context) const {
  if (group.mode() == IndicatorGroup::NONE_OF) {
    // A NONE_OF group holds when its members do not, so what they matched is not evidence.
    IndicatorResult result;
    result.satisfied = ExclusionHolds(rule, group, context.sense);
    return result;
  }
  const bool windowable = group.mode() == IndicatorGroup::ALL_OF ||
                          group.mode() == IndicatorGroup::MODE_UNSPECIFIED ||
                          group.mode() == IndicatorGroup::AT_LEAST;
  if (group.within_hours() > 0 && windowable) return EvaluateWindowed(rule, group, context);
  int held = 0;
  return EvaluateMembers(rule, group, context, &held);
}

IndicatorResult IndicatorEvaluator::EvaluateMembers(const Rule& rule, const IndicatorGroup& group,
                                                    const Context& context, int* held) const {
  IndicatorResult result;
  int members = 0;
  *held = 0;
  auto take = [&](IndicatorResult member) {
    ++members;
    if (!member.satisfied) return;
    ++*held;
    for (Evidence& e : member.evidence) result.evidence.push_back(std::move(e));
    for (std::string& r : member.reasons) result.reasons.push_back(std::move(r));
  };
  for (const Indicator& indicator : group.indicator()) {
    take(EvaluateIndicator(rule, indicator, context));
  }
  for (const IndicatorGroup& child : group.group()) take(EvaluateGroup(rule, child, context));
  switch (group.mode()) {
    case IndicatorGroup::ANY_OF: result.satisfied = *held > 0; break;
    case IndicatorGroup::AT_LEAST:
      result.satisfied = *held >= static_cast<int>(group.at_least());
      break;
    default: result.satisfied = members > 0 && *held == members; break;
  }
  return result;
}

std::string IndicatorEvaluator::Explain(const Rule& rule, const IndicatorGroup& group,
                                        FiringSense sense) const {
  std::string mode;
  switch (group.mode()) {
    case IndicatorGroup::ANY_OF: mode = "any of"; break;
    case IndicatorGroup::AT_LEAST: mode = absl::StrCat("at least ", group.at_least(), " of"); break;
    case IndicatorGroup::NONE_OF: mode = "none of"; break;
    default: mode = "all of"; break;
  }
  if (group.within_hours() > 0 && group.mode() != IndicatorGroup::NONE_OF) {
    absl::StrAppend(&mode, " (within ", group.within_hours(), " h; each judged over the stay)");
  }
  // An exclusion's members fire the rule by not holding (ExclusionHolds).
  const Context members{FactScope::Whole(),
                        group.mode() == IndicatorGroup::NONE_OF ? Flip(sense) : sense, true};
  std::vector<std::string> outcomes;
  auto add = [&](const std::string& name, const IndicatorResult& result,
                 const std::string& seen = "") {
    if (!result.satisfied) {
      outcomes.push_back(absl::StrCat(name, ": not met", seen));
    } else if (result.reasons.size() == 1 && result.reasons[0] == name &&
               !result.evidence.empty()) {
      // A treatment or text finding gives only its name as its reason: quote what it matched.
      const Evidence& e = result.evidence.front();
      outcomes.push_back(absl::StrCat(name, ": met (\"", e.text(), "\"",
                                      e.note_id().empty() ? "" : ", note ", e.note_id(), ")"));
    } else if (result.reasons.empty()) {
      outcomes.push_back(absl::StrCat(name, ": met"));
    } else {
      outcomes.push_back(absl::StrJoin(result.reasons, ", "));
    }
  };
  for (const Indicator& indicator : group.indicator()) {
    add(indicator.name(), EvaluateIndicator(rule, indicator, members), ValuesSeen(indicator));
  }
  for (const IndicatorGroup& child : group.group()) {
    IndicatorResult result = EvaluateGroup(rule, child, members);
    result.reasons.clear();  // the child's own explanation says what held
    add(absl::StrCat("[", Explain(rule, child, members.sense), "]"), result);
  }
  return absl::StrCat(mode, ": ", absl::StrJoin(outcomes, "; "));
}

std::string IndicatorEvaluator::ValuesSeen(const Indicator& indicator) const {
  if (!indicator.has_measurement() && !indicator.has_delta()) return "";
  const std::string& key =
      indicator.has_measurement() ? indicator.measurement().key() : indicator.delta().key();
  const std::vector<MeasuredValue>& values = Values(key);
  if (values.empty()) return absl::StrCat(" (no ", key, " in the record)");
  // The first and last few: what an author compares with the threshold.
  constexpr size_t kShown = 6;
  std::vector<std::string> shown;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values.size() > kShown && i == kShown / 2) {
      shown.push_back("...");
      i = values.size() - kShown / 2;
    }
    shown.push_back(FormatNumber(values[i].value));
  }
  return absl::StrCat(" (", key, " ", absl::StrJoin(shown, ", "), ")");
}

bool IndicatorEvaluator::ExclusionHolds(const Rule& rule, const IndicatorGroup& group,
                                        FiringSense sense) const {
  const auto key = std::make_pair(&group, sense);
  auto cached = exclusions_.find(key);
  if (cached != exclusions_.end()) return cached->second;
  // An exclusion is a fact about the stay (chemotherapy, anticoagulation), not a finding of the
  // moment, so it looks at the whole encounter even inside a time window. Its members fire the
  // rule by not holding: their sense is the group's, flipped.
  const Context members{FactScope::Whole(), Flip(sense), false};
  int held = 0;
  int count = 0;
  for (const Indicator& indicator : group.indicator()) {
    ++count;
    held += EvaluateIndicator(rule, indicator, members).satisfied;
  }
  for (const IndicatorGroup& child : group.group()) {
    ++count;
    held += EvaluateGroup(rule, child, members).satisfied;
  }
  const bool holds = count > 0 && held == 0;
  exclusions_[key] = holds;
  return holds;
}

void IndicatorEvaluator::CollectAnchors(const Rule& rule, const IndicatorGroup& group,
                                        const FactScope& scope,
                                        std::vector<Anchor>* anchors) const {
  auto add = [&](absl::Time time, const NoteFacts* note) {
    if (!scope.Admits(time, note)) return;
    if (time != absl::InfinitePast()) {
      anchors->push_back(Anchor{time, nullptr});
    } else if (note != nullptr) {
      anchors->push_back(Anchor{time, note});
    }
  };
  for (const Indicator& indicator : group.indicator()) {
    if (indicator.has_measurement() || indicator.has_delta()) {
      const std::string& key =
          indicator.has_measurement() ? indicator.measurement().key() : indicator.delta().key();
      for (const MeasuredValue& value : Values(key)) add(value.window_time, value.note);
    } else if (indicator.has_treatment()) {
      for (const NoteFacts& note : record_.notes) {
        for (const TreatmentFact& treatment : note.treatment()) {
          if (treatment.key() == indicator.treatment().key()) {
            add(NoteTime(note), &note);
            break;
          }
        }
      }
    } else if (indicator.has_text()) {
      const NoteFacts* last = nullptr;  // one anchor per note that mentions it
      for (const NoteMention& m : TextMentions(rule, indicator)) {
        if (m.note == last) continue;
        last = m.note;
        add(NoteTime(*m.note), m.note);
      }
    }
  }
  for (const IndicatorGroup& child : group.group()) {
    if (child.mode() != IndicatorGroup::NONE_OF) CollectAnchors(rule, child, scope, anchors);
  }
}

IndicatorResult IndicatorEvaluator::EvaluateWindowed(const Rule& rule, const IndicatorGroup& group,
                                                     const Context& context) const {
  std::vector<Anchor> anchors;
  CollectAnchors(rule, group, context.scope, &anchors);
  // Timed anchors in time order, then untimed notes in note order; the first best window wins,
  // so the earliest of equally good windows is quoted.
  std::stable_sort(anchors.begin(), anchors.end(), [](const Anchor& a, const Anchor& b) {
    if ((a.note == nullptr) != (b.note == nullptr)) return a.note == nullptr;
    return a.note == nullptr ? a.time < b.time : a.note < b.note;
  });
  anchors.erase(std::unique(anchors.begin(), anchors.end(),
                            [](const Anchor& a, const Anchor& b) {
                              return a.time == b.time && a.note == b.note;
                            }),
                anchors.end());
  const absl::Duration width = absl::Hours(group.within_hours());
  std::optional<FactScope> best;
  int best_held = -1;
  for (const Anchor& anchor : anchors) {
    const FactScope window = anchor.note != nullptr
                                 ? FactScope::UntimedNote(anchor.note)
                                 : FactScope::Window(anchor.time, anchor.time + width);
    const FactScope scope = context.scope.Intersect(window);
    if (scope.empty) continue;
    int held = 0;
    // Where the most members hold is the strongest window to quote.
    if (EvaluateMembers(rule, group, Context{scope, context.sense, false}, &held).satisfied &&
        held > best_held) {
      best = scope;
      best_held = held;
    }
  }
  IndicatorResult result;
  if (!best.has_value()) return result;
  if (!context.quote) {
    result.satisfied = true;
    return result;
  }
  int held = 0;
  result = EvaluateMembers(rule, group, Context{*best, context.sense, true}, &held);
  result.reasons.push_back(absl::StrCat("the criteria above within ", group.within_hours(), " h"));
  return result;
}

IndicatorResult IndicatorEvaluator::EvaluateIndicator(const Rule& rule, const Indicator& indicator,
                                                      const Context& context) const {
  switch (indicator.predicate_case()) {
    case Indicator::kMeasurement: return EvaluateMeasurement(rule, indicator, context);
    case Indicator::kDelta: return EvaluateDelta(indicator, context);
    case Indicator::kTreatment: return EvaluateTreatment(indicator, context);
    case Indicator::kText: return EvaluateText(rule, indicator, context);
    default: return {};
  }
}

IndicatorResult IndicatorEvaluator::EvaluateMeasurement(const Rule& rule,
                                                        const Indicator& indicator,
                                                        const Context& context) const {
  const MeasurementPredicate& predicate = indicator.measurement();
  double threshold = 0;
  std::string threshold_note;  // which patient threshold applied, for the rationale
  if (predicate.patient_threshold_size() > 0) {
    ThresholdChoice choice = ChooseThreshold(
        predicate, patient_, context.sense,
        [&](const std::string& name, double fallback) {
          return library_.Parameter(rule, name, fallback);
        },
        /*explain=*/context.quote);
    threshold = choice.value;
    threshold_note = std::move(choice.explanation);
  } else {
    threshold = predicate.threshold_param().empty()
                    ? predicate.threshold()
                    : library_.Parameter(rule, predicate.threshold_param(), predicate.threshold());
  }
  IndicatorResult result;
  const size_t needed = std::max<uint32_t>(1, predicate.min_count());
  auto meets = [&](const MeasuredValue& value) {
    return context.scope.Admits(value.window_time, value.note) &&
           Compare(value.value, predicate.comparison(), threshold);
  };
  const std::vector<MeasuredValue>& values = Values(predicate.key());
  if (!context.quote) {  // deciding only: count, no list
    size_t count = 0;
    for (const MeasuredValue& value : values) {
      if (meets(value) && ++count >= needed) break;
    }
    result.satisfied = count >= needed;
    return result;
  }
  std::vector<const MeasuredValue*> meeting;
  for (const MeasuredValue& value : values) {
    if (meets(value)) meeting.push_back(&value);
  }
  if (meeting.size() < needed) return result;
  result.satisfied = true;
  // Quote the most extreme value first, then the others in time order: at most five values (a
  // derived value quotes its two sources).
  const MeasuredValue* extreme = meeting.front();
  const bool lower = predicate.comparison() == LT || predicate.comparison() == LE;
  for (const MeasuredValue* value : meeting) {
    if (lower ? value->value < extreme->value : value->value > extreme->value) extreme = value;
  }
  AppendValueEvidence(*extreme, predicate.key(), &result.evidence);
  int quoted = 1;
  for (const MeasuredValue* value : meeting) {
    if (quoted >= 5) break;
    if (value == extreme) continue;
    AppendValueEvidence(*value, predicate.key(), &result.evidence);
    ++quoted;
  }
  result.reasons.push_back(absl::StrCat(indicator.name(), ": ", meeting.size(), " value(s), ",
                                        lower ? "lowest " : "highest ", FormatNumber(extreme->value),
                                        threshold_note.empty() ? "" : ", ", threshold_note));
  return result;
}

IndicatorResult IndicatorEvaluator::EvaluateDelta(const Indicator& indicator,
                                                  const Context& context) const {
  const DeltaPredicate& predicate = indicator.delta();
  std::vector<const MeasuredValue*> values;
  for (const MeasuredValue& value : Values(predicate.key())) {
    if (context.scope.Admits(value.window_time, value.note)) values.push_back(&value);
  }
  IndicatorResult result;
  const absl::Duration window =
      predicate.within_hours() == 0 ? absl::InfiniteDuration() : absl::Hours(predicate.within_hours());
  // Earlier value i, later value j: the best qualifying pair wins.
  for (size_t j = 0; j < values.size() && !result.satisfied; ++j) {
    for (size_t i = 0; i < j; ++i) {
      const absl::Time ti = values[i]->sort_time, tj = values[j]->sort_time;
      if (ti != absl::InfinitePast() && tj != absl::InfinitePast() && tj - ti > window) continue;
      const double before = values[i]->value, after = values[j]->value;
      const bool rise = predicate.rise_at_least() > 0 && after - before >= predicate.rise_at_least();
      const bool fall = predicate.fall_at_least() > 0 && before - after >= predicate.fall_at_least();
      const bool ratio = predicate.ratio_at_least() > 0 && before > 0 &&
                         after / before >= predicate.ratio_at_least();
      if (rise || fall || ratio) {
        result.satisfied = true;
        if (!context.quote) break;
        AppendValueEvidence(*values[i], predicate.key(), &result.evidence);
        AppendValueEvidence(*values[j], predicate.key(), &result.evidence);
        result.reasons.push_back(absl::StrCat(indicator.name(), ": ", FormatNumber(before),
                                              " -> ", FormatNumber(after)));
        break;
      }
    }
  }
  return result;
}

IndicatorResult IndicatorEvaluator::EvaluateTreatment(const Indicator& indicator,
                                                      const Context& context) const {
  IndicatorResult result;
  for (const NoteFacts& note : record_.notes) {
    if (!context.scope.Admits(NoteTime(note), &note)) continue;
    for (const TreatmentFact& treatment : note.treatment()) {
      if (treatment.key() != indicator.treatment().key() || treatment.negation() == NEGATED ||
          treatment.temporality() != RECENT) {
        continue;
      }
      result.satisfied = true;
      if (!context.quote) return result;
      result.evidence.push_back(NoteEvidence(note, treatment.span(), INDICATOR, indicator.name()));
      if (result.evidence.size() >= 3) break;
    }
  }
  if (result.satisfied) result.reasons.push_back(indicator.name());
  return result;
}

const std::vector<NoteMention>& IndicatorEvaluator::TextMentions(
    const Rule& rule, const Indicator& indicator) const {
  return mentions_.Of(library_.TextIndicatorList(rule, indicator));
}

IndicatorResult IndicatorEvaluator::EvaluateText(const Rule& rule, const Indicator& indicator,
                                                 const Context& context) const {
  IndicatorResult result;
  // In note order; within a note, quoting stops once there are three quotes (a later note
  // still adds its first).
  const NoteFacts* full_note = nullptr;
  for (const NoteMention& m : TextMentions(rule, indicator)) {
    const NoteFacts& note = *m.note;
    const MentionFact& mention = *m.mention;
    if (&note == full_note || !context.scope.Admits(NoteTime(note), &note) ||
        mention.negation() == NEGATED || mention.temporality() != RECENT ||
        mention.experiencer() != PATIENT) {
      continue;
    }
    result.satisfied = true;
    if (!context.quote) return result;
    result.evidence.push_back(NoteEvidence(note, mention.span(), INDICATOR, indicator.name()));
    if (result.evidence.size() >= 3) full_note = &note;
  }
  if (result.satisfied) result.reasons.push_back(indicator.name());
  return result;
}

}  // namespace cdiscan::rules
