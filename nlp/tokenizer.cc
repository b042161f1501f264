#include "nlp/tokenizer.h"

#include <algorithm>
#include <array>

namespace cdiscan::nlp {
namespace {

// What the scanner needs to know about a byte, one table lookup instead of a chain of
// comparisons per byte.
enum ByteClass : uint8_t {
  kSpace = 1 << 0,     // ' ', '\n', '\t', '\r', '\f', '\v'
  kDigit = 1 << 1,     // '0'..'9'
  kLetter = 1 << 2,    // ASCII letters
  kNonAscii = 1 << 3,  // 0x80..0xff: a UTF-8 sequence to decode
  // Bytes after which a word may go on past its run of ASCII letters and digits: joiners
  // ("non-tender", "patient's", "s/p", "b.i.d.") and non-ASCII letters ("μmol").
  kMayContinueWord = 1 << 4,
  // Bytes after which a run of digits may go on as a longer number, a ratio, a trend, a
  // range or an ordinal ("1,450", "0.9", "84/46", "138->126", "0.9-2.3", "2nd"), or be cut
  // off from a unit ("40mg").
  kMayExtendNumber = 1 << 5,
  kAsciiWordChar = kDigit | kLetter,
};

constexpr auto kByteClass = [] {
  std::array<uint8_t, 256> table{};
  for (int c : {' ', '\n', '\t', '\r', '\f', '\v'}) table[c] = kSpace;
  for (int c = '0'; c <= '9'; ++c) table[c] = kDigit;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = kLetter;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = kLetter;
  for (int c = 0x80; c < 0x100; ++c) table[c] = kNonAscii | kMayContinueWord;
  for (int c : {'.', '-', '\'', '/'}) table[c] = kMayContinueWord;
  for (int c : {',', '.', '/', '-', '<'}) table[c] |= kMayExtendNumber;
  for (int c = 'a'; c <= 'z'; ++c) table[c] |= kMayExtendNumber;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] |= kMayExtendNumber;
  return table;
}();

inline uint8_t ClassOf(char c) { return kByteClass[static_cast<unsigned char>(c)]; }
inline bool IsAsciiDigit(unsigned char c) { return kByteClass[c] & kDigit; }
inline bool IsAsciiAlpha(unsigned char c) { return kByteClass[c] & kLetter; }

// Length of the UTF-8 sequence starting at `i` (1 for invalid or truncated bytes, so the
// tokenizer never stalls and never splits a valid sequence) and its code point.
int Utf8Length(absl::string_view t, size_t i, uint32_t* cp) {
  unsigned char c = t[i];
  int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 1;
  if (len == 1 || i + len > t.size()) {
    *cp = c < 0x80 ? c : 0xfffd;
    return 1;
  }
  uint32_t value = c & (0x7f >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = t[i + k];
    if ((cc & 0xc0) != 0x80) {
      *cp = 0xfffd;
      return 1;
    }
    value = (value << 6) | (cc & 0x3f);
  }
  *cp = value;
  return len;
}

// Non-ASCII code points that are symbols rather than letters: Latin-1 punctuation and signs,
// general punctuation, arrows, math operators ("≥"), box drawing, dingbats.
inline bool IsSymbolCodePoint(uint32_t cp) {
  return (cp >= 0xa0 && cp <= 0xbf && cp != 0xb5 && cp != 0xaa && cp != 0xba) || cp == 0xd7 ||
         cp == 0xf7 || (cp >= 0x2000 && cp <= 0x2bff) || (cp >= 0x3000 && cp <= 0x303f) ||
         cp == 0xfffd || (cp >= 0xfe30 && cp <= 0xfe4f);
}

// Length of the word character (a non-ASCII letter: "μ", "é") whose UTF-8 sequence starts with
// the non-ASCII byte at `i`, or 0 for a symbol or an invalid byte.
inline int NonAsciiWordCharLength(absl::string_view t, size_t i) {
  uint32_t cp;
  int len = Utf8Length(t, i, &cp);
  return IsSymbolCodePoint(cp) ? 0 : len;
}

// Word characters: ASCII letters and digits, and non-ASCII letters ("μ", "é").
inline int WordCharLength(absl::string_view t, size_t i) {
  if (i >= t.size()) return 0;
  const uint8_t byte_class = ClassOf(t[i]);
  if (byte_class & kAsciiWordChar) return 1;
  return byte_class & kNonAscii ? NonAsciiWordCharLength(t, i) : 0;
}

// Units that are unambiguous on their own ("mg/dl"); single letters and "min" / "in" only count
// as units right after a number ("2 l", "5 min").
constexpr absl::string_view kUnits[] = {
    "%",        "mg/dl",    "mg/l",     "g/dl",    "g/l",      "mmol/l",     "μmol/l",
    "umol/l",   "µmol/l",   "meq/l",    "miu/ml",  "iu/l",     "u/l",        "units/l",
    "ng/ml",    "ng/dl",    "pg/ml",    "mcg/ml",  "k/ul",     "k/μl",       "k/mm3",
    "/hpf",     "/ul",      "/μl",      "cells/ul", "cells/μl", "mm3",       "mmhg",
    "cmh2o",    "bpm",      "/min",     "l/min",   "ml/min",   "ml/hr",      "ml/h",
    "mg/kg",    "mcg/kg/min", "mcg/min", "mg/hr",  "units/hr", "units/kg/hr", "ml/kg/hr",
    "kg",       "mg",       "mcg",      "μg",      "ml",       "dl",         "cm",
    "mm",       "kg/m2",    "kg/m^2",   "°f",      "°c",       "mosm/kg",    "mosm/l",
    "breaths/min", "lpm",   "g/24h",    "mg/24h",  "ml/min/1.73m2", "fl",    "pg",
    "units"};
constexpr absl::string_view kAmbiguousUnits[] = {"l",  "g",   "m",  "f",   "c",   "s",
                                                 "h",  "in",  "min", "hr", "hrs", "sec"};

// 0: not a unit; 1: a unit anywhere; 2: a unit only after a number.
constexpr uint8_t kNotUnit = 0;
constexpr uint8_t kUnitAnywhere = 1;
constexpr uint8_t kUnitAfterNumber = 2;

// The units in an open-addressing hash table keyed by length, first and last byte: a lookup is
// one or two probes instead of a scan of every unit (the tokenizer asks after every number).
struct UnitSlot {
  absl::string_view unit;
  uint8_t kind = kNotUnit;
};
constexpr size_t kUnitSlots = 256;  // a power of two, over three times the number of units
constexpr size_t kMaxUnitLength = 16;

constexpr size_t UnitHash(absl::string_view word) {
  return (word.size() * 29 + static_cast<unsigned char>(word.front()) * 7 +
          static_cast<unsigned char>(word.back()) * 3) &
         (kUnitSlots - 1);
}

constexpr bool SameBytes(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k) {
    if (a[k] != b[k]) return false;
  }
  return true;
}

constexpr auto kUnitTable = [] {
  std::array<UnitSlot, kUnitSlots> table{};
  auto add = [&table](absl::string_view unit, uint8_t kind) {
    size_t slot = UnitHash(unit);
    while (table[slot].kind != kNotUnit) {
      if (SameBytes(table[slot].unit, unit)) return;  // listed twice: the first listing wins
      slot = (slot + 1) & (kUnitSlots - 1);
    }
    table[slot] = UnitSlot{unit, kind};
  };
  for (absl::string_view unit : kUnits) add(unit, kUnitAnywhere);
  for (absl::string_view unit : kAmbiguousUnits) add(unit, kUnitAfterNumber);
  return table;
}();

static_assert([] {
  for (absl::string_view unit : kUnits) {
    if (unit.empty() || unit.size() > kMaxUnitLength) return false;
  }
  for (absl::string_view unit : kAmbiguousUnits) {
    if (unit.empty() || unit.size() > kMaxUnitLength) return false;
  }
  return true;
}());

int UnitIndex(absl::string_view word) {
  if (word.empty() || word.size() > kMaxUnitLength) return kNotUnit;
  for (size_t slot = UnitHash(word);; slot = (slot + 1) & (kUnitSlots - 1)) {
    const UnitSlot& entry = kUnitTable[slot];
    if (entry.kind == kNotUnit) return kNotUnit;
    if (entry.unit == word) return entry.kind;
  }
}

class Scanner {
 public:
  Scanner(absl::string_view text, std::vector<Token>* out)
      : t_(text), p_(text.data()), n_(text.size()), out_(out) {}

  void Run() {
    const size_t n = n_;
    size_t i = 0;
    while (i < n) {
      const unsigned char c = p_[i];
      const uint8_t byte_class = kByteClass[c];
      if (byte_class & kSpace) {
        ++i;
      } else if (byte_class & kLetter) {
        i = AsciiWord(i);
      } else if (byte_class & kDigit) {
        i = Integer(i);
      } else if (c == '.' && i + 1 < n && IsAsciiDigit(p_[i + 1]) &&
                 (i == 0 || WordCharLength(t_, i - 1) == 0)) {
        i = Number(i);  // ".5"
      } else if ((byte_class & kNonAscii) && NonAsciiWordCharLength(t_, i) > 0) {
        i = Word(i);
      } else {
        i = Punct(i);
      }
    }
  }

 private:
  void Emit(size_t b, size_t e, TokenKind kind) {
    out_->push_back(Token{Span{static_cast<uint32_t>(b), static_cast<uint32_t>(e)}, kind});
    prev_numeric_ =
        kind == TokenKind::kNumber || kind == TokenKind::kTrend || kind == TokenKind::kRatio;
  }
  absl::string_view Text(size_t b, size_t e) const { return absl::string_view(p_ + b, e - b); }
  // Whether the last token is a number, a trend or a ratio (units follow those).
  bool PrevNumeric() const { return prev_numeric_; }
  // The byte at `i`, or 0 past the end. The hot loops index directly after their own bounds
  // check; this is for the look-ahead of rarer patterns.
  unsigned char At(size_t i) const { return i < n_ ? p_[i] : 0; }

  // Digits with thousands separators ("1,450") and a decimal part; returns the end.
  size_t ScanNumber(size_t i) const {
    const size_t n = n_;
    while (i < n && IsAsciiDigit(p_[i])) ++i;
    if (i == n || (p_[i] != ',' && p_[i] != '.')) return i;  // most numbers end here
    while (At(i) == ',' && IsAsciiDigit(At(i + 1)) && IsAsciiDigit(At(i + 2)) &&
           IsAsciiDigit(At(i + 3)) && !IsAsciiDigit(At(i + 4))) {
      i += 4;
    }
    if (At(i) == '.' && IsAsciiDigit(At(i + 1))) {
      ++i;
      while (i < n && IsAsciiDigit(p_[i])) ++i;
    }
    return i;
  }

  // Most numbers are plain digits ("126", "40 mg"); those are emitted here, anything that may
  // be more ("1,450", "0.9", "84/46", "40mg", "2nd", "0.9 -> 2.3") is left to Number.
  size_t Integer(size_t b) {
    const size_t n = n_;
    size_t e = b + 1;
    while (e < n && IsAsciiDigit(p_[e])) ++e;
    if (e < n) {
      if (ClassOf(p_[e]) & kMayExtendNumber) return Number(b);
      if (p_[e] == ' ') {  // "138 -> 126", "2.3 <- 0.9": an arrow may follow the spaces
        size_t j = e + 1;
        while (j < n && p_[j] == ' ') ++j;
        if (j < n && (p_[j] == '-' || p_[j] == '<')) return Number(b);
      }
    }
    Emit(b, e, TokenKind::kNumber);
    return e;
  }

  size_t Number(size_t b) {
    size_t e = ScanNumber(b);
    const unsigned char next = At(e);
    TokenKind kind = TokenKind::kNumber;
    if (next == '/' && IsAsciiDigit(At(e + 1))) {
      e = ScanNumber(e + 1);
      kind = TokenKind::kRatio;
    } else if (size_t trend_end = TrendEnd(e); trend_end != 0) {
      e = trend_end;
      kind = TokenKind::kTrend;
    }
    // "40mg", "2l": the number ends where letters begin, except ordinals ("2nd", "3rd").
    if (kind == TokenKind::kNumber && IsAsciiAlpha(At(e))) {
      size_t w = e;
      while (IsAsciiAlpha(At(w))) ++w;
      absl::string_view suffix = Text(e, w);
      if ((suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") &&
          WordCharLength(t_, w) == 0) {
        Emit(b, w, TokenKind::kWord);
        return w;
      }
    }
    Emit(b, e, kind);
    return e;
  }

  // "0.9 -> 2.3", "2.3 <- 0.9", "138->126", "0.9-2.3": end of the trend starting after the first
  // number at `e`, or 0.
  size_t TrendEnd(size_t e) const {
    size_t j = e;
    const unsigned char c = At(j);
    if (c != '-' && c != ' ' && c != '<') return 0;  // most numbers: no trend can follow
    if (c == '-' && IsAsciiDigit(At(j + 1))) return ScanNumber(j + 1);
    while (At(j) == ' ') ++j;
    bool arrow = (At(j) == '-' && At(j + 1) == '>') || (At(j) == '<' && At(j + 1) == '-');
    if (!arrow) return 0;
    j += 2;
    while (At(j) == ' ') ++j;
    if (!IsAsciiDigit(At(j))) return 0;
    size_t end = ScanNumber(j);
    // Chains: "1.1 -> 1.8 -> 2.3".
    if (size_t more = TrendEnd(end); more != 0) return more;
    return end;
  }

  // Most words are a run of ASCII letters and digits followed by a space or punctuation; those
  // are emitted here, everything else is left to Word.
  size_t AsciiWord(size_t b) {
    const size_t n = n_;
    size_t e = b + 1;
    while (e < n && (ClassOf(p_[e]) & kAsciiWordChar)) ++e;
    // A period continues only a one-letter segment ("b.i.d."); Word checks the rest.
    if (e < n && (ClassOf(p_[e]) & kMayContinueWord) && (p_[e] != '.' || e - b == 1)) {
      return Word(b);
    }
    Emit(b, e, PrevNumeric() ? KindOfWord(Text(b, e), /*has_slash=*/false)
                             : TokenKind::kWord);
    return e;
  }

  size_t Word(size_t b) {
    const size_t n = n_;
    size_t i = b;
    size_t segment_begin = b;
    bool dotted = false;
    bool has_slash = false;
    while (true) {
      // Fast path: runs of ASCII letters and digits.
      while (i < n && (ClassOf(p_[i]) & kAsciiWordChar)) ++i;
      if (i == n) break;
      const unsigned char c = p_[i];
      if (c >= 0x80) {
        const int len = NonAsciiWordCharLength(t_, i);
        if (len == 0) break;
        i += len;
        continue;
      }
      if (c == '.') {
        // "b.i.d.", "q.d.", "e.g.": single letters joined by periods.
        if (i - segment_begin == 1 && IsAsciiAlpha(At(i + 1)) &&
            (At(i + 2) == '.' || (dotted && WordCharLength(t_, i + 2) == 0))) {
          dotted = true;
          i += 2;
          segment_begin = i - 1;
          continue;
        }
        break;
      }
      if ((c == '-' || c == '\'' || c == '/') && WordCharLength(t_, i + 1) > 0) {
        if (c == '/') has_slash = true;
        ++i;
        segment_begin = i;
        continue;
      }
      break;
    }
    if (dotted) {
      if (At(i) == '.') ++i;  // the closing period of "b.i.d."
    } else if (has_slash) {
      const absl::string_view word = Text(b, i);
      if (UnitIndex(word) != kNotUnit) {
        Emit(b, i, TokenKind::kUnit);
        return i;
      }
      // Short abbreviations stay whole ("h/o", "s/p", "r/o", "n/v/d"); "fever/chills" splits.
      size_t longest = 0, run = 0;
      for (char ch : word) {
        run = ch == '/' ? 0 : run + 1;
        longest = std::max(longest, run);
      }
      if (longest > 3) {
        size_t slash = word.find('/');
        Emit(b, b + slash, KindOfWord(word.substr(0, slash), /*has_slash=*/false));
        return b + slash;  // the slash becomes punctuation, the rest a new word
      }
      Emit(b, i, TokenKind::kWord);  // not a unit, so not one after a number either
      return i;
    } else if (i - b <= 2 && At(i) == '/' && WordCharLength(t_, i + 1) == 0 &&
               !IsAsciiDigit(p_[b])) {
      // "w/" (with), "c/" : a one- or two-letter word ending in a slash.
      ++i;
      Emit(b, i, TokenKind::kWord);
      return i;
    }
    Emit(b, i, KindOfWord(Text(b, i), has_slash));
    return i;
  }

  // `has_slash`: whether `word` contains a slash (Word knows, so no search for one).
  TokenKind KindOfWord(absl::string_view word, bool has_slash) const {
    // Units are looked up only where they can be: after a number, or with a slash ("mg/dl").
    // Skipping the lookup for ordinary words keeps the tokenizer fast.
    const bool after_number = PrevNumeric();
    if (!after_number && !has_slash) return TokenKind::kWord;
    int unit = UnitIndex(word);
    if (unit == kNotUnit || (unit == kUnitAfterNumber && !after_number)) return TokenKind::kWord;
    return TokenKind::kUnit;
  }

  size_t Punct(size_t b) {
    const unsigned char c = p_[b];
    if (c >= 0x80) {
      uint32_t cp;
      int len = Utf8Length(t_, b, &cp);
      // "°f" / "°c" after a number is a unit.
      if (cp == 0xb0 && PrevNumeric() && (At(b + len) == 'f' || At(b + len) == 'c') &&
          WordCharLength(t_, b + len + 1) == 0) {
        Emit(b, b + len + 1, TokenKind::kUnit);
        return b + len + 1;
      }
      Emit(b, b + len, TokenKind::kPunct);
      return b + len;
    }
    const unsigned char next = At(b + 1);
    bool two = false;  // "->", "<-", ">=", "<=", "=>"
    switch (c) {
      case '%':
        Emit(b, b + 1, PrevNumeric() ? TokenKind::kUnit : TokenKind::kPunct);
        return b + 1;
      case '/':
        if (PrevNumeric()) {  // "10 /hpf", "12/min"
          size_t w = b + 1;
          while (WordCharLength(t_, w) > 0) w += WordCharLength(t_, w);
          if (w > b + 1 && UnitIndex(Text(b, w)) != kNotUnit) {
            Emit(b, w, TokenKind::kUnit);
            return w;
          }
        }
        break;
      case '-':
        two = next == '>';
        break;
      case '<':
        two = next == '-' || next == '=';
        break;
      case '>':
        two = next == '=';
        break;
      case '=':
        two = next == '>';
        break;
      default:
        break;
    }
    const size_t end = b + (two ? 2 : 1);
    Emit(b, end, TokenKind::kPunct);
    return end;
  }

  // The text, and its bytes again for indexing that is already bounds-checked: this abseil
  // checks every string_view::operator[] (hardened build).
  absl::string_view t_;
  const char* p_;
  size_t n_;
  std::vector<Token>* out_;
  bool prev_numeric_ = false;
};

}  // namespace

bool Tokenizer::IsUnit(absl::string_view word) { return UnitIndex(word) != 0; }

void Tokenizer::Tokenize(absl::string_view text, std::vector<Token>* out) const {
  out->clear();
  Scanner(text, out).Run();
}

}  // namespace cdiscan::nlp
