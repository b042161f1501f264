// Hand-written matchers for parts of the tail of a measurement ("SpO2 91% on 2L NC"), used by
// the measurement extractor instead of an anchored RE2 match.
//
// Why: the extractor tries the tail parts after every value, and one anchored RE2::Match costs a
// fixed several hundred to several thousand instructions (DFA start, cache lock, and with
// submatches a second engine) however short the text. A value is followed by a tail part far
// less often than it is tried, and a plain scan of a few bytes answers either way.
//
// Each matcher is specified by an RE2 pattern below; tail_matchers_test compares the two on
// randomized and clinical-shaped text. The patterns run on normalized text (lowercase), so they
// spell no uppercase.
//
// Every function takes `line`, the text from its start to the end of the value's line (the
// bytes before `pos` are context for \b; the byte after `line` is a line break or the end of the
// text, which \b treats as a non-word byte), and a position `pos` <= line.size().
#ifndef CDISCAN_NLP_MEASURE_TAIL_MATCHERS_H_
#define CDISCAN_NLP_MEASURE_TAIL_MATCHERS_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace cdiscan::nlp::tail {

// A time written after a value: "(3/12 0600)", "at 14:30", "on admission", "(Aug 3)".
// Groups: 1 opener, 2 lead word, 3 the time, 4 closer (read by the extractor's ParseTime from
// MatchTime).
inline constexpr char kTimePattern[] =
    " *(\\(|\\[)? *(on|at|@|from|dated|drawn|in|of)? *"
    "(\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?(?: +\\d{1,2}:?\\d{2})?\\b|\\d{1,2}:\\d{2}(?: *[ap]m)?|"
    "\\d{4}-\\d{2}-\\d{2}(?:t\\d{2}:\\d{2}(?::\\d{2})?)?|"
    "(?:january|february|march|april|may|june|july|august|september|october|november|"
    "december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?"
    "(?: +\\d{1,2}(?:st|nd|rd|th)?)?(?:,? +\\d{4})?\\b|\\d{4}h?\\b|"
    "on admission|at admission|on presentation|on arrival|in the ed|this morning|"
    "this am|yesterday|today|overnight|last night|pre-?op|post-?op)"
    " *(\\)|\\])?";

// kTimePattern's leftmost-first match anchored at `pos`, with its groups.
struct TimeMatch {
  size_t end = absl::string_view::npos;  // the end of the match; npos if there is none
  bool open = false;                     // group 1 took part
  absl::string_view lead;                // group 2; empty if it took no part
  size_t time_begin = 0;                 // group 3
  size_t time_end = 0;
  bool close = false;                    // group 4 took part
};
TimeMatch MatchTime(absl::string_view line, size_t pos);

// False only if kTimePattern cannot match at `pos`: a filter before MatchTime. It looks at no
// more than the opener, the lead word and the first bytes of the time, so "on RA" and "on 2L
// NC" after a saturation, the common case, cost less than trying every alternative.
bool TimeMayMatchAt(absl::string_view line, size_t pos);

// Oxygen support written after a saturation: "on room air", "on 4L NC", ", 40% FiO2", "on
// BiPAP".
inline constexpr char kOxygenPattern[] =
    "[ ,]*(?:on|at|via|while on|with|w/)? *"
    "(room air|ra|\\d+(?:\\.\\d+)? *(?:lpm|l/min|liters?|l)(?: *(?:via)? *(?:nc|nasal cannula|"
    "hfnc|high flow nasal cannula|high flow|hf|nrb|non-rebreather|face ?mask|fm|simple mask|"
    "venturi mask|venturi|vm|oxymizer|o2))?|\\d+ *% *(?:fio2|venturi|vm|face ?mask|hfnc|"
    "high flow|bipap|cpap|vent)|hfnc|high flow nasal cannula|high[- ]flow|bipap|cpap|nippv|niv|"
    "nrb|non-rebreather|nasal cannula|nc|mechanical ventilation|ventilator|vent|trach collar|"
    "face ?mask)\\b";

// An earlier value's introduction: "(was ", ", baseline ", " from ", "; prior: ". The
// extractor reads the opener and the phrase off the match by hand.
inline constexpr char kEarlierPattern[] =
    " *(\\(|\\[|,|;)? *(up from a baseline of|from a baseline of|baseline of|baseline is|"
    "baseline was|baseline|bl|previously|prior|prev|was|up from|down from|improved from|"
    "increased from|decreased from|rose from|dropped from|compared to|compared with|versus|"
    "vs\\.?|from)\\b[ :]*";

// What continues a series with a later (or, "<-", earlier) value: "Cr 0.9 -> 2.3", "Tmax 102.4,
// currently 99.1", "K 5.9, repeat 5.4". No word boundary is asked for anywhere ("today" wins
// over "to" by coming first).
inline constexpr char kArrowPattern[] =
    " *(-->|->|=>|\\x{2192}|<--|<-|\\x{2190}|>|,? *(?:now|then|currently|today|repeat|recheck|"
    "repeated|rechecked|improved to|up to|down to|increased to|decreased to|this am|"
    "this morning)|to) *";

// A reference range after a value: "135-145", "(ref 3.5-5.0)", "[normal range: 0.6 - 1.2]".
inline constexpr char kRefRangePattern[] =
    " *(?:\\(|\\[)? *(?:(?:ref(?:erence)?(?: range)?|normal(?: range)?|nl|range) *:? *)?"
    "\\d+(?:\\.\\d+)? *- *\\d+(?:\\.\\d+)? *(?:\\)|\\])?";

// The end of the leftmost-first match of kEarlierPattern, kArrowPattern or kRefRangePattern
// anchored at `pos`, or npos if there is none.
size_t MatchEarlier(absl::string_view line, size_t pos);
size_t MatchArrow(absl::string_view line, size_t pos);
size_t MatchRefRange(absl::string_view line, size_t pos);

// kOxygenPattern's leftmost-first match anchored at `pos`.
struct OxygenMatch {
  size_t support_begin = 0;  // where the pattern's group starts: "4l nc" of ", on 4l nc"
  size_t end = absl::string_view::npos;  // the end of the match; npos if there is none
};
OxygenMatch MatchOxygen(absl::string_view line, size_t pos);

}  // namespace cdiscan::nlp::tail

#endif  // CDISCAN_NLP_MEASURE_TAIL_MATCHERS_H_
