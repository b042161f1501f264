#include "rules/rule_evaluator.h"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "base/stable_hash.h"
#include "rules/indicator_evaluator.h"
#include "rules/priority_weights.h"
#include "rules/query_drafter.h"

namespace cdiscan::rules {
namespace {

bool IsCurrentPatient(const MentionFact& mention) {
  return mention.temporality() == RECENT && mention.experiencer() == PATIENT;
}

// ASCII case-insensitive substring test, without lowercased copies: it runs for every note,
// rule and encounter.
bool ContainsIgnoringCase(absl::string_view haystack, absl::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char a, char b) {
                       return absl::ascii_tolower(a) == absl::ascii_tolower(b);
                     }) != haystack.end() ||
         needle.empty();
}

// Whether `note` can document the diagnosis of `rule`: by default provider notes only; a rule
// may name other roles, and may exclude note types (radiology reports) whose author is a
// physician but whose findings a coder may not take as a diagnosis.
bool Documents(const Rule& rule, const NoteFacts& note) {
  if (rule.documenting_role_size() == 0) {
    if (!IsProviderRole(note.author_role())) return false;
  } else if (std::find(rule.documenting_role().begin(), rule.documenting_role().end(),
                       AuthorRole_Name(note.author_role())) == rule.documenting_role().end()) {
    return false;
  }
  for (const std::string& type : rule.non_documenting_note_type()) {
    if (ContainsIgnoringCase(note.note_type(), type)) return false;
  }
  return true;
}

// Mentions of `list` in documenting notes, current and about the patient. `negation` selects
// which assertion statuses are wanted.
std::vector<NoteMention> DocumentedMentions(const MentionsByList& mentions, const Rule& rule,
                                            int64_t list,
                                            std::initializer_list<NegationStatus> negation) {
  std::vector<NoteMention> found;
  for (const NoteMention& m : mentions.Of(list)) {
    if (!Documents(rule, *m.note) || !IsCurrentPatient(*m.mention)) continue;
    if (std::find(negation.begin(), negation.end(), m.mention->negation()) != negation.end()) {
      found.push_back(m);
    }
  }
  return found;
}

bool Contains(const TextSpan& outer, const TextSpan& inner) {
  return outer.begin() <= inner.begin() && inner.end() <= outer.end() &&
         (outer.end() - outer.begin()) > (inner.end() - inner.begin());
}

// Documented values of each specificity axis: axis -> value -> mentions. Within one note, a
// value whose words lie inside a longer value of the same axis is the longer one's part, not a
// value of its own: "acute on chronic" is not also "acute" and "chronic", and "combined systolic
// and diastolic" is not also "systolic" and "diastolic".
std::map<std::string, std::map<std::string, std::vector<NoteMention>>> SpecificityValues(
    const EncounterRecord& record, const Rule& rule, const TermMatcher& terms) {
  struct Found {
    std::string axis, value;
    NoteMention at;
  };
  std::map<std::string, std::map<std::string, std::vector<NoteMention>>> values;
  const std::string prefix = absl::StrCat(rule.id(), "/specificity/");
  for (const NoteFacts& note : record.notes) {
    if (!Documents(rule, note)) continue;
    std::vector<Found> in_note;
    for (const MentionFact& mention : note.mention()) {
      const std::string& list = terms.term_list_name(mention.term_list_id());
      if (!absl::StartsWith(list, prefix) || !IsCurrentPatient(mention) ||
          mention.negation() == NEGATED) {
        continue;
      }
      absl::string_view rest = absl::string_view(list).substr(prefix.size());
      size_t slash = rest.find('/');
      if (slash == absl::string_view::npos) continue;
      in_note.push_back({std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1)),
                         {&note, &mention}});
    }
    for (const Found& f : in_note) {
      bool inside_longer = false;
      for (const Found& other : in_note) {
        inside_longer |= other.axis == f.axis && other.value != f.value &&
                         Contains(other.at.mention->span(), f.at.mention->span());
      }
      if (!inside_longer) values[f.axis][f.value].push_back(f.at);
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

// Reasons in first-seen order, each once: an ANY_OF whose branches share an indicator (bleeding
// with a fall, bleeding with a low value) would otherwise say it once per branch.
std::vector<std::string> UniqueInOrder(const std::vector<std::string>& reasons) {
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const std::string& reason : reasons) {
    if (seen.insert(reason).second) unique.push_back(reason);
  }
  return unique;
}

Evidence DocumentationEvidence(const NoteMention& m, const std::string& label) {
  return NoteEvidence(*m.note, m.mention->span(), DOCUMENTATION, label);
}

// Whether provider notes disagree, and if so the evidence and reason of a CONFLICT finding:
// two values documented on one specificity axis, or the condition affirmed in one provider
// note and denied in another.
bool FindConflict(const std::map<std::string, std::map<std::string, std::vector<NoteMention>>>&
                      values,
                  const std::vector<NoteMention>& documented,
                  const std::vector<NoteMention>& denied, std::vector<Evidence>* evidence,
                  std::vector<std::string>* reasons) {
  for (const auto& [axis, by_value] : values) {
    if (by_value.size() < 2) continue;
    for (const auto& [value, mentions] : by_value) {
      evidence->push_back(DocumentationEvidence(mentions.front(), absl::StrCat(axis, ": ", value)));
    }
    reasons->push_back(absl::StrCat("provider notes document different ", axis));
    return true;
  }
  // Affirmed in one provider note and denied in another. A work-up that suspected the
  // condition and then ruled it out ("possible sepsis" -> "sepsis ruled out") is the normal
  // course of care, not a disagreement, so only a definite (AFFIRMED) statement set against a
  // denial in a different note counts.
  for (const NoteMention& yes : documented) {
    if (yes.mention->negation() != AFFIRMED) continue;
    for (const NoteMention& no : denied) {
      if (no.note == yes.note) continue;
      evidence->push_back(DocumentationEvidence(yes, "documented"));
      evidence->push_back(DocumentationEvidence(no, "denied"));
      reasons->push_back("one provider note documents the condition and another denies it");
      return true;
    }
  }
  return false;
}

// A mention as a reader finds it: "\"CHF exacerbation\" (note n2)".
std::string Quote(const NoteMention& m) {
  return absl::StrCat("\"", m.mention->span().text(), "\" (note ", m.note->note_id(), ")");
}

}  // namespace

PriorityWeights PriorityWeights::FromConfig(const PriorityWeightsConfig& config) {
  PriorityWeights w;
  w.missing_diagnosis = config.missing_diagnosis();
  w.conflict = config.conflict();
  w.specificity = config.specificity();
  w.clinical_validation = config.clinical_validation();
  w.mcc = config.mcc();
  w.cc = config.cc();
  w.per_indicator = config.per_indicator();
  w.supporting = config.supporting();
  return w;
}

PriorityWeights PriorityWeights::Bundled() { return FromConfig(BundledPriorityWeights()); }

RuleEvaluator::RuleEvaluator(const RuleLibrary& library, const SeverityTable& severity,
                             PriorityWeights weights)
    : library_(library), severity_(severity), weights_(weights) {}

void RuleEvaluator::Evaluate(const EncounterRecord& record, std::vector<Finding>* out) const {
  IndicatorEvaluator indicators(record, library_);
  const size_t first = out->size();
  Finding finding;
  for (size_t r = 0; r < library_.rules().size(); ++r) {
    if (EvaluateRule(record, r, indicators, &finding, nullptr)) out->push_back(std::move(finding));
  }
  std::sort(out->begin() + first, out->end(),
            [](const Finding& a, const Finding& b) { return a.rule_id() < b.rule_id(); });
}

std::string RuleEvaluator::ExplainSilence(const EncounterRecord& record,
                                          size_t rule_index) const {
  if (rule_index >= library_.rules().size()) return "no such rule";
  IndicatorEvaluator indicators(record, library_);
  Finding finding;
  std::string silence;
  return EvaluateRule(record, rule_index, indicators, &finding, &silence) ? "" : silence;
}

bool RuleEvaluator::EvaluateRule(const EncounterRecord& record, size_t rule_index,
                                 const IndicatorEvaluator& indicators, Finding* finding,
                                 std::string* silence) const {
  // Each way of staying silent says why, when asked (`explain` is only called then).
  auto silent = [silence](auto explain) {
    if (silence != nullptr) *silence = explain();
    return false;
  };
  const MentionsByList& mentions = indicators.mentions();
  const Rule& rule = library_.rules()[rule_index];
  if (rule.status() == EXPERIMENTAL) {
    return silent(
        [] { return std::string("the rule is experimental; experimental rules never fire"); });
  }
  const RuleLibrary::RuleTermLists& lists = library_.TermListsOf(rule_index);
  const int64_t documentation_list = lists.documentation;
  // Inpatient coding takes "possible / probable / suspected" as documented (OCG II.H).
  const std::vector<NoteMention> documented =
      DocumentedMentions(mentions, rule, documentation_list, {AFFIRMED, POSSIBLE});
  const std::vector<NoteMention> denied =
      DocumentedMentions(mentions, rule, documentation_list, {NEGATED});
  const std::vector<NoteMention> suppressors =
      DocumentedMentions(mentions, rule, lists.suppressor, {AFFIRMED, POSSIBLE});
  if (!suppressors.empty()) {
    return silent([&] { return absl::StrCat("suppressed by ", Quote(suppressors.front())); });
  }

  const bool has_indicators =
      rule.indicators().indicator_size() > 0 || rule.indicators().group_size() > 0;
  // Most rules do not fire for most encounters: decide first, and quote the indicators
  // (evidence, reasons: most of the cost) only for a rule that fires.
  const bool required_holds =
      !has_indicators || indicators.Holds(rule, rule.indicators(), RequiredIndicatorSense(rule));
  auto quote_required = [&] {
    return has_indicators
               ? indicators.Evaluate(rule, rule.indicators(), RequiredIndicatorSense(rule))
               : IndicatorResult{true, {}, {}};
  };
  auto indicators_fail = [&] {
    return absl::StrCat("the indicators do not hold: ",
                        indicators.Explain(rule, rule.indicators(), RequiredIndicatorSense(rule)));
  };
  auto not_documented = [] {
    return std::string(
        "no provider documents the condition as a current diagnosis of the patient (affirmed "
        "or possible)");
  };

  std::vector<Evidence> evidence;
  std::vector<std::string> reasons;
  switch (rule.kind()) {
    case MISSING_DIAGNOSIS: {
      if (!documented.empty()) {
        return silent([&] {
          return absl::StrCat("a provider documents the condition: ", Quote(documented.front()));
        });
      }
      if (!required_holds) return silent(indicators_fail);
      IndicatorResult required = quote_required();
      evidence = std::move(required.evidence);
      reasons = std::move(required.reasons);
      reasons.push_back("no provider documents the condition as a current diagnosis");
      for (const NoteMention& m :
           DocumentedMentions(mentions, rule, lists.imprecise, {AFFIRMED, POSSIBLE})) {
        evidence.push_back(DocumentationEvidence(m, "documented without a diagnosis"));
        if (evidence.size() >= 8) break;
      }
      break;
    }
    case SPECIFICITY: {
      if (documented.empty()) return silent(not_documented);
      if (!required_holds) return silent(indicators_fail);
      auto values = SpecificityValues(record, rule, library_.matcher());
      std::vector<std::string> missing;
      for (const SpecificityAxis& axis : rule.specificity()) {
        if (values[axis.name()].empty()) missing.push_back(axis.name());
      }
      if (missing.empty()) {
        return silent([&] {
          std::vector<std::string> axes;
          for (const SpecificityAxis& axis : rule.specificity()) {
            const auto& [value, mentions] = *values[axis.name()].begin();
            axes.push_back(absl::StrCat(axis.name(), " (", value, "): ", Quote(mentions.front())));
          }
          return absl::StrCat("every specificity axis is documented: ", absl::StrJoin(axes, "; "));
        });
      }
      // Quote the latest note's fullest wording ("community-acquired pneumonia", not
      // "pneumonia" inside it).
      const NoteMention* quote = &documented.back();
      for (const NoteMention& m : documented) {
        const auto length = [](const NoteMention& x) {
          return x.mention->span().end() - x.mention->span().begin();
        };
        if (m.note == quote->note && length(m) > length(*quote)) quote = &m;
      }
      evidence.push_back(DocumentationEvidence(*quote, "documented condition"));
      IndicatorResult required = quote_required();
      for (Evidence& e : required.evidence) evidence.push_back(std::move(e));
      reasons = std::move(required.reasons);
      reasons.push_back(absl::StrCat("documented without ", absl::StrJoin(missing, ", ")));
      break;
    }
    case CLINICAL_VALIDATION: {
      if (documented.empty()) return silent(not_documented);
      if (required_holds) {
        return silent([&] {
          return absl::StrCat(
              "the indicators are in the record: ",
              indicators.Explain(rule, rule.indicators(), RequiredIndicatorSense(rule)));
        });
      }
      for (const NoteMention& m : documented) {
        evidence.push_back(DocumentationEvidence(m, "documented condition"));
        if (evidence.size() >= 3) break;
      }
      reasons.push_back("documented, but the supporting indicators are not in the record");
      break;
    }
    case CONFLICT: {
      if (!FindConflict(SpecificityValues(record, rule, library_.matcher()), documented, denied,
                        &evidence, &reasons)) {
        return silent([] {
          return std::string(
              "no provider notes disagree: no specificity axis has two values, and no provider "
              "note denies what another affirms");
        });
      }
      break;
    }
    default:
      return silent([&] { return absl::StrCat("findings of kind ", FindingKind_Name(rule.kind()),
                                              " are not made"); });
  }
  BuildFinding(record, rule, indicators, std::move(evidence), std::move(reasons), finding);
  return true;
}

void RuleEvaluator::BuildFinding(const EncounterRecord& record, const Rule& rule,
                                 const IndicatorEvaluator& indicators,
                                 std::vector<Evidence> evidence, std::vector<std::string> reasons,
                                 Finding* finding) const {
  const IndicatorResult supporting = indicators.Evaluate(rule, rule.supporting());
  for (const Evidence& e : supporting.evidence) evidence.push_back(e);
  for (const std::string& reason : supporting.reasons) reasons.push_back(reason);

  const std::string& id = rule.id();
  finding->Clear();
  finding->set_finding_id(
      absl::StrCat("f-", StableHasher().Add(record.encounter_id).Add(id).Hex()));
  finding->set_encounter_id(record.encounter_id);
  finding->set_patient_id(record.patient_id);
  finding->set_rule_id(id);
  finding->set_rule_pack_version(library_.version());
  finding->set_condition(rule.condition());
  finding->set_kind(rule.kind());
  // One place of the record is quoted once, even when several indicators matched it (an ABG
  // gives pH, PaCO2 and PaO2; BiPAP is both required and supporting), and the longer of two
  // overlapping quotes ("home O2" within "on 2 L home O2") is the one kept.
  auto inside = [](const Evidence& inner, const Evidence& outer) {
    return inner.note_id() == outer.note_id() &&
           inner.observation_id() == outer.observation_id() && inner.role() == outer.role() &&
           outer.begin() <= inner.begin() && inner.end() <= outer.end();
  };
  std::vector<Evidence> quoted;
  for (Evidence& e : evidence) {
    if (std::any_of(quoted.begin(), quoted.end(),
                    [&](const Evidence& kept) { return inside(e, kept); })) {
      continue;
    }
    quoted.erase(std::remove_if(quoted.begin(), quoted.end(),
                                [&](const Evidence& kept) { return inside(kept, e); }),
                 quoted.end());
    quoted.push_back(std::move(e));
  }
  for (Evidence& e : quoted) *finding->add_evidence() = std::move(e);
  *finding->mutable_query() = DraftQueryFor(
      rule, {finding->evidence().begin(), finding->evidence().end()}, indicators);
  int indicator_count = 0;
  for (const Evidence& e : finding->evidence()) indicator_count += e.role() == INDICATOR;
  finding->set_priority(KindScore(rule.kind(), weights_) +
                        SeverityScore(rule, severity_, weights_) +
                        weights_.per_indicator * std::min(indicator_count, 5) +
                        (supporting.satisfied ? weights_.supporting : 0.0));
  finding->set_rationale(absl::StrJoin(UniqueInOrder(reasons), "; "));
  finding->set_grouper_version(severity_.grouper_version());
}

}  // namespace cdiscan::rules
