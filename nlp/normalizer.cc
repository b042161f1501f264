#include "nlp/normalizer.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <string>

#include "unicode/normalizer2.h"
#include "unicode/unistr.h"
#include "unicode/utypes.h"

namespace cdiscan::nlp {

namespace {

constexpr uint64_t kEachByte = 0x0101010101010101;
constexpr uint64_t kHighBits = 0x80 * kEachByte;

inline char AsciiLower(unsigned char c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

// Printable ASCII and "\n" copy through (lowercased); everything else takes the slow path.
inline bool IsPlainAscii(unsigned char c) { return (c >= 0x20 && c < 0x7f) || c == '\n'; }

// The eight bytes of `word` with ASCII capitals lowercased. Eight bytes at a time because gcc
// -O2 does not vectorize the byte loop. Each byte lane's sums stay below 0x100, so lanes never
// carry into each other; bytes >= 0x80 are left alone.
inline uint64_t AsciiLowerEachByte(uint64_t word) {
  const uint64_t low7 = word & (0x7f * kEachByte);
  const uint64_t at_least_a = low7 + (0x80 - 'A') * kEachByte;  // high bit: byte >= 'A'
  const uint64_t above_z = low7 + (0x80 - 'Z' - 1) * kEachByte;  // high bit: byte > 'Z'
  const uint64_t capital = at_least_a & ~above_z & ~word & kHighBits;
  return word | (capital >> 2);  // 0x80 >> 2 == 'a' - 'A'
}

// The high bit of each byte of `word` that is not IsPlainAscii set, every other bit clear
// (lanes do not carry, as above).
inline uint64_t NotPlainAsciiEachByte(uint64_t word) {
  const uint64_t low7 = word & (0x7f * kEachByte);
  const uint64_t below_space = ~(low7 + (0x80 - ' ') * kEachByte);
  const uint64_t zero_at_newline = word ^ ('\n' * kEachByte);
  const uint64_t newline =
      ~(((zero_at_newline & (0x7f * kEachByte)) + 0x7f * kEachByte) | zero_at_newline);
  const uint64_t del = low7 + kEachByte;  // high bit: low 7 bits are 0x7f
  return (word | (below_space & ~newline) | del) & kHighBits;
}

inline uint64_t LoadWord(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

// The length of the IsPlainAscii prefix of `s`.
size_t PlainAsciiPrefixLength(absl::string_view s) {
  size_t i = 0;
  while (i + 8 <= s.size() && NotPlainAsciiEachByte(LoadWord(s.data() + i)) == 0) i += 8;
  while (i < s.size() && IsPlainAscii(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

}  // namespace

const NormalizedText::OffsetRun& NormalizedText::RunAt(uint32_t at) const {
  // An ASCII note has one run; otherwise the last run starting at or before `at` (the first run
  // starts at 0).
  if (at >= runs_.back().normalized_begin) return runs_.back();
  auto after = std::upper_bound(
      runs_.begin(), runs_.end(), at,
      [](uint32_t offset, const OffsetRun& run) { return offset < run.normalized_begin; });
  return *std::prev(after);
}

uint32_t NormalizedText::OriginalBeginOf(uint32_t at) const {
  const OffsetRun& run = RunAt(at);
  return run.one_to_one ? run.original_begin + (at - run.normalized_begin) : run.original_begin;
}

uint32_t NormalizedText::OriginalEndOf(uint32_t at) const {
  const OffsetRun& run = RunAt(at);
  return run.one_to_one ? run.original_begin + (at - run.normalized_begin) + 1
                        : run.original_end;
}

Span NormalizedText::ToOriginal(uint32_t begin, uint32_t end) const {
  const uint32_t size = static_cast<uint32_t>(text_.size());
  if (begin >= end) {
    const uint32_t at = begin < size ? OriginalBeginOf(begin)
                        : size == 0  ? 0
                                     : OriginalEndOf(size - 1);
    return Span{at, at};
  }
  return Span{OriginalBeginOf(begin), OriginalEndOf(end - 1)};
}

void NormalizedText::Clear() {
  text_.clear();
  runs_.clear();
}

void NormalizedText::Reserve(size_t bytes) { text_.reserve(bytes); }

void NormalizedText::ContinueOneToOne(uint32_t original_begin) {
  const uint32_t size = static_cast<uint32_t>(text_.size());
  if (!runs_.empty()) {
    const OffsetRun& last = runs_.back();
    if (last.one_to_one &&
        last.original_begin + (size - last.normalized_begin) == original_begin) {
      return;
    }
  }
  runs_.push_back(OffsetRun{size, original_begin, 0, true});
}

void NormalizedText::Append(absl::string_view normalized, uint32_t orig_begin,
                            uint32_t orig_end) {
  if (normalized.empty()) return;  // no byte maps to the skipped original bytes
  if (normalized.size() == 1 && orig_end == orig_begin + 1) {
    // One byte for one byte (a tab, an invalid byte) maps as ASCII does: the run goes on.
    ContinueOneToOne(orig_begin);
  } else if (runs_.empty() || runs_.back().one_to_one ||
             runs_.back().original_begin != orig_begin ||
             runs_.back().original_end != orig_end) {
    // The normalizer appends an NFKC segment's output piece by piece, all with one range: the
    // pieces share a run.
    runs_.push_back(OffsetRun{static_cast<uint32_t>(text_.size()), orig_begin, orig_end, false});
  }
  text_.append(normalized.data(), normalized.size());
}

void NormalizedText::AppendAsciiLowercased(absl::string_view ascii, uint32_t orig_begin) {
  if (ascii.empty()) return;
  ContinueOneToOne(orig_begin);
  const size_t old = text_.size();
  text_.append(ascii.data(), ascii.size());
  // Lowercased in place, a word at a time.
  char* out = text_.data() + old;
  const size_t n = ascii.size();
  size_t k = 0;
  for (; k + 8 <= n; k += 8) {
    const uint64_t lowered = AsciiLowerEachByte(LoadWord(out + k));
    std::memcpy(out + k, &lowered, sizeof(lowered));
  }
  for (; k < n; ++k) out[k] = AsciiLower(out[k]);
}

namespace {

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
    const size_t j = i + PlainAsciiPrefixLength(original.substr(i));
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
