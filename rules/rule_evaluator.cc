#include "rules/rule_evaluator.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/stable_hash.h"
#include "rules/indicator_evaluator.h"
#include "rules/query_drafter.h"

namespace cdiscan::rules {
namespace {

struct NoteMention {
  const NoteFacts* note;
  const MentionFact* mention;
};

bool IsCurrentPatient(const MentionFact& mention) {
  return mention.temporality() == RECENT && mention.experiencer() == PATIENT;
}

// Mentions of `list` in provider notes, current and about the patient, filtered by negation.
std::vector<NoteMention> ProviderMentions(const EncounterRecord& record, const std::string& list,
                                          bool want_negated) {
  std::vector<NoteMention> found;
  for (const NoteFacts& note : record.notes) {
    if (!IsProviderRole(note.author_role())) continue;
    for (const MentionFact& mention : note.mention()) {
      if (mention.term_list() != list || !IsCurrentPatient(mention)) continue;
      if ((mention.negation() == NEGATED) == want_negated) found.push_back({&note, &mention});
    }
  }
  return found;
}

// Documented values of each specificity axis: axis -> value -> mentions.
std::map<std::string, std::map<std::string, std::vector<NoteMention>>> SpecificityValues(
    const EncounterRecord& record, const Rule& rule) {
  std::map<std::string, std::map<std::string, std::vector<NoteMention>>> values;
  const std::string prefix = absl::StrCat(rule.id(), "/specificity/");
  for (const NoteFacts& note : record.notes) {
    if (!IsProviderRole(note.author_role())) continue;
    for (const MentionFact& mention : note.mention()) {
      if (!absl::StartsWith(mention.term_list(), prefix) || !IsCurrentPatient(mention) ||
          mention.negation() == NEGATED) {
        continue;
      }
      absl::string_view rest = absl::string_view(mention.term_list()).substr(prefix.size());
      size_t slash = rest.find('/');
      if (slash == absl::string_view::npos) continue;
      values[std::string(rest.substr(0, slash))][std::string(rest.substr(slash + 1))].push_back(
          {&note, &mention});
    }
  }
  return values;
}

double SeverityScore(const Rule& rule, const SeverityTable& table, const PriorityWeights& w) {
  Severity best = Severity::kNone;
  for (const std::string& code : rule.icd10_code()) best = std::max(best, table.Of(code));
  return best == Severity::kMcc ? w.mcc : best == Severity::kCc ? w.cc : 0.0;
}

double KindScore(FindingKind kind, const PriorityWeights& w) {
  switch (kind) {
    case MISSING_DIAGNOSIS: return w.missing_diagnosis;
    case CONFLICT: return w.conflict;
    case SPECIFICITY: return w.specificity;
    case CLINICAL_VALIDATION: return w.clinical_validation;
    default: return 0;
  }
}

Evidence DocumentationEvidence(const NoteMention& m, const std::string& label) {
  return NoteEvidence(*m.note, m.mention->span(), DOCUMENTATION, label);
}

}  // namespace

RuleEvaluator::RuleEvaluator(const RuleLibrary& library, const SeverityTable& severity,
                             PriorityWeights weights)
    : library_(library), severity_(severity), weights_(weights) {}

void RuleEvaluator::Evaluate(const EncounterRecord& record, std::vector<Finding>* out) const {
  IndicatorEvaluator indicators(record, library_);
  const size_t first = out->size();
  for (const Rule& rule : library_.rules()) {
    if (rule.status() == EXPERIMENTAL) continue;
    const std::string& id = rule.id();
    const std::vector<NoteMention> documented =
        ProviderMentions(record, absl::StrCat(id, "/documentation"), false);
    const std::vector<NoteMention> denied =
        ProviderMentions(record, absl::StrCat(id, "/documentation"), true);
    const bool suppressed = !ProviderMentions(record, absl::StrCat(id, "/suppressor"), false).empty();
    if (suppressed) continue;

    const bool has_indicators =
        rule.indicators().indicator_size() > 0 || rule.indicators().group_size() > 0;
    IndicatorResult required = has_indicators ? indicators.Evaluate(rule, rule.indicators())
                                              : IndicatorResult{true, {}, {}};
    IndicatorResult supporting = indicators.Evaluate(rule, rule.supporting());

    std::vector<Evidence> evidence;
    std::vector<std::string> reasons;
    switch (rule.kind()) {
      case MISSING_DIAGNOSIS: {
        if (!documented.empty() || !required.satisfied) continue;
        evidence = required.evidence;
        reasons = required.reasons;
        reasons.push_back("no provider documents the condition as a current diagnosis");
        for (const NoteMention& m :
             ProviderMentions(record, absl::StrCat(id, "/imprecise"), false)) {
          evidence.push_back(DocumentationEvidence(m, "documented without a diagnosis"));
          if (evidence.size() >= 8) break;
        }
        break;
      }
      case SPECIFICITY: {
        if (documented.empty() || !required.satisfied) continue;
        auto values = SpecificityValues(record, rule);
        std::vector<std::string> missing;
        for (const SpecificityAxis& axis : rule.specificity()) {
          if (values[axis.name()].empty()) missing.push_back(axis.name());
        }
        if (missing.empty()) continue;
        evidence.push_back(DocumentationEvidence(documented.back(), "documented condition"));
        for (const Evidence& e : required.evidence) evidence.push_back(e);
        reasons = required.reasons;
        reasons.push_back(absl::StrCat("documented without ", absl::StrJoin(missing, ", ")));
        break;
      }
      case CLINICAL_VALIDATION: {
        if (documented.empty() || required.satisfied) continue;
        for (const NoteMention& m : documented) {
          evidence.push_back(DocumentationEvidence(m, "documented condition"));
          if (evidence.size() >= 3) break;
        }
        reasons.push_back("documented, but the supporting indicators are not in the record");
        break;
      }
      case CONFLICT: {
        auto values = SpecificityValues(record, rule);
        std::string axis_conflict;
        for (const auto& [axis, by_value] : values) {
          if (by_value.size() < 2) continue;
          axis_conflict = axis;
          for (const auto& [value, mentions] : by_value) {
            evidence.push_back(DocumentationEvidence(mentions.front(), absl::StrCat(axis, ": ", value)));
          }
          break;
        }
        if (!axis_conflict.empty()) {
          reasons.push_back(absl::StrCat("provider notes document different ", axis_conflict));
        } else if (!documented.empty() && !denied.empty()) {
          evidence.push_back(DocumentationEvidence(documented.front(), "documented"));
          evidence.push_back(DocumentationEvidence(denied.front(), "denied"));
          reasons.push_back("one provider note documents the condition and another denies it");
        } else {
          continue;
        }
        break;
      }
      default:
        continue;
    }
    for (const Evidence& e : supporting.evidence) evidence.push_back(e);
    for (const std::string& r : supporting.reasons) reasons.push_back(r);

    Finding finding;
    finding.set_finding_id(
        absl::StrCat("f-", StableHasher().Add(record.encounter_id).Add(id).Hex()));
    finding.set_encounter_id(record.encounter_id);
    finding.set_patient_id(record.patient_id);
    finding.set_rule_id(id);
    finding.set_rule_pack_version(library_.version());
    finding.set_condition(rule.condition());
    finding.set_kind(rule.kind());
    for (Evidence& e : evidence) *finding.add_evidence() = std::move(e);
    *finding.mutable_query() = DraftQueryFor(rule, {finding.evidence().begin(), finding.evidence().end()}, indicators);
    int indicator_count = 0;
    for (const Evidence& e : finding.evidence()) indicator_count += e.role() == INDICATOR;
    finding.set_priority(KindScore(rule.kind(), weights_) +
                         SeverityScore(rule, severity_, weights_) +
                         weights_.per_indicator * std::min(indicator_count, 5) +
                         (supporting.satisfied ? weights_.supporting : 0.0));
    finding.set_rationale(absl::StrJoin(reasons, "; "));
    finding.set_grouper_version(severity_.grouper_version());
    out->push_back(std::move(finding));
  }
  std::sort(out->begin() + first, out->end(),
            [](const Finding& a, const Finding& b) { return a.rule_id() < b.rule_id(); });
}

}  // namespace cdiscan::rules
