// libFuzzer target: note bytes into the normalizer, tokenizer, section detector and sentence
// splitter. Checks the offset contract: every normalized byte range maps back to an original
// range that is in bounds, ordered, and never splits a well-formed UTF-8 sequence; tokens,
// sections and sentences stay inside the normalized text and in order.
//
// Fuzz (clang):  tools/run_fuzzer.sh 600       (or see nlp/README.md)
// Replay seeds:  bazel test //nlp:normalizer_fuzzer_test (gcc, seeds in nlp/testdata/fuzz_seeds)
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/string_view.h"
#include "base/fuzz_invariant.h"
#include "nlp/normalizer.h"
#include "nlp/section.h"
#include "nlp/sentence.h"
#include "nlp/tokenizer.h"

namespace {

// Length of the well-formed UTF-8 sequence (RFC 3629) starting at s[i], or 0.
size_t WellFormedLength(absl::string_view s, size_t i) {
  auto at = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = at(0);
  const size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
                     : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((at(k) & 0xc0) != 0x80) return 0;
  }
  if ((c == 0xe0 && at(1) < 0xa0) || (c == 0xed && at(1) > 0x9f) ||
      (c == 0xf0 && at(1) < 0x90) || (c == 0xf4 && at(1) > 0x8f)) {
    return 0;
  }
  return len;
}

// False if `offset` falls strictly inside a well-formed multi-byte UTF-8 sequence.
bool IsBoundary(absl::string_view s, uint32_t offset) {
  if (offset == 0 || offset >= s.size()) return true;
  for (size_t back = 1; back <= 3 && back <= offset; ++back) {
    if (WellFormedLength(s, offset - back) > back) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cdiscan::nlp;
  static const Normalizer* normalizer = new Normalizer();
  static const Tokenizer* tokenizer = new Tokenizer();
  static const SectionDetector* sections = new SectionDetector();
  static const SentenceSplitter* splitter = new SentenceSplitter();
  absl::string_view original(reinterpret_cast<const char*>(data), size);
  NormalizedText norm;
  normalizer->Normalize(original, &norm);
  const std::string& text = norm.text();
  const uint32_t n = static_cast<uint32_t>(text.size());
  // Every single byte and a spread of ranges map inside the original, ordered.
  for (uint32_t i = 0; i < n; ++i) {
    Span o = norm.ToOriginal(i, i + 1);
    CHECK_INVARIANT(o.begin < o.end && o.end <= size);
    CHECK_INVARIANT(IsBoundary(original, o.begin) && IsBoundary(original, o.end));
    if (i > 0) CHECK_INVARIANT(norm.ToOriginal(i - 1, i).begin <= o.begin);
  }
  for (uint32_t b = 0; b <= n; b += 1 + n / 16) {
    for (uint32_t e = b; e <= n; e += 1 + n / 8) {
      Span o = norm.ToOriginal(b, e);
      CHECK_INVARIANT(o.begin <= o.end && o.end <= size);
    }
  }
  // Normalized text is lowercase ASCII where it is ASCII, and has no CR, tab or NUL.
  for (char c : text) {
    CHECK_INVARIANT(!(c >= 'A' && c <= 'Z') && c != '\r' && c != '\t' && c != '\0');
  }
  std::vector<Token> tokens;
  tokenizer->Tokenize(text, &tokens);
  uint32_t last = 0;
  for (const Token& t : tokens) {
    CHECK_INVARIANT(t.span.begin >= last && t.span.begin < t.span.end && t.span.end <= n);
    last = t.span.end;
  }
  std::vector<Section> found;
  sections->Detect(norm, &found);
  uint32_t covered = 0;
  for (const Section& s : found) {
    CHECK_INVARIANT(s.begin() == covered && s.body.begin <= s.body.end && s.body.end <= n);
    covered = s.body.end;
  }
  CHECK_INVARIANT(covered == n);
  std::vector<Span> sentences;
  splitter->Split(norm, &sentences);
  last = 0;
  for (const Span& s : sentences) {
    CHECK_INVARIANT(s.begin >= last && s.begin < s.end && s.end <= n);
    last = s.end;
  }
  return 0;
}
