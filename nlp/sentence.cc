#include "nlp/sentence.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "absl/strings/ascii.h"

namespace cdiscan::nlp {
namespace {

// Words that end with a period without ending the sentence (normalized, without the period).
// Kept short on purpose: "mg." or "etc." end sentences far more often than they abbreviate.
constexpr absl::string_view kAbbreviations[] = {"dr", "mr",  "mrs", "ms", "vs",     "v",
                                                "st", "jr",  "sr",  "q",  "approx", "appt",
                                                "cf", "al",  "fig", "sts", "drs",   "prof"};

// A word of at most 8 bytes as one integer (zero-padded), so that the abbreviation check is a
// few integer compares instead of a string compare per entry: it runs at every period that
// ends a sentence.
constexpr size_t kMaxPackedWord = 8;
constexpr uint64_t PackWord(absl::string_view word) {
  uint64_t packed = 0;
  for (size_t k = 0; k < word.size(); ++k) {
    packed |= uint64_t{static_cast<unsigned char>(word[k])} << (8 * k);
  }
  return packed;
}

constexpr bool AbbreviationsFitPacked() {
  for (absl::string_view a : kAbbreviations) {
    if (a.size() > kMaxPackedWord) return false;
  }
  return true;
}
static_assert(AbbreviationsFitPacked(), "an abbreviation is longer than kMaxPackedWord");

constexpr std::array<uint64_t, std::size(kAbbreviations)> kPackedAbbreviations = [] {
  std::array<uint64_t, std::size(kAbbreviations)> packed{};
  for (size_t i = 0; i < packed.size(); ++i) {
    // An abbreviation ends in a letter, so zero padding cannot make two words equal.
    packed[i] = PackWord(kAbbreviations[i]);
  }
  return packed;
}();

inline bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Index of the byte pair (byte, next) in kPairRoles: the two bytes as one little-endian
// 16-bit load reads them (RoleAt).
constexpr size_t PairIndex(int byte, int next) { return static_cast<size_t>(next) << 8 | byte; }

// `has_period`: whether `word` contains a period.
bool IsAbbreviation(absl::string_view word, bool has_period) {
  if (word.size() <= kMaxPackedWord) {
    const uint64_t packed = PackWord(word);
    for (uint64_t a : kPackedAbbreviations) {
      if (a == packed) return true;
    }
  }
  // Dotted abbreviations ("b.i.d", "q.4.h") keep going.
  return word.size() >= 3 && absl::ascii_isalpha(word[0]) && has_period;
}

// True if the line [p, end) starts with a list marker: "1.", "2)", "-", "*", "#", "a)".
bool StartsWithListMarker(absl::string_view t, size_t p, size_t end) {
  while (p < end && IsBlank(t[p])) ++p;
  if (p >= end) return false;
  char c = t[p];
  if (c == '-' || c == '*' || c == '#' || c == '+') return true;
  size_t q = p;
  while (q < end && absl::ascii_isdigit(t[q])) ++q;
  if (q == p && q < end && absl::ascii_isalpha(t[q])) q = p + 1;  // "a)"
  return q > p && q - p <= 3 && q < end && (t[q] == '.' || t[q] == ')') &&
         (q + 1 == end || IsBlank(t[q + 1]));
}

// How far into a line StartsWithLabel looks for the colon.
constexpr size_t kLabelSearchLength = 40;

// True if the line looks like "label: value" ("temp: 38.5", "cardiac: rrr").
bool StartsWithLabel(absl::string_view t, size_t p, size_t end) {
  int words = 1;
  for (size_t q = p; q < end && q < p + kLabelSearchLength; ++q) {
    if (t[q] == ':') return q > p;
    if (t[q] == ' ') ++words;
    if (words > 4 || t[q] == '.' || t[q] == ',') return false;
  }
  return false;
}

// What the splitter does at a byte, decided from the byte and the one after it. A sentence can
// only end at a newline, at a terminator followed by a space, quote, parenthesis or the end
// ("0.9" and "b.i.d" do not end one), or at a space before a number (" 2. aki"); every other
// byte is skipped with one table test. Looking at the pair rather than the byte alone skips
// the digits of lab values and the periods of decimals, which are most of the stops in
// lab-heavy notes and could never end a sentence.
enum ByteRole : uint8_t { kSkip = 0, kNewline, kTerminator, kSpaceBeforeDigit };

// The bytes after a terminator that let it end a sentence (Splitter::IsSentenceEnd); '\0' is
// also the end of the text.
constexpr bool EndsAfterTerminator(int next) {
  return next == '\0' || next == ' ' || next == '\n' || next == '\t' || next == '"' ||
         next == ')' || next == '\'';
}

constexpr std::array<uint8_t, 1 << 16> kPairRoles = [] {
  std::array<uint8_t, 1 << 16> roles{};
  for (int next = 0; next < 256; ++next) {
    roles[PairIndex('\n', next)] = kNewline;
    if (EndsAfterTerminator(next)) {
      roles[PairIndex('.', next)] = roles[PairIndex('!', next)] = roles[PairIndex('?', next)] =
          kTerminator;
    }
  }
  for (int digit = '0'; digit <= '9'; ++digit) roles[PairIndex(' ', digit)] = kSpaceBeforeDigit;
  return roles;
}();

// The role of text[i]. REQUIRES: text[i + 1] is readable (the text's terminating '\0' at the
// end: Split is handed a std::string).
inline uint8_t RoleAt(const char* text, size_t i) {
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "PairIndex assumes little-endian");
  uint16_t pair;
  std::memcpy(&pair, text + i, sizeof(pair));
  return kPairRoles[pair];
}

// Bytes of the word before a period: letters, digits, periods ("b.i.d") and non-ASCII.
constexpr std::array<bool, 256> kWordBeforePeriod = [] {
  std::array<bool, 256> word{};
  for (int c = 0; c < 256; ++c) {
    word[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c >= 0x80;
  }
  return word;
}();

class Splitter {
 public:
  // A std::string, not a view: RoleAt reads the byte after the last one, its '\0'.
  Splitter(const std::string& t, std::vector<Span>* out) : t_(t), out_(out) {}

  void Run() {
    const char* const t = t_.data();
    const size_t n = t_.size();
    size_t line_begin = 0;
    size_t i = 0;
    while (true) {
      // Most bytes are skipped: four at a time, then one at a time.
      while (i + 4 <= n && (RoleAt(t, i) | RoleAt(t, i + 1) | RoleAt(t, i + 2) |
                            RoleAt(t, i + 3)) == kSkip) {
        i += 4;
      }
      while (i < n && RoleAt(t, i) == kSkip) ++i;
      if (i >= n) break;
      switch (RoleAt(t, i)) {
        case kNewline:
          if (BreakAtNewline(line_begin, i)) Emit(i);
          line_begin = i + 1;
          break;
        case kTerminator:
          if (IsSentenceEnd(i)) {
            size_t end = i + 1;
            while (end < n && (t[end] == '"' || t[end] == ')' || t[end] == '\'')) ++end;
            Emit(end);
            i = end - 1;
          }
          break;
        case kSpaceBeforeDigit:
          // A new numbered item starts after this space.
          if (InlineNumberAt(i + 1)) Emit(i);
          break;
      }
      ++i;
    }
    Emit(n);
  }

 private:
  char At(size_t i) const { return i < t_.size() ? t_[i] : '\0'; }

  // Adds [start_, end) trimmed, if not empty, and starts the next sentence at `end`.
  void Emit(size_t end) {
    size_t b = start_, e = end;
    while (b < e && (IsBlank(t_[b]) || t_[b] == '\n')) ++b;
    while (e > b && (IsBlank(t_[e - 1]) || t_[e - 1] == '\n')) --e;
    if (e > b) out_->push_back(Span{static_cast<uint32_t>(b), static_cast<uint32_t>(e)});
    start_ = end;
  }

  // The first non-blank offset of the current sentence.
  size_t SentenceBegin() const {
    size_t b = start_;
    while (b < t_.size() && (IsBlank(t_[b]) || t_[b] == '\n')) ++b;
    return b;
  }

  bool IsSentenceEnd(size_t i) const {
    // A terminator has its role (kPairRoles) only before a byte EndsAfterTerminator accepts:
    // "0.9", "b.i.d" and "?pneumonia" never get here.
    const char next = At(i + 1);
    if (t_[i] != '.') return true;
    // The word before the period.
    size_t w = i;
    bool has_period = false;
    while (w > start_ && kWordBeforePeriod[static_cast<unsigned char>(t_[w - 1])]) {
      has_period |= t_[w - 1] == '.';
      --w;
    }
    absl::string_view word = t_.substr(w, i - w);
    if (word.empty()) return true;  // "..." or ". ."
    const bool first = w == SentenceBegin();
    // "1. CHF. 2. AKI.": the period of list numbering, and "a." list letters.
    if (first && word.size() <= 2 &&
        (absl::ascii_isdigit(word[0]) || (word.size() == 1 && next == ' '))) {
      return false;
    }
    return !IsAbbreviation(word, has_period);
  }

  // " 2. aki" inside a line after "1. chf": a new numbered item starts at `p`.
  bool InlineNumberAt(size_t p) const {
    size_t q = p;
    while (absl::ascii_isdigit(At(q)) && q - p < 2) ++q;
    if (q == p || !(At(q) == '.' || At(q) == ')') || At(q + 1) != ' ' ||
        !absl::ascii_isalpha(At(q + 2))) {
      return false;
    }
    // Only when the text before is a word, not a number or unit ("bp 120 2. ...").
    if (p < 2) return false;
    char before = t_[p - 2];
    if (!absl::ascii_isalpha(before) && before != ')') return false;
    // And only inside a numbered list: the sentence starts with a number.
    size_t b = SentenceBegin();
    return b < p && StartsWithListMarker(t_, b, p) && absl::ascii_isdigit(t_[b]);
  }

  // Decides whether the line break at `nl` (ending the line [line_begin, nl)) ends a sentence.
  // Wrapped prose ("...presented with\nfever") continues; layout lines break.
  bool BreakAtNewline(size_t line_begin, size_t nl) const {
    size_t e = nl;
    while (e > line_begin && IsBlank(t_[e - 1])) --e;
    if (e == line_begin) return true;  // blank line
    char last = t_[e - 1];
    if (last == ':' || last == '.' || last == ';' || last == '?' || last == '!') return true;
    const size_t n = t_.size();
    size_t p = nl + 1;
    while (p < n && IsBlank(t_[p])) ++p;
    if (p == n || t_[p] == '\n') return true;  // next line blank
    // The checks below read at most kLabelSearchLength bytes of the next line (a list marker is
    // shorter), so its end is looked for only that far, not across a long paragraph.
    const size_t window_end = std::min(n, p + kLabelSearchLength);
    const void* newline = std::memchr(t_.data() + p, '\n', window_end - p);
    const size_t next_end =
        newline != nullptr ? static_cast<size_t>(static_cast<const char*>(newline) - t_.data())
                           : window_end;
    if (StartsWithListMarker(t_, p, next_end) || StartsWithLabel(t_, p, next_end)) return true;
    // Short lines are layout (headers, table rows, list items); long ones are wrapped prose.
    return e - line_begin < 50;
  }

  absl::string_view t_;
  std::vector<Span>* out_;
  size_t start_ = 0;
};

}  // namespace

void SentenceSplitter::Split(const NormalizedText& text, std::vector<Span>* out) const {
  out->clear();
  Splitter(text.text(), out).Run();  // a std::string: its '\0' after the end is readable
}

}  // namespace cdiscan::nlp
