#include "nlp/normalizer.h"

#include <memory>
#include <numeric>
#include <string>

#include "unicode/normalizer2.h"
#include "unicode/unistr.h"
#include "unicode/utypes.h"

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

void NormalizedText::Reserve(size_t bytes) {
  text_.reserve(bytes);
  orig_begin_.reserve(bytes);
  orig_end_.reserve(bytes);
}

void NormalizedText::Append(absl::string_view normalized, uint32_t orig_begin,
                            uint32_t orig_end) {
  text_.append(normalized.data(), normalized.size());
  orig_begin_.insert(orig_begin_.end(), normalized.size(), orig_begin);
  orig_end_.insert(orig_end_.end(), normalized.size(), orig_end);
}

namespace {

inline char AsciiLower(unsigned char c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

}  // namespace

void NormalizedText::AppendAsciiLowercased(absl::string_view ascii, uint32_t orig_begin) {
  const size_t old = text_.size();
  text_.resize(old + ascii.size());
  // A plain loop over the run, which the compiler vectorizes (a push_back per byte was 5% of
  // a note's scan).
  char* out = text_.data() + old;
  for (size_t k = 0; k < ascii.size(); ++k) out[k] = AsciiLower(ascii[k]);
  orig_begin_.resize(old + ascii.size());
  orig_end_.resize(old + ascii.size());
  std::iota(orig_begin_.begin() + old, orig_begin_.end(), orig_begin);
  std::iota(orig_end_.begin() + old, orig_end_.end(), orig_begin + 1);
}

namespace {

// Printable ASCII and "\n" copy through (lowercased); everything else takes the slow path.
inline bool IsPlainAscii(unsigned char c) { return (c >= 0x20 && c < 0x7f) || c == '\n'; }

// Decodes one well-formed UTF-8 sequence at `s[i]` (RFC 3629: no overlongs, surrogates or
// values above U+10FFFF). Returns its length, or 0 if the bytes there are not well formed.
int DecodeUtf8(absl::string_view s, size_t i, UChar32* cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const size_t left = s.size() - i;
  unsigned char c = b(0);
  if (c >= 0xc2 && c <= 0xdf) {
    if (left < 2 || (b(1) & 0xc0) != 0x80) return 0;
    *cp = ((c & 0x1f) << 6) | (b(1) & 0x3f);
    return 2;
  }
  if (c >= 0xe0 && c <= 0xef) {
    if (left < 3 || (b(1) & 0xc0) != 0x80 || (b(2) & 0xc0) != 0x80) return 0;
    if ((c == 0xe0 && b(1) < 0xa0) || (c == 0xed && b(1) > 0x9f)) return 0;
    *cp = ((c & 0x0f) << 12) | ((b(1) & 0x3f) << 6) | (b(2) & 0x3f);
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (left < 4 || (b(1) & 0xc0) != 0x80 || (b(2) & 0xc0) != 0x80 || (b(3) & 0xc0) != 0x80) {
      return 0;
    }
    if ((c == 0xf0 && b(1) < 0x90) || (c == 0xf4 && b(1) > 0x8f)) return 0;
    *cp = ((c & 0x07) << 18) | ((b(1) & 0x3f) << 12) | ((b(2) & 0x3f) << 6) | (b(3) & 0x3f);
    return 4;
  }
  return 0;
}

// Unifications applied before NFKC because matchers care and NFKC keeps these apart: spaces,
// line separators, quotes, dashes, arrows, bullets. Returns nullptr if `cp` has none.
const char* Unify(UChar32 cp) {
  switch (cp) {
    case 0x00a0: case 0x1680: case 0x202f: case 0x205f: case 0x3000:
      return " ";
    case 0x0085: case 0x2028: case 0x2029:
      return "\n";
    case 0x200b: case 0x200c: case 0x200d: case 0x2060: case 0xfeff: case 0x00ad:
      return "";
    case 0x2018: case 0x2019: case 0x201a: case 0x201b: case 0x2032: case 0x00b4:
      return "'";
    case 0x201c: case 0x201d: case 0x201e: case 0x201f: case 0x2033: case 0x00ab: case 0x00bb:
      return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
    case 0xfe58: case 0xfe63: case 0xff0d:
      return "-";
    case 0x2192: case 0x27f6: case 0x2794: case 0x279d: case 0x21d2: case 0x27f9: case 0x2799:
      return "->";
    case 0x2190: case 0x27f5: case 0x21d0: case 0x27f8:
      return "<-";
    case 0x2022: case 0x00b7: case 0x25cf: case 0x25aa: case 0x2023: case 0x2043: case 0x25e6:
    case 0x25a0: case 0x25cb:
      return "*";
    default:
      break;
  }
  if (cp >= 0x2000 && cp <= 0x200a) return " ";
  if (cp >= 0x0080 && cp <= 0x009f) return " ";  // C1 controls
  return nullptr;
}

const icu::Normalizer2* NfkcCasefold() {
  static const icu::Normalizer2* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return instance;
}

// Normalizes the non-ASCII run starting at original[i]; appends to `out`; returns the end.
// Each NFKC segment (a starter plus its combining marks) maps to its whole original range, so
// ToOriginal never splits a UTF-8 sequence.
size_t NormalizeNonAscii(absl::string_view original, size_t i, NormalizedText* out) {
  UChar32 cp = 0;
  int len = DecodeUtf8(original, i, &cp);
  const uint32_t begin = static_cast<uint32_t>(i);
  if (len == 0) {
    // Invalid byte: a space for matching; the original bytes stay where they are.
    out->Append(" ", begin, begin + 1);
    return i + 1;
  }
  if (const char* unified = Unify(cp)) {
    out->Append(unified, begin, begin + len);
    return i + len;
  }
  const icu::Normalizer2* nfkc = NfkcCasefold();
  size_t end = i + len;
  // Extend over following non-ASCII code points that compose with this one.
  while (end < original.size() && static_cast<unsigned char>(original[end]) >= 0x80) {
    UChar32 next = 0;
    int next_len = DecodeUtf8(original, end, &next);
    if (next_len == 0 || Unify(next) != nullptr) break;
    if (nfkc != nullptr && nfkc->hasBoundaryBefore(next)) break;
    end += next_len;
  }
  absl::string_view segment = original.substr(i, end - i);
  if (nfkc == nullptr) {
    out->Append(segment, begin, static_cast<uint32_t>(end));
    return end;
  }
  thread_local icu::UnicodeString source;
  thread_local icu::UnicodeString normalized;
  thread_local std::string utf8;
  source = icu::UnicodeString::fromUTF8(icu::StringPiece(segment.data(), segment.size()));
  UErrorCode status = U_ZERO_ERROR;
  normalized.remove();
  nfkc->normalize(source, normalized, status);
  utf8.clear();
  if (U_SUCCESS(status)) {
    normalized.toUTF8String(utf8);
  } else {
    utf8.assign(segment.data(), segment.size());
  }
  // NFKC can produce characters we unify ("‐" from compatibility forms) or control characters;
  // one more pass keeps the output in the same alphabet as the fast path.
  for (size_t k = 0; k < utf8.size();) {
    unsigned char c = utf8[k];
    if (c < 0x80) {
      char folded = IsPlainAscii(c) ? AsciiLower(c) : ' ';
      out->Append(absl::string_view(&folded, 1), begin, static_cast<uint32_t>(end));
      ++k;
      continue;
    }
    UChar32 inner = 0;
    int inner_len = DecodeUtf8(utf8, k, &inner);
    if (inner_len == 0) inner_len = 1;
    const char* unified = inner_len > 1 ? Unify(inner) : nullptr;
    out->Append(unified != nullptr ? absl::string_view(unified)
                                   : absl::string_view(utf8).substr(k, inner_len),
                begin, static_cast<uint32_t>(end));
    k += inner_len;
  }
  return end;
}

}  // namespace

void Normalizer::Normalize(absl::string_view original, NormalizedText* out) const {
  out->Clear();
  out->Reserve(original.size() + 16);
  const size_t n = original.size();
  size_t i = 0;
  while (i < n) {
    // Fast path: a run of printable ASCII and newlines maps one to one.
    size_t j = i;
    while (j < n && IsPlainAscii(static_cast<unsigned char>(original[j]))) ++j;
    if (j > i) {
      out->AppendAsciiLowercased(original.substr(i, j - i), static_cast<uint32_t>(i));
      i = j;
      continue;
    }
    unsigned char c = original[i];
    const uint32_t at = static_cast<uint32_t>(i);
    if (c == '\r') {
      // CRLF and CR -> "\n".
      size_t len = (i + 1 < n && original[i + 1] == '\n') ? 2 : 1;
      out->Append("\n", at, at + len);
      i += len;
    } else if (c < 0x80) {
      out->Append(" ", at, at + 1);  // tab, other control characters, DEL
      ++i;
    } else {
      i = NormalizeNonAscii(original, i, out);
    }
  }
}

}  // namespace cdiscan::nlp
