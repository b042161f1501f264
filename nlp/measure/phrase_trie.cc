#include "nlp/measure/phrase_trie.h"

#include <cstdlib>

namespace cdiscan::nlp {
namespace {

bool IsAlnum(uint8_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

PhraseTrie::PhraseTrie() = default;

void PhraseTrie::Add(absl::string_view phrase, int value) {
  if (phrase.empty() || value < 0) std::abort();
  std::vector<uint8_t> bytes(phrase.begin(), phrase.end());
  for (uint8_t b : bytes) {
    if (class_of_[b] == 0) class_of_[b] = static_cast<uint8_t>(num_classes_++);
    if (num_classes_ > 255) std::abort();
  }
  pending_.emplace_back(std::move(bytes), value);
  built_ = false;
}

int PhraseTrie::NewNode() {
  next_.resize(next_.size() + num_classes_, 0);
  value_.push_back(-1);
  last_alnum_.push_back(0);
  return static_cast<int>(value_.size()) - 1;
}

void PhraseTrie::Build() {
  next_.clear();
  value_.clear();
  last_alnum_.clear();
  NewNode();  // root
  for (const auto& [bytes, value] : pending_) {
    int node = 0;
    for (uint8_t b : bytes) {
      const uint8_t cls = class_of_[b];
      int child = next_[node * num_classes_ + cls];
      if (child == 0) {
        child = NewNode();
        next_[node * num_classes_ + cls] = child;
      }
      node = child;
    }
    value_[node] = value;
    last_alnum_[node] = IsAlnum(bytes.back());
  }
  // Bigram filter: the first two bytes of every phrase. A one-byte phrase may be followed by any
  // byte that keeps the word boundary: a non-alphanumeric byte after "k", anything after "%".
  bigram_.fill(0);
  for (const auto& [bytes, value] : pending_) {
    const uint8_t a = bytes[0];
    for (int b = 0; b < 256; ++b) {
      const bool second = bytes.size() > 1 ? bytes[1] == b
                                            : !IsAlnum(a) || !IsAlnum(static_cast<uint8_t>(b));
      if (!second) continue;
      const uint16_t i = static_cast<uint16_t>(a << 8 | b);
      bigram_[i >> 6] |= uint64_t{1} << (i & 63);
    }
  }
  words_.fill(0);
  bool all_words = false;
  for (const auto& [bytes, value] : pending_) {
    if (!IsAlnum(bytes[0])) {
      all_words = true;
      continue;
    }
    size_t first_word_size = 0;
    while (first_word_size < bytes.size() && IsAlnum(bytes[first_word_size])) ++first_word_size;
    const uint32_t k =
        WordSignature(absl::string_view(reinterpret_cast<const char*>(bytes.data()),
                                        first_word_size)) & 0xffff;
    words_[k >> 6] |= uint64_t{1} << (k & 63);
  }
  // A phrase that starts with a non-word byte may follow any word: the filter lets all through.
  if (all_words) words_.fill(~uint64_t{0});
  built_ = true;
}

int PhraseTrie::Match(absl::string_view text, size_t pos, size_t limit, size_t* end) const {
  if (!built_) std::abort();
  if (limit > text.size()) limit = text.size();
  // Raw bytes: every index below is checked against `limit` or the text size already.
  const uint8_t* const bytes = reinterpret_cast<const uint8_t*>(text.data());
  // Only ' ' has this class; it is 0 (never a transition) when no phrase has a space.
  const uint8_t space = class_of_[' '];
  int node = 0;
  int best = -1;
  size_t i = pos;
  while (i < limit) {
    const uint8_t cls = class_of_[bytes[i]];
    if (cls == 0) break;
    node = Next(node, cls);
    if (node == 0) break;
    ++i;
    if (cls == space) {
      while (i < limit && bytes[i] == ' ') ++i;
    }
    const int value = value_[node];
    if (value >= 0) {
      const bool boundary = !last_alnum_[node] || i >= text.size() || !IsAlnum(bytes[i]);
      if (boundary) {
        best = value;
        *end = i;
      }
    }
  }
  return best;
}

}  // namespace cdiscan::nlp
