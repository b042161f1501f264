#include "nlp/normalizer.h"

#include <algorithm>

#include "absl/strings/ascii.h"

namespace cdiscan::nlp {

Span NormalizedText::ToOriginal(uint32_t begin, uint32_t end) const {
  if (begin >= end) {
    uint32_t at = begin < orig_begin_.size() ? orig_begin_[begin]
                  : orig_end_.empty()        ? 0
                                             : orig_end_.back();
    return Span{at, at};
  }
  return Span{orig_begin_[begin], orig_end_[end - 1]};
}

void NormalizedText::Clear() {
  text_.clear();
  orig_begin_.clear();
  orig_end_.clear();
}

void NormalizedText::Append(absl::string_view normalized, uint32_t orig_begin,
                            uint32_t orig_end) {
  text_.append(normalized.data(), normalized.size());
  orig_begin_.insert(orig_begin_.end(), normalized.size(), orig_begin);
  orig_end_.insert(orig_end_.end(), normalized.size(), orig_end);
}

// First version: ASCII folding only; non-ASCII bytes become spaces. The NLP-core issue replaces
// this with ICU NFKC + case folding behind the same interface.
void Normalizer::Normalize(absl::string_view original, NormalizedText* out) const {
  out->Clear();
  for (uint32_t i = 0; i < original.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(original[i]);
    if (c == '\r') {
      bool crlf = i + 1 < original.size() && original[i + 1] == '\n';
      out->Append("\n", i, crlf ? i + 2 : i + 1);
      if (crlf) ++i;
      continue;
    }
    char folded = c == '\n'                   ? '\n'
                  : (c < 0x20 || c >= 0x7f)   ? ' '
                                              : absl::ascii_tolower(c);
    out->Append(absl::string_view(&folded, 1), i, i + 1);
  }
}

}  // namespace cdiscan::nlp
