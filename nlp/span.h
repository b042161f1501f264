// Half-open byte ranges into a text.
#ifndef CDISCAN_NLP_SPAN_H_
#define CDISCAN_NLP_SPAN_H_

#include <cstdint>

namespace cdiscan::nlp {

// [begin, end) in UTF-8 bytes. Which text it indexes (original or normalized) is stated by
// whoever hands it out.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;

  uint32_t size() const { return end - begin; }
  bool empty() const { return end <= begin; }
  bool Contains(uint32_t offset) const { return offset >= begin && offset < end; }
  friend bool operator==(const Span& a, const Span& b) {
    return a.begin == b.begin && a.end == b.end;
  }
};

// A match of an ordered alternation ("\b(?:a0|a1|...)"), with the index of the alternative
// that made it: the first that matches where the match starts (leftmost-first).
struct AlternativeMatch {
  Span span;
  uint32_t alternative = 0;
};

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_SPAN_H_
