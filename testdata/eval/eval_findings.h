// Precision and recall of the bundled rule library on a held-out set of synthetic encounters
// (testdata/eval), counted on (encounter, condition, kind) triples.
//
// expected.tsv lists the query opportunities a CDI specialist would raise, one per line:
// encounter_id<TAB>condition<TAB>kind ('#' starts a comment). An encounter with no line expects
// no finding at all, so every finding on it is a false positive.
#ifndef CDISCAN_TESTDATA_EVAL_EVAL_FINDINGS_H_
#define CDISCAN_TESTDATA_EVAL_EVAL_FINDINGS_H_

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "rules/rule_library.h"

namespace cdiscan::eval {

using Triple = std::tuple<std::string, std::string, std::string>;  // encounter, condition, kind

struct EvalResult {
  std::set<Triple> expected;
  std::set<Triple> found;
  std::vector<Triple> false_positives;
  std::vector<Triple> false_negatives;
  double precision() const;
  double recall() const;
};

absl::StatusOr<std::set<Triple>> ReadExpected(const std::string& path);

// Scans `notes` (and `encounters`) with `library` through the production pipeline and compares
// the findings with `expected_path`.
absl::StatusOr<EvalResult> Evaluate(const rules::RuleLibrary& library, const std::string& notes,
                                    const std::string& encounters,
                                    const std::string& expected_path);

}  // namespace cdiscan::eval

#endif  // CDISCAN_TESTDATA_EVAL_EVAL_FINDINGS_H_
