// Evaluates a rule's indicator predicates over one encounter and collects the evidence that
// satisfied them.
//
//   IndicatorEvaluator indicators(record, library);
//   IndicatorResult required =
//       indicators.Evaluate(rule, rule.indicators(), RequiredIndicatorSense(rule));
//
// Two things make a predicate depend on more than the values themselves:
//   - time windows (IndicatorGroup.within_hours): the members of an ALL_OF / AT_LEAST group
//     must be met by facts timed within one sliding window; the evaluator tries the windows that
//     start at each fact the group could use and keeps the one where the most members hold.
//   - patient thresholds (MeasurementPredicate.patient_threshold): the threshold follows the
//     encounter's sex and age; when those are unknown the FiringSense picks the threshold under
//     which the rule fires less (rules/patient_threshold.h).
//
// Thread safety: an evaluator is built per encounter and used by one thread.
#ifndef CDISCAN_RULES_INDICATOR_EVALUATOR_H_
#define CDISCAN_RULES_INDICATOR_EVALUATOR_H_

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "nlp/measure/derived_values.h"
#include "proto/finding.pb.h"
#include "proto/rule.pb.h"
#include "rules/encounter_record.h"
#include "rules/mentions_by_list.h"
#include "rules/patient_threshold.h"
#include "rules/rule_library.h"

namespace cdiscan::rules {

// One measured value on the encounter, from a note or a structured observation.
struct MeasuredValue {
  double value = 0;
  // The best known time, parsed once (InfinitePast when unknown): written next to the value,
  // else the note's or the observation's. A written time that does not parse ("on admission")
  // is unknown here, which keeps such values first in trends.
  absl::Time sort_time = absl::InfinitePast();
  // The time used for windows: the written time when it parses, else the note's time (a value
  // written in a note was known when the note was written), else the observation's time;
  // InfinitePast when there is none.
  absl::Time window_time = absl::InfinitePast();
  const NoteFacts* note = nullptr;
  const MeasurementFact* fact = nullptr;
  const Observation* observation = nullptr;
  uint64_t order = 0;    // position on the timeline
  // A value computed from two others (nlp/measure/derived_values.h): `map` from "BP 84/46",
  // `bmi` from a weight and a height, `pf_ratio` from a PaO2 and an FiO2. `derived` names them
  // and `derived_from` points at the two (values of other keys of the same evaluator, which
  // are what its evidence quotes); the value takes its times and note from the first. Null for
  // a value measured as such.
  const nlp::DerivedKey* derived = nullptr;
  std::array<const MeasuredValue*, 2> derived_from = {nullptr, nullptr};
};

// Which facts an evaluation may use: the whole encounter, the facts timed within
// [begin, end], or the untimed facts of one note. Nothing at all when `empty`.
struct FactScope {
  absl::Time begin = absl::InfinitePast();
  absl::Time end = absl::InfiniteFuture();
  const NoteFacts* untimed_note = nullptr;
  bool empty = false;

  static FactScope Whole() { return FactScope(); }
  static FactScope Window(absl::Time begin, absl::Time end);
  static FactScope UntimedNote(const NoteFacts* note);

  bool whole() const;
  // Whether a fact at `time` (InfinitePast = untimed) of `note` (nullptr for observations) may
  // be used.
  bool Admits(absl::Time time, const NoteFacts* note) const;
  FactScope Intersect(const FactScope& other) const;
};

// The result of evaluating a group: whether it holds, the evidence, and names of what held.
struct IndicatorResult {
  bool satisfied = false;
  std::vector<Evidence> evidence;
  std::vector<std::string> reasons;  // "sodium below the significant threshold: 126 mmol/L"
};

// How a rule's `indicators` relate to firing: clinical-validation rules fire when they do not
// hold, every other kind when they do.
FiringSense RequiredIndicatorSense(const Rule& rule);

class IndicatorEvaluator {
 public:
  IndicatorEvaluator(const EncounterRecord& record, const RuleLibrary& library);
  // Derived values point at other values of the same evaluator.
  IndicatorEvaluator(const IndicatorEvaluator&) = delete;
  IndicatorEvaluator& operator=(const IndicatorEvaluator&) = delete;

  // The encounter's mentions by term list, indexed once here for every rule to use.
  const MentionsByList& mentions() const { return mentions_; }

  // `sense` tells patient-dependent thresholds which way "fires less" is when the patient's sex
  // or age is unknown. Query options and supporting indicators fire when held (the default).
  IndicatorResult Evaluate(const Rule& rule, const IndicatorGroup& group,
                           FiringSense sense = FiringSense::kFiresWhenHeld) const;
  // Whether `group` holds: Evaluate(...).satisfied without quoting evidence or reasons, which
  // is most of the cost and wasted on the rules that do not fire.
  bool Holds(const Rule& rule, const IndicatorGroup& group,
             FiringSense sense = FiringSense::kFiresWhenHeld) const;

  // What each member of `group` came to over the whole stay, for a reader asking why a rule
  // stayed silent (`cdiscan rules test`): "all of: sodium below 130: 1 value(s), ...; fluid
  // restriction: not met". A group with a time window says so; its members are judged over the
  // whole stay, so a group whose members are all met was missed by the window.
  std::string Explain(const Rule& rule, const IndicatorGroup& group,
                      FiringSense sense = FiringSense::kFiresWhenHeld) const;

  // Values of `key` on the timeline, oldest first; for a derived key (map, bmi, pf_ratio) the
  // written values and those computed from their sources together.
  const std::vector<MeasuredValue>& Values(const std::string& key) const;

 private:
  struct Context {
    FactScope scope;
    FiringSense sense = FiringSense::kFiresWhenHeld;
    bool quote = true;  // false: only whether it holds (windows are tried many times)
  };
  // A place a window may start: a time, or an untimed note.
  struct Anchor {
    absl::Time time = absl::InfinitePast();
    const NoteFacts* note = nullptr;
  };

  IndicatorResult EvaluateGroup(const Rule& rule, const IndicatorGroup& group,
                                const Context& context) const;
  IndicatorResult EvaluateMembers(const Rule& rule, const IndicatorGroup& group,
                                  const Context& context, int* held) const;
  IndicatorResult EvaluateWindowed(const Rule& rule, const IndicatorGroup& group,
                                   const Context& context) const;
  bool ExclusionHolds(const Rule& rule, const IndicatorGroup& group, FiringSense sense) const;
  // For Explain: " (sodium 133, 131)", the values of a measurement or delta indicator's key,
  // oldest first, or " (no sodium in the record)"; "" for other indicators.
  std::string ValuesSeen(const Indicator& indicator) const;
  void CollectAnchors(const Rule& rule, const IndicatorGroup& group, const FactScope& scope,
                      std::vector<Anchor>* anchors) const;
  IndicatorResult EvaluateIndicator(const Rule& rule, const Indicator& indicator,
                                    const Context& context) const;
  IndicatorResult EvaluateMeasurement(const Rule& rule, const Indicator& indicator,
                                      const Context& context) const;
  IndicatorResult EvaluateDelta(const Indicator& indicator, const Context& context) const;
  IndicatorResult EvaluateTreatment(const Indicator& indicator, const Context& context) const;
  IndicatorResult EvaluateText(const Rule& rule, const Indicator& indicator,
                               const Context& context) const;
  // Adds the values of each derived key computed from the values of its sources.
  void AddDerivedValues();
  absl::Time NoteTime(const NoteFacts& note) const;
  // The mentions of the term list of text indicator `indicator` of `rule`.
  const std::vector<NoteMention>& TextMentions(const Rule& rule,
                                               const Indicator& indicator) const;

  const EncounterRecord& record_;
  const RuleLibrary& library_;
  MentionsByList mentions_;
  Patient patient_;
  absl::flat_hash_map<std::string, std::vector<MeasuredValue>> values_;
  std::vector<absl::Time> note_times_;  // parallel to record_.notes; InfinitePast when unknown
  // An exclusion looks at the whole encounter, so its answer does not change from one window to
  // the next; kept per group and sense.
  mutable absl::flat_hash_map<std::pair<const IndicatorGroup*, FiringSense>, bool> exclusions_;
};

// Evidence for a span of a note.
Evidence NoteEvidence(const NoteFacts& note, const TextSpan& span, EvidenceRole role,
                      const std::string& label);

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_INDICATOR_EVALUATOR_H_
