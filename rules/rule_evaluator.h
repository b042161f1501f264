// Evaluates every rule of a library over one encounter and produces findings of the four kinds:
//   MISSING_DIAGNOSIS   indicators meet the rule; no provider documents the condition as
//                       affirmed or possible, current, about the patient; no suppressor.
//   SPECIFICITY         documented, but a specificity axis (acuity, type, stage...) has no value.
//   CLINICAL_VALIDATION documented, but the indicators are essentially absent.
//   CONFLICT            provider notes disagree: affirmed vs denied, or two values on one axis.
// Only provider notes (physician, NP, PA) document; all notes and observations supply
// indicators.
//
// Thread safety: immutable; Evaluate is const and thread-safe.
#ifndef CDISCAN_RULES_RULE_EVALUATOR_H_
#define CDISCAN_RULES_RULE_EVALUATOR_H_

#include <string>
#include <vector>

#include "proto/finding.pb.h"
#include "rules/encounter_record.h"
#include "rules/rule_library.h"
#include "rules/severity_table.h"

namespace cdiscan::rules {

class IndicatorEvaluator;

// How findings are ranked. Higher is more urgent; ranking only, never shown in query text.
// The bundled values come from rules/data/priority_weights.textproto.
struct PriorityWeights {
  double missing_diagnosis = 0;
  double conflict = 0;
  double specificity = 0;
  double clinical_validation = 0;
  double mcc = 0;
  double cc = 0;
  double per_indicator = 0;  // up to five pieces of indicator evidence
  double supporting = 0;     // treatment or monitoring documented

  static PriorityWeights FromConfig(const PriorityWeightsConfig& config);
  // The weights of rules/data/priority_weights.textproto.
  static PriorityWeights Bundled();
};

class RuleEvaluator {
 public:
  RuleEvaluator(const RuleLibrary& library, const SeverityTable& severity,
                PriorityWeights weights = PriorityWeights::Bundled());

  // The library whose term list numbers the facts must carry (MentionFact.term_list_id).
  const RuleLibrary& library() const { return library_; }

  // Appends the findings for `record` to `out`, sorted by rule id.
  void Evaluate(const EncounterRecord& record, std::vector<Finding>* out) const;

  // Why rule `rule_index` of the library makes no finding for `record`, or "" if it makes one:
  // "a provider documents the condition: \"hyponatremia\" (note n1)", "the indicators do not
  // hold: all of: sodium below 130: ...; fluid restriction: not met". For rule authors
  // (`cdiscan rules test`), at the cost of a full evaluation of the rule.
  std::string ExplainSilence(const EncounterRecord& record, size_t rule_index) const;

 private:
  // Rule `r` on `record`: true and `*finding` set if it fires; otherwise false, and why in
  // `*silence` when it is not null (worked out only then: the nightly scan never asks).
  bool EvaluateRule(const EncounterRecord& record, size_t rule_index,
                    const IndicatorEvaluator& indicators, Finding* finding,
                    std::string* silence) const;
  // The finding of `rule`, which fires with `evidence` and `reasons` from its kind's decision:
  // the supporting indicators added, quotes made unique, the query drafted, the priority set.
  void BuildFinding(const EncounterRecord& record, const Rule& rule,
                    const IndicatorEvaluator& indicators, std::vector<Evidence> evidence,
                    std::vector<std::string> reasons, Finding* finding) const;

  const RuleLibrary& library_;
  const SeverityTable& severity_;
  PriorityWeights weights_;
};

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_RULE_EVALUATOR_H_
