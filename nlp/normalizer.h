// Normalization of note text for matching, with a map back to the original bytes.
//
// The normalized text is what every matcher (terms, measurements, sections, context) reads:
//   - Unicode NFKC and case folding ("Na+", "NA+" -> "na+"; "µmol/L" -> "μmol/l"; "≥" kept);
//   - CRLF and CR -> "\n"; tabs, NBSP and other spaces -> " " (line structure is kept: "\n" is
//     never folded into a space because sections and lists depend on it);
//   - smart quotes, dashes and arrows unified to ASCII where a matcher cares ("→" -> "->");
//   - invalid UTF-8 bytes and control characters -> " " (the original offsets do not move).
// Every normalized byte knows the original byte range it came from, so a span found in the
// normalized text maps back to the exact original evidence.
//
// Example:
//   Normalizer normalizer;
//   NormalizedText norm;
//   normalizer.Normalize(note.text(), &norm);
//   Span original = norm.ToOriginal(match_begin, match_end);
//   absl::string_view evidence = note.text().substr(original.begin, original.size());
//
// Thread safety: Normalizer is immutable after construction and can be shared; a NormalizedText
// is per thread and is reused across notes to avoid allocations.
#ifndef CDISCAN_NLP_NORMALIZER_H_
#define CDISCAN_NLP_NORMALIZER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "nlp/span.h"

namespace cdiscan::nlp {

class NormalizedText {
 public:
  const std::string& text() const { return text_; }

  // Maps a half-open range of normalized bytes to the smallest original byte range that
  // produced it. REQUIRES: begin <= end <= text().size().
  Span ToOriginal(uint32_t begin, uint32_t end) const;

  // Clears the text and the map, keeping their capacity.
  void Clear();

  // For the normalizer: appends normalized bytes that came from original [orig_begin, orig_end).
  void Append(absl::string_view normalized, uint32_t orig_begin, uint32_t orig_end);

  // For the normalizer's ASCII fast path: appends `ascii` lowercased; its byte k came from
  // original byte orig_begin + k.
  void AppendAsciiLowercased(absl::string_view ascii, uint32_t orig_begin);

  // Reserves room for about `bytes` normalized bytes.
  void Reserve(size_t bytes);

 private:
  std::string text_;
  // For each normalized byte, the original range it came from.
  std::vector<uint32_t> orig_begin_;
  std::vector<uint32_t> orig_end_;
};

class Normalizer {
 public:
  Normalizer() = default;
  Normalizer(const Normalizer&) = delete;
  Normalizer& operator=(const Normalizer&) = delete;

  // Normalizes `original` into `out` (cleared first).
  void Normalize(absl::string_view original, NormalizedText* out) const;
};

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_NORMALIZER_H_
