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

  // True if every normalized byte came from the original byte at the same offset (an ASCII
  // text without CRLF), so that ToOriginal(begin, end) is [begin, end) for begin < end: a
  // caller that maps a span for every fact it writes may skip the call.
  bool IsIdentity() const {
    return runs_.size() == 1 && runs_[0].one_to_one && runs_[0].original_begin == 0;
  }

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
  // The offset map is kept as runs of normalized bytes rather than two offsets per byte: notes
  // are mostly ASCII, which maps one to one, so a note has a few runs and normalizing it writes
  // no per-byte map (writing one was most of the normalizer's instructions).
  struct OffsetRun {
    uint32_t normalized_begin = 0;  // the run ends where the next one begins (or at the end)
    uint32_t original_begin = 0;
    // One to one: byte normalized_begin + k came from original byte original_begin + k.
    // Otherwise every byte of the run came from [original_begin, original_end) (an NFKC
    // segment, a CRLF, a unified code point).
    uint32_t original_end = 0;
    bool one_to_one = false;
  };

  // Starts a one-to-one run for the next normalized byte, which came from original byte
  // `original_begin`, unless the last run already continues there.
  void ContinueOneToOne(uint32_t original_begin);
  // The run holding normalized byte `at`. REQUIRES: at < text_.size().
  const OffsetRun& RunAt(uint32_t at) const;
  // The original range of normalized byte `at`. REQUIRES: at < text_.size().
  uint32_t OriginalBeginOf(uint32_t at) const;
  uint32_t OriginalEndOf(uint32_t at) const;

  std::string text_;
  std::vector<OffsetRun> runs_;  // in order; the first starts at 0 when text_ is not empty
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
