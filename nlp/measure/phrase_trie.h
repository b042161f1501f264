// A byte trie over normalized phrases ("na+", "o2 sat", "mmol/l") for the measurement
// extractor: at a given offset it returns the longest phrase that matches there and ends at a
// word boundary. A space in a phrase matches a run of spaces in the text.
//
// Why not RE2 here: the extractor asks "which alias starts at this word?" at every word of a
// note and "which unit follows this number?" after every value. One RE2 search per question
// costs a DFA start and a cache lock; a dense trie step is one table load, and the whole note
// is still a single pass with everything compiled once (docs/architecture.md, convention 1).
//
// Example:
//   PhraseTrie trie;
//   trie.Add("na", 0);
//   trie.Add("na+", 1);
//   trie.Finish();
//   size_t end;
//   int v = trie.Match("na+ 126", 0, 7, &end);  // v == 1, end == 3
//
// Thread safety: build with Add, then Match is const and thread-safe.
#ifndef CDISCAN_NLP_MEASURE_PHRASE_TRIE_H_
#define CDISCAN_NLP_MEASURE_PHRASE_TRIE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

namespace cdiscan::nlp {

class PhraseTrie {
 public:
  PhraseTrie();

  // Adds `phrase` (non-empty, no leading or trailing space) with `value` >= 0. A later Add of
  // the same phrase replaces the value.
  void Add(absl::string_view phrase, int value);

  // The value of the longest phrase matching text[pos, ...) within `limit` that ends at a word
  // boundary (its last byte is not a letter or digit, or the next text byte is not one); -1 if
  // none. `*end` is set to the end of the match.
  int Match(absl::string_view text, size_t pos, size_t limit, size_t* end) const;

  // Builds the transition table. Call after the last Add and before the first Match.
  void Finish() { Build(); }

  // True if some phrase starts with byte `c` (a cheap filter before Match).
  bool CanStart(char c) const {
    const uint8_t cls = class_of_[static_cast<uint8_t>(c)];
    return cls != 0 && Next(0, cls) != 0;
  }

  // Word filter: WordSignature() of the first word (run of ASCII letters and digits) of every
  // phrase. A caller that finds the words of a note (WordSignature of each, then WordMayStart)
  // skips almost every word with one table load; a false positive only costs a Match. Phrases
  // that start with another byte disable the filter (WordMayStart always true).
  //
  // The signature is the word's length and its first, second and last bytes: as selective as a
  // hash of every byte on clinical text, and a scanner gets it from where the word starts and
  // ends, with no work per byte. REQUIRES: `word` is not empty.
  static uint32_t WordSignature(absl::string_view word) {
    const uint8_t* const bytes = reinterpret_cast<const uint8_t*>(word.data());
    const uint32_t size = word.size() < 255 ? static_cast<uint32_t>(word.size()) : 255;
    const uint32_t second = word.size() > 1 ? bytes[1] : 0;
    const uint32_t last = bytes[word.size() - 1];
    // The four packed, then mixed by one multiplication (Fibonacci hashing): the high half of
    // the product depends on all of them.
    const uint32_t packed = bytes[0] | second << 8 | last << 16 | size << 24;
    return (packed * 0x9E3779B1u) >> 16;
  }
  bool WordMayStart(uint32_t signature) const {
    const uint32_t i = signature & 0xffff;
    return (words_[i >> 6] >> (i & 63)) & 1;  // all set when a phrase starts with a non-word byte
  }

  // True if some phrase starts with bytes `a`, `b` (or is exactly `a`, when `b` ends it). Lets
  // a caller skip most words of a note with one table load.
  bool CanStart2(char a, char b) const {
    const uint16_t i = static_cast<uint16_t>(static_cast<uint8_t>(a) << 8 | static_cast<uint8_t>(b));
    return (bigram_[i >> 6] >> (i & 63)) & 1;
  }

 private:
  int Next(int node, uint8_t cls) const { return next_[node * num_classes_ + cls]; }
  int NewNode();

  // Bytes that occur in some phrase get a class (1..); all others are class 0 (no transition).
  std::array<uint8_t, 256> class_of_{};
  int num_classes_ = 1;
  std::vector<int32_t> next_;   // node * num_classes_ + class -> child node (0: none)
  std::array<uint64_t, 1024> bigram_{};  // bit (a << 8 | b): see CanStart2
  std::array<uint64_t, 1024> words_{};   // bit (first-word signature & 0xffff): see WordMayStart
  std::vector<int32_t> value_;  // node -> value or -1
  std::vector<uint8_t> last_alnum_;  // node -> the phrase ending here ends in a letter/digit
  // Transitions need the final alphabet, so phrases are kept until the first Match.
  std::vector<std::pair<std::vector<uint8_t>, int>> pending_;
  bool built_ = false;
  void Build();
};

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_MEASURE_PHRASE_TRIE_H_
