// Priority weights for ranking findings, kept as data (rules/data/priority_weights.textproto,
// compiled into the binary) so the ranking policy can be reviewed and changed without code.
// Ranking only; never shown in query text.
#ifndef CDISCAN_RULES_PRIORITY_WEIGHTS_H_
#define CDISCAN_RULES_PRIORITY_WEIGHTS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/rule.pb.h"

namespace cdiscan::rules {

// The bundled weights. A broken data file is a build-time bug: this aborts with the parse error
// (tests load it).
const PriorityWeightsConfig& BundledPriorityWeights();

// Parses and validates weights: every weight present and non-negative.
absl::StatusOr<PriorityWeightsConfig> ParsePriorityWeights(absl::string_view textproto);

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_PRIORITY_WEIGHTS_H_
