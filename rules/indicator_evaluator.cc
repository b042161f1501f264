#include "rules/indicator_evaluator.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/clinical_time.h"

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

// Shortest faithful text for a number: 126, 2.3, 0.95.
std::string FormatNumber(double value) { return absl::StrFormat("%g", value); }

// Sort key: parsed time when known; values without a time keep their written order.
absl::Time SortTime(const std::string& time) {
  std::optional<absl::Time> parsed = ParseClinicalTime(time);
  return parsed.has_value() ? *parsed : absl::InfinitePast();
}

Evidence ValueEvidence(const MeasuredValue& value, const std::string& key) {
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

}  // namespace

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
  evidence.set_section(span.section());
  evidence.set_note_time(note.authored_at());
  evidence.set_note_type(note.note_type());
  evidence.set_label(label);
  return evidence;
}

IndicatorEvaluator::IndicatorEvaluator(const EncounterRecord& record, const RuleLibrary& library)
    : record_(record), library_(library) {
  uint64_t order = 0;
  for (const NoteFacts& note : record.notes) {
    const absl::Time note_time = SortTime(note.authored_at());
    for (const MeasurementFact& fact : note.measurement()) {
      MeasuredValue value;
      value.value = fact.value();
      value.time = fact.time().empty() ? note.authored_at() : fact.time();
      value.sort_time = fact.time().empty() ? note_time : SortTime(fact.time());
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
    value.time = record.observations[i].effective_time();
    value.sort_time = SortTime(value.time);
    value.observation = &record.observations[i];
    value.order = order++;
    values_[record.observation_keys[i]].push_back(value);
  }
  for (auto& [key, values] : values_) {
    // Trend positions ("0.9 -> 2.3") order values written in one place.
    std::stable_sort(values.begin(), values.end(),
                     [](const MeasuredValue& a, const MeasuredValue& b) {
                       if (a.sort_time != b.sort_time) return a.sort_time < b.sort_time;
                       if (a.note == b.note && a.fact != nullptr && b.fact != nullptr &&
                           a.fact->span().begin() == b.fact->span().begin()) {
                         return a.fact->trend_position() < b.fact->trend_position();
                       }
                       return a.order < b.order;
                     });
  }
}

const std::vector<MeasuredValue>& IndicatorEvaluator::Values(const std::string& key) const {
  static const std::vector<MeasuredValue>* const kNone = new std::vector<MeasuredValue>();
  auto it = values_.find(key);
  return it == values_.end() ? *kNone : it->second;
}

IndicatorResult IndicatorEvaluator::Evaluate(const Rule& rule, const IndicatorGroup& group) const {
  IndicatorResult result;
  int held = 0;
  int members = 0;
  // A NONE_OF group holds when its members do not, so what they matched is not evidence for it.
  const bool exclusion = group.mode() == IndicatorGroup::NONE_OF;
  auto take = [&](IndicatorResult member) {
    ++members;
    if (!member.satisfied) return;
    ++held;
    if (exclusion) return;
    for (Evidence& e : member.evidence) result.evidence.push_back(std::move(e));
    for (std::string& r : member.reasons) result.reasons.push_back(std::move(r));
  };
  for (const Indicator& indicator : group.indicator()) take(EvaluateIndicator(rule, indicator));
  for (const IndicatorGroup& child : group.group()) take(Evaluate(rule, child));
  switch (group.mode()) {
    case IndicatorGroup::ANY_OF: result.satisfied = held > 0; break;
    case IndicatorGroup::AT_LEAST: result.satisfied = held >= static_cast<int>(group.at_least()); break;
    case IndicatorGroup::NONE_OF: result.satisfied = members > 0 && held == 0; break;
    default: result.satisfied = members > 0 && held == members; break;
  }
  return result;
}

IndicatorResult IndicatorEvaluator::EvaluateIndicator(const Rule& rule,
                                                      const Indicator& indicator) const {
  switch (indicator.predicate_case()) {
    case Indicator::kMeasurement: return EvaluateMeasurement(rule, indicator);
    case Indicator::kDelta: return EvaluateDelta(indicator);
    case Indicator::kTreatment: return EvaluateTreatment(indicator);
    case Indicator::kText: return EvaluateText(rule, indicator);
    default: return {};
  }
}

IndicatorResult IndicatorEvaluator::EvaluateMeasurement(const Rule& rule,
                                                        const Indicator& indicator) const {
  const MeasurementPredicate& predicate = indicator.measurement();
  const double threshold =
      predicate.threshold_param().empty()
          ? predicate.threshold()
          : library_.Parameter(rule, predicate.threshold_param(), predicate.threshold());
  IndicatorResult result;
  std::vector<const MeasuredValue*> meeting;
  for (const MeasuredValue& value : Values(predicate.key())) {
    if (Compare(value.value, predicate.comparison(), threshold)) meeting.push_back(&value);
  }
  const size_t needed = std::max<uint32_t>(1, predicate.min_count());
  if (meeting.size() < needed) return result;
  result.satisfied = true;
  // Quote the most extreme value first, then the others in time order (at most five in all).
  const MeasuredValue* extreme = meeting.front();
  for (const MeasuredValue* value : meeting) {
    const bool lower = predicate.comparison() == LT || predicate.comparison() == LE;
    if (lower ? value->value < extreme->value : value->value > extreme->value) extreme = value;
  }
  result.evidence.push_back(ValueEvidence(*extreme, predicate.key()));
  for (const MeasuredValue* value : meeting) {
    if (result.evidence.size() >= 5) break;
    if (value != extreme) result.evidence.push_back(ValueEvidence(*value, predicate.key()));
  }
  result.reasons.push_back(absl::StrCat(indicator.name(), ": ", meeting.size(), " value(s), ",
                                        predicate.comparison() <= LE ? "lowest " : "highest ",
                                        FormatNumber(extreme->value)));
  return result;
}

IndicatorResult IndicatorEvaluator::EvaluateDelta(const Indicator& indicator) const {
  const DeltaPredicate& predicate = indicator.delta();
  const std::vector<MeasuredValue>& values = Values(predicate.key());
  IndicatorResult result;
  const absl::Duration window =
      predicate.within_hours() == 0 ? absl::InfiniteDuration() : absl::Hours(predicate.within_hours());
  // Earlier value i, later value j: the best qualifying pair wins.
  for (size_t j = 0; j < values.size() && !result.satisfied; ++j) {
    for (size_t i = 0; i < j; ++i) {
      const absl::Time ti = values[i].sort_time, tj = values[j].sort_time;
      if (ti != absl::InfinitePast() && tj != absl::InfinitePast() && tj - ti > window) continue;
      const double before = values[i].value, after = values[j].value;
      const bool rise = predicate.rise_at_least() > 0 && after - before >= predicate.rise_at_least();
      const bool fall = predicate.fall_at_least() > 0 && before - after >= predicate.fall_at_least();
      const bool ratio = predicate.ratio_at_least() > 0 && before > 0 &&
                         after / before >= predicate.ratio_at_least();
      if (rise || fall || ratio) {
        result.satisfied = true;
        result.evidence.push_back(ValueEvidence(values[i], predicate.key()));
        result.evidence.push_back(ValueEvidence(values[j], predicate.key()));
        result.reasons.push_back(absl::StrCat(indicator.name(), ": ", FormatNumber(before),
                                              " -> ", FormatNumber(after)));
        break;
      }
    }
  }
  return result;
}

IndicatorResult IndicatorEvaluator::EvaluateTreatment(const Indicator& indicator) const {
  IndicatorResult result;
  for (const NoteFacts& note : record_.notes) {
    for (const TreatmentFact& treatment : note.treatment()) {
      if (treatment.key() != indicator.treatment().key() || treatment.negation() == NEGATED ||
          treatment.temporality() != RECENT) {
        continue;
      }
      result.satisfied = true;
      result.evidence.push_back(NoteEvidence(note, treatment.span(), INDICATOR, indicator.name()));
      if (result.evidence.size() >= 3) break;
    }
  }
  if (result.satisfied) result.reasons.push_back(indicator.name());
  return result;
}

IndicatorResult IndicatorEvaluator::EvaluateText(const Rule& rule,
                                                 const Indicator& indicator) const {
  IndicatorResult result;
  const std::string list = absl::StrCat(rule.id(), "/indicator/", indicator.name());
  for (const NoteFacts& note : record_.notes) {
    for (const MentionFact& mention : note.mention()) {
      if (mention.term_list() != list || mention.negation() == NEGATED ||
          mention.temporality() != RECENT || mention.experiencer() != PATIENT) {
        continue;
      }
      result.satisfied = true;
      result.evidence.push_back(NoteEvidence(note, mention.span(), INDICATOR, indicator.name()));
      if (result.evidence.size() >= 3) break;
    }
  }
  if (result.satisfied) result.reasons.push_back(indicator.name());
  return result;
}

}  // namespace cdiscan::rules
