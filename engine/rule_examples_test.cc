// Every example of every bundled rule: notes that must fire do, notes that must stay silent do.
#include "engine/rule_examples.h"

#include "gtest/gtest.h"
#include "rules/severity_table.h"

namespace cdiscan::engine {
namespace {

TEST(BundledRuleExamplesTest, EveryExampleBehaves) {
  auto library = rules::RuleLibrary::LoadBundled();
  ASSERT_TRUE(library.ok()) << library.status();
  rules::RuleEvaluator evaluator(**library, rules::SeverityTable::Bundled());
  std::vector<ExampleResult> results = RunRuleExamples(**library, evaluator);
  ASSERT_FALSE(results.empty());
  for (const ExampleResult& result : results) {
    EXPECT_TRUE(result.passed()) << result.rule_id << " / \"" << result.example << "\": expected "
                                 << (result.should_fire ? "to fire" : "silence")
                                 << (result.fired ? ", fired: " + result.detail : ", was silent");
  }
}

}  // namespace
}  // namespace cdiscan::engine
