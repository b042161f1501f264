// The finite set of strings a simple term pattern stands for, so that the term matcher can
// locate it with substring searches instead of an RE2 call ("(acute )?exacerbation" is
// "acute exacerbation" or "exacerbation").
//
// Only a small, unambiguous subset of RE2 syntax is expanded: literal ASCII characters,
// escaped punctuation ("\."), groups "(...)" and "(?:...)" with alternatives, a "?" after a
// character, class or group, and character classes of ASCII characters and ranges ("[- ]",
// "[0-9]"). Anything else ("*", "+", "{n}", "\d", "\b", ".", anchors, flags, non-ASCII bytes)
// means the pattern is left to RE2.
//
// The expansion is refused when two strings could both match at one place followed by a word
// boundary: one is empty, or one is a prefix of another and either the shorter ends in a
// non-word byte ("a." and "a.b") or the longer goes on with one ("care" and "care plan").
// Otherwise at most one string matches at a place ("bleed" cannot end at a
// boundary where "bleeding" starts), so the leftmost occurrence of any of them is exactly where
// RE2's leftmost-first search of "(?:pattern)\b" stops, whatever order RE2 prefers.
#ifndef CDISCAN_RULES_LITERAL_EXPANSION_H_
#define CDISCAN_RULES_LITERAL_EXPANSION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace cdiscan::rules {

// The strings `pattern` matches, if it is in the subset above, they number at most
// `max_strings`, and at most one can match at a place (above); otherwise nullopt.
std::optional<std::vector<std::string>> ExpandToLiterals(absl::string_view pattern,
                                                         size_t max_strings);

// As above, for a pattern that may be followed by anything (a treatment gate's "pressors?" or
// "(?:po|oral) (?:lasix|bumex)"): several strings may then match at one place ("pressors" and
// "pressor"), and the strings come in RE2's order of preference (alternatives in the order
// written, a greedy "?"'s atom before its omission, the choices of an earlier atom before
// those of a later one), so that the first of them that matches at a place is the match RE2's
// leftmost-first search takes there. Refused if one of them is empty.
std::optional<std::vector<std::string>> ExpandToLiteralsInPreferenceOrder(
    absl::string_view pattern, size_t max_strings);

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_LITERAL_EXPANSION_H_
