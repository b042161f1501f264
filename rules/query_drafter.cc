#include "rules/query_drafter.h"

#include "absl/strings/str_cat.h"

namespace cdiscan::rules {
namespace {

std::string QueryType(FindingKind kind) {
  switch (kind) {
    case MISSING_DIAGNOSIS: return "missing_dx";
    case SPECIFICITY: return "specificity";
    case CLINICAL_VALIDATION: return "clinical_validation";
    case CONFLICT: return "conflict";
    default: return "";
  }
}

// "Na 126 (L)" (Progress Note, 2024-03-02T08:00:00Z)
std::string QuoteEvidence(const Evidence& evidence) {
  std::string source = evidence.note_type().empty() ? std::string(evidence.observation_id().empty()
                                                                      ? "note"
                                                                      : "lab result")
                                                    : evidence.note_type();
  if (!evidence.section().empty() && evidence.section() != "unknown" &&
      evidence.section() != "structured_observation") {
    absl::StrAppend(&source, ", ", evidence.section());
  }
  if (!evidence.note_time().empty()) absl::StrAppend(&source, ", ", evidence.note_time());
  return absl::StrCat("\"", evidence.text(), "\" (", source, ")");
}

}  // namespace

DraftQuery DraftQueryFor(const Rule& rule, const std::vector<Evidence>& evidence,
                         const IndicatorEvaluator& indicators) {
  DraftQuery query;
  query.set_format(rule.query().format());
  query.set_query_type(QueryType(rule.kind()));
  std::string text;
  const bool documentation_first = rule.kind() != MISSING_DIAGNOSIS;
  auto append_role = [&](EvidenceRole role, absl::string_view heading) {
    bool any = false;
    for (const Evidence& item : evidence) {
      if (item.role() != role) continue;
      if (!any) absl::StrAppend(&text, heading, "\n");
      any = true;
      absl::StrAppend(&text, "- ", QuoteEvidence(item), "\n");
    }
  };
  if (documentation_first) append_role(DOCUMENTATION, "Documentation in the record:");
  append_role(INDICATOR, "Clinical indicators in the record:");
  if (!documentation_first) append_role(DOCUMENTATION, "Documentation in the record:");
  absl::StrAppend(&text, "\n", rule.query().question());
  query.set_text(text);
  for (const QueryOption& option : rule.query().option()) {
    const bool supported = option.supported_by().indicator_size() == 0 &&
                                   option.supported_by().group_size() == 0
                               ? true
                               : indicators.Evaluate(rule, option.supported_by()).satisfied;
    if (supported) query.add_options(option.text());
  }
  if (query.format() != OPEN_ENDED) {
    query.add_options("Other (please specify)");
    query.add_options("Clinically undetermined");
  }
  return query;
}

}  // namespace cdiscan::rules
