// One RE2::Set over every term pattern of every rule: a note is scanned once for all of them,
// then only the patterns that matched are located.
//
// Patterns are RE2 over normalized text (lowercase) and match whole words.
// Thread safety: immutable after Build; Match is const and thread-safe.
#ifndef CDISCAN_RULES_TERM_MATCHER_H_
#define CDISCAN_RULES_TERM_MATCHER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "nlp/note_analysis.h"
#include "proto/facts.pb.h"
#include "re2/re2.h"
#include "re2/set.h"

namespace cdiscan::rules {

// Limits in one place (architecture.md, convention 3).
struct MatcherLimits {
  int64_t max_set_memory_bytes = 64 << 20;
  // A pathological note repeating one term is capped, and the cap is visible in the facts
  // (the last mention of the list carries it), never a silent drop.
  int max_mentions_per_pattern = 200;
};

struct TermPattern {
  std::string term_list;  // "<rule_id>/documentation", ...
  std::string pattern;    // as authored
};

class TermMatcher {
 public:
  // Errors list every bad pattern with its term list.
  static absl::StatusOr<std::unique_ptr<TermMatcher>> Build(std::vector<TermPattern> patterns,
                                                            MatcherLimits limits = {});

  // Appends a MentionFact for every occurrence of every pattern in `note`, with assertion and
  // section, spans into `original_text`. Occurrences of different patterns of one term list at
  // the same place are reported once.
  void Match(absl::string_view original_text, const nlp::AnalyzedNote& note,
             const nlp::NoteAnalyzer& analyzer,
             google::protobuf::RepeatedPtrField<MentionFact>* out) const;

  size_t size() const { return patterns_.size(); }

 private:
  TermMatcher() = default;
  void AddMention(absl::string_view original_text, const nlp::AnalyzedNote& note,
                  const nlp::NoteAnalyzer& analyzer, const std::string& term_list,
                  nlp::Span mention, google::protobuf::RepeatedPtrField<MentionFact>* out) const;

  std::vector<TermPattern> patterns_;               // every authored pattern
  std::vector<std::unique_ptr<RE2>> regexes_;        // per distinct pattern (RE2::Set entry)
  std::vector<std::vector<int>> lists_of_entry_;     // per entry: indexes into patterns_
  std::vector<uint32_t> list_id_;                    // per pattern: a number for its term list
  std::unique_ptr<RE2::Set> set_;
  MatcherLimits limits_;
};

// Wraps an authored pattern for whole-word matching.
std::string WholeWordPattern(absl::string_view pattern);

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_TERM_MATCHER_H_
