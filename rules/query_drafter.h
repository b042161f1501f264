// Drafts a compliant query (AHIMA/ACDIS 2022; cdi-domain.md Part C) from a rule's template and
// the evidence of a finding: the indicators quoted exactly with their source note and time,
// then a neutral question, then the options, always ending with "Other (please specify)" and
// "Clinically undetermined".
#ifndef CDISCAN_RULES_QUERY_DRAFTER_H_
#define CDISCAN_RULES_QUERY_DRAFTER_H_

#include <vector>

#include "proto/finding.pb.h"
#include "proto/rule.pb.h"
#include "rules/indicator_evaluator.h"

namespace cdiscan::rules {

DraftQuery DraftQueryFor(const Rule& rule, const std::vector<Evidence>& evidence,
                         const IndicatorEvaluator& indicators);

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_QUERY_DRAFTER_H_
