// Compliance lint for query text (AHIMA/ACDIS 2022, cdi-domain.md Part C.4): generated queries
// never mention payment, DRGs, CC/MCC, severity or quality scores, and never lead.
#ifndef CDISCAN_RULES_QUERY_LINTER_H_
#define CDISCAN_RULES_QUERY_LINTER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "proto/finding.pb.h"
#include "proto/rule.pb.h"

namespace cdiscan::rules {

// Problems with free text that a query may contain: banned financial / quality terms.
std::vector<std::string> LintQueryText(absl::string_view text);

// Problems with a rule's query template: banned terms in the question or options, yes/no format
// for a new diagnosis, a single-option "please document X" question.
std::vector<std::string> LintQueryTemplate(const Rule& rule);

// Problems with a drafted query: banned terms in options, missing "Other" / "Clinically
// undetermined".
std::vector<std::string> LintDraftQuery(const DraftQuery& query);

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_QUERY_LINTER_H_
