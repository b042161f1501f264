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
  std::string detail;  // rationale when fired, for failure messages
  DraftQuery query;    // the drafted query when fired, so tests can lint what a reviewer reads
  bool passed() const { return should_fire == fired; }
};

// Every example of every rule of the evaluator's library, in rule order.
std::vector<ExampleResult> RunRuleExamples(const rules::RuleEvaluator& evaluator);

// The findings of every rule of the evaluator's library on the notes of `example`, taken as
// one encounter
// (with the example's age, sex and admission time when it sets them). For tests that look at
// more than whether a rule fired: the evidence, the options of the drafted query.
std::vector<Finding> ExampleFindings(const rules::RuleEvaluator& evaluator,
                                     const RuleExample& example);

}  // namespace cdiscan::engine

#endif  // CDISCAN_ENGINE_RULE_EXAMPLES_H_
