// Evaluates a rule's indicator predicates over one encounter and collects the evidence that
// satisfied them.
//
// Thread safety: an evaluator is built per encounter and used by one thread.
#ifndef CDISCAN_RULES_INDICATOR_EVALUATOR_H_
#define CDISCAN_RULES_INDICATOR_EVALUATOR_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "proto/finding.pb.h"
#include "proto/rule.pb.h"
#include "rules/encounter_record.h"
#include "rules/rule_library.h"

namespace cdiscan::rules {

// One measured value on the encounter, from a note or a structured observation.
struct MeasuredValue {
  double value = 0;
  std::string time;      // best known time: written next to the value, else the note's
  // `time` parsed once (InfinitePast when unknown): sorting and windows compare it often.
  absl::Time sort_time = absl::InfinitePast();
  const NoteFacts* note = nullptr;
  const MeasurementFact* fact = nullptr;
  const Observation* observation = nullptr;
  uint64_t order = 0;    // position on the timeline
};

// The result of evaluating a group: whether it holds, the evidence, and names of what held.
struct IndicatorResult {
  bool satisfied = false;
  std::vector<Evidence> evidence;
  std::vector<std::string> reasons;  // "sodium below the significant threshold: 126 mmol/L"
};

class IndicatorEvaluator {
 public:
  IndicatorEvaluator(const EncounterRecord& record, const RuleLibrary& library);

  IndicatorResult Evaluate(const Rule& rule, const IndicatorGroup& group) const;

  // Values of `key` on the timeline, oldest first.
  const std::vector<MeasuredValue>& Values(const std::string& key) const;

 private:
  IndicatorResult EvaluateIndicator(const Rule& rule, const Indicator& indicator) const;
  IndicatorResult EvaluateMeasurement(const Rule& rule, const Indicator& indicator) const;
  IndicatorResult EvaluateDelta(const Indicator& indicator) const;
  IndicatorResult EvaluateTreatment(const Indicator& indicator) const;
  IndicatorResult EvaluateText(const Rule& rule, const Indicator& indicator) const;

  const EncounterRecord& record_;
  const RuleLibrary& library_;
  absl::flat_hash_map<std::string, std::vector<MeasuredValue>> values_;
};

// Evidence for a span of a note.
Evidence NoteEvidence(const NoteFacts& note, const TextSpan& span, EvidenceRole role,
                      const std::string& label);

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_INDICATOR_EVALUATOR_H_
