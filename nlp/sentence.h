// Sentence splitting that survives clinical layout: line-broken lists, "1. CHF. 2. AKI.",
// headers without periods, abbreviations ("Dr.", "q.d.", "vs."), decimals ("0.9").
//
// Thread safety: SentenceSplitter is immutable after construction; Split is const.
#ifndef CDISCAN_NLP_SENTENCE_H_
#define CDISCAN_NLP_SENTENCE_H_

#include <vector>

#include "nlp/normalizer.h"
#include "nlp/span.h"

namespace cdiscan::nlp {

class SentenceSplitter {
 public:
  SentenceSplitter() = default;
  SentenceSplitter(const SentenceSplitter&) = delete;
  SentenceSplitter& operator=(const SentenceSplitter&) = delete;

  // Appends sentence spans (normalized offsets, in order, trimmed of surrounding spaces) to
  // `out` (cleared first).
  void Split(const NormalizedText& text, std::vector<Span>* out) const;
};

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_SENTENCE_H_
