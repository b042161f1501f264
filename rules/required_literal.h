// A literal that every match of an RE2 pattern contains, close to the match's start, so that
// the term matcher can skip RE2 where the literal is absent and start RE2 near where it occurs
// ("\d\+ (pitting )?edema": every match contains "edema" at most 11 bytes after its start).
//
// Only the top-level sequence of the pattern is read, left to right: literal ASCII characters
// and escaped punctuation form literals; groups, classes, "\d", "\b", "." and quantifiers only
// move the bound on the offset (a group's width is the widest of its alternatives, a class or
// "." that may match a non-ASCII character counts 4 bytes). The reading stops at anything it
// does not know ("\p{..}", anchors, flags, a top-level "|"): what it found before stays true.
// An unbounded repetition ("\d+") makes later literals useless (no bound on their offset).
#ifndef CDISCAN_RULES_REQUIRED_LITERAL_H_
#define CDISCAN_RULES_REQUIRED_LITERAL_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace cdiscan::rules {

struct RequiredLiteral {
  std::string literal;
  // Every match [s, e) has `literal` at s + k for some k <= max_offset.
  uint32_t max_offset = 0;
};

// The longest such literal of at least `min_size` bytes (the nearest to the start among equally
// long ones), or nullopt.
std::optional<RequiredLiteral> FindRequiredLiteral(absl::string_view pattern, size_t min_size);

// True if `pattern` has a "|" outside groups and classes, or brackets that do not pair up
// (or a class that starts with ']'): its top level is then not known to be one sequence
// ("vanc|lasix\b" is not).
bool MayHaveTopLevelAlternative(absl::string_view pattern);

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_REQUIRED_LITERAL_H_
