// Runs the examples that every rule carries (notes that must fire / must stay silent) through
// the real scanner and evaluator, as `cdiscan rules test` and the test suite do.
#ifndef CDISCAN_ENGINE_RULE_EXAMPLES_H_
#define CDISCAN_ENGINE_RULE_EXAMPLES_H_

#include <string>
#include <vector>

#include "rules/rule_evaluator.h"
#include "rules/rule_library.h"

namespace cdiscan::engine {

struct ExampleResult {
  std::string rule_id;
  std::string example;
  bool should_fire = false;
  bool fired = false;
  // For failure messages: the rationale when the rule fired; why it stayed silent when it
  // should have fired (rules::RuleEvaluator::ExplainSilence).
  std::string detail;
  DraftQuery query;    // the drafted query when fired, so tests can lint what a reviewer reads
  bool passed() const { return should_fire == fired; }
};

// Every example of every rule of the evaluator's library, in rule order.
std::vector<ExampleResult> RunRuleExamples(const rules::RuleEvaluator& evaluator);

// The findings of every rule of the evaluator's library on the notes of `example`, taken as
// one encounter (with the example's age, sex and admission time when it sets them). For tests
// that look at more than whether a rule fired: the evidence, the options of the drafted query.
std::vector<Finding> ExampleFindings(const rules::RuleEvaluator& evaluator,
                                     const RuleExample& example);

// Why the rule `rule_id` makes no finding on `example` (rules::RuleEvaluator::ExplainSilence),
// "" if it makes one, or "no such rule".
std::string ExampleSilence(const rules::RuleEvaluator& evaluator, const std::string& rule_id,
                           const RuleExample& example);

}  // namespace cdiscan::engine

#endif  // CDISCAN_ENGINE_RULE_EXAMPLES_H_
