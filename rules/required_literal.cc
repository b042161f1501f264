#include "rules/required_literal.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"

namespace cdiscan::rules {
namespace {

// Offsets and widths saturate here: "unbounded".
constexpr uint32_t kUnbounded = UINT32_MAX;
// Bytes of one character that may be non-ASCII (UTF-8).
constexpr uint32_t kMaxCharBytes = 4;

uint32_t Add(uint32_t a, uint32_t b) {
  return a == kUnbounded || b == kUnbounded || a + b >= kUnbounded ? kUnbounded : a + b;
}
uint32_t Multiply(uint32_t width, uint32_t times) {
  if (width == 0 || times == 0) return 0;
  if (width == kUnbounded || times == kUnbounded || width > (kUnbounded - 1) / times) {
    return kUnbounded;
  }
  return width * times;
}

bool IsLiteralByte(char c) {
  return static_cast<unsigned char>(c) < 0x80 &&
         absl::string_view("\\^$.|?*+()[]{}").find(c) == absl::string_view::npos;
}

// Reads a pattern: atoms with their widest match, quantifiers, groups.
class Reader {
 public:
  explicit Reader(absl::string_view pattern) : p_(pattern) {}

  // The widest match of the alternatives from here up to ')' or the end, or nullopt for a
  // construct outside what is read.
  std::optional<uint32_t> AlternativesWidth() {
    uint32_t widest = 0;
    while (true) {
      uint32_t width = 0;
      while (!AtEnd() && Peek() != '|' && Peek() != ')') {
        std::optional<uint32_t> atom = QuantifiedAtomWidth(nullptr);
        if (!atom) return std::nullopt;
        width = Add(width, *atom);
      }
      widest = std::max(widest, width);
      if (AtEnd() || Peek() != '|') return widest;
      ++pos_;
    }
  }

  // One atom and its quantifier. `literal`, if not null, is set to the atom's byte when it is
  // a single literal byte with no quantifier (a byte every match has at this place).
  std::optional<uint32_t> QuantifiedAtomWidth(std::optional<char>* literal) {
    std::optional<char> byte;
    std::optional<uint32_t> width = AtomWidth(&byte);
    if (!width) return std::nullopt;
    std::optional<uint32_t> quantified = Quantify(*width);
    if (!quantified) return std::nullopt;
    if (literal != nullptr) *literal = *quantified == *width && !quantified_ ? byte : std::nullopt;
    return quantified;
  }

  bool AtEnd() const { return pos_ >= p_.size(); }
  char Peek() const { return p_[pos_]; }

 private:
  std::optional<uint32_t> AtomWidth(std::optional<char>* byte) {
    const char c = Peek();
    if (c == '(') return GroupWidth();
    if (c == '[') return ClassWidth();
    if (c == '.') {
      ++pos_;
      return kMaxCharBytes;
    }
    if (c == '\\') {
      if (pos_ + 1 >= p_.size()) return std::nullopt;
      const char e = p_[pos_ + 1];
      pos_ += 2;
      if (e == 'b' || e == 'B') return 0;
      if (e == 'd' || e == 'w' || e == 's') return 1;  // ASCII classes in RE2
      if (e == 'D' || e == 'W' || e == 'S') return kMaxCharBytes;
      if (absl::ascii_isalnum(e) || static_cast<unsigned char>(e) >= 0x80) return std::nullopt;
      *byte = e;  // escaped punctuation
      return 1;
    }
    if (!IsLiteralByte(c)) return std::nullopt;  // anchors, stray quantifiers, non-ASCII
    ++pos_;
    *byte = c;
    return 1;
  }

  std::optional<uint32_t> GroupWidth() {
    ++pos_;  // '('
    if (!AtEnd() && Peek() == '?') {
      if (pos_ + 1 >= p_.size() || p_[pos_ + 1] != ':') return std::nullopt;  // flags, names
      pos_ += 2;
    }
    std::optional<uint32_t> width = AlternativesWidth();
    if (!width || AtEnd() || Peek() != ')') return std::nullopt;
    ++pos_;
    return width;
  }

  // "[a-z]", "[- ]": one ASCII byte; a negated class or one with non-ASCII members may match a
  // multi-byte character.
  std::optional<uint32_t> ClassWidth() {
    ++pos_;  // '['
    uint32_t width = 1;
    if (!AtEnd() && Peek() == '^') {
      width = kMaxCharBytes;
      ++pos_;
    }
    if (AtEnd() || Peek() == ']') return std::nullopt;  // "[]a]": not read
    while (!AtEnd() && Peek() != ']') {
      const char c = Peek();
      if (c == '[') return std::nullopt;  // POSIX classes
      if (static_cast<unsigned char>(c) >= 0x80) width = kMaxCharBytes;
      if (c == '\\') {
        if (pos_ + 1 >= p_.size()) return std::nullopt;
        const char e = p_[pos_ + 1];
        if (e == 'D' || e == 'W' || e == 'S' || e == 'p' || e == 'P' || e == 'x' ||
            static_cast<unsigned char>(e) >= 0x80) {
          width = kMaxCharBytes;
        }
        ++pos_;
      }
      ++pos_;
    }
    if (AtEnd()) return std::nullopt;
    ++pos_;  // ']'
    return width;
  }

  static bool AllDigits(absl::string_view text) {
    for (char c : text) {
      if (!absl::ascii_isdigit(c)) return false;
    }
    return true;
  }

  // Applies a quantifier after an atom of width `width`, if there is one.
  std::optional<uint32_t> Quantify(uint32_t width) {
    quantified_ = false;
    if (AtEnd()) return width;
    const char c = Peek();
    uint32_t result = width;
    if (c == '?') {
      ++pos_;
    } else if (c == '*' || c == '+') {
      ++pos_;
      result = kUnbounded;
    } else if (c == '{') {
      const size_t close = p_.find('}', pos_);
      if (close == absl::string_view::npos) return std::nullopt;
      const absl::string_view body = p_.substr(pos_ + 1, close - pos_ - 1);
      const size_t comma = body.find(',');
      const absl::string_view least = body.substr(0, comma);
      const absl::string_view most = comma == absl::string_view::npos ? body : body.substr(comma + 1);
      // RE2 repeats only "{n}", "{n,}" and "{n,m}"; any other brace ("{,3}", "{a,2}") is
      // literal text to RE2, which this reader does not follow: it stops here.
      if (least.empty() || !AllDigits(least) || !AllDigits(most)) return std::nullopt;
      uint32_t times = 0;
      if (most.empty()) {
        times = kUnbounded;
      } else {
        for (char d : most) {
          if (times > 100000) return std::nullopt;
          times = times * 10 + (d - '0');
        }
      }
      pos_ = close + 1;
      result = Multiply(width, times);
    } else {
      return width;
    }
    quantified_ = true;
    if (!AtEnd() && Peek() == '?') ++pos_;  // lazy
    return result;
  }

  absl::string_view p_;
  size_t pos_ = 0;
  bool quantified_ = false;
};

}  // namespace

// True if `pattern` has a "|" outside groups and classes, or brackets that do not pair up: its
// top level is then not one sequence, and no literal of one branch is required.
bool MayHaveTopLevelAlternative(absl::string_view pattern) {
  int depth = 0;
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
      // "[]a]" and "[^]a]" hold a ']': rare enough not to be worth reading.
      if (pattern.substr(i + 1, 1) == "]" || pattern.substr(i + 1, 2) == "^]") return true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth < 0) return true;
    } else if (c == '|' && depth == 0) {
      return true;
    }
  }
  return depth != 0 || in_class;
}

std::optional<RequiredLiteral> FindRequiredLiteral(absl::string_view pattern, size_t min_size) {
  if (MayHaveTopLevelAlternative(pattern)) return std::nullopt;
  Reader reader(pattern);
  std::optional<RequiredLiteral> best;
  RequiredLiteral run;  // the literal being read, and its offset bound
  uint32_t offset = 0;  // bound on the offset of the reading position from the match start
  auto close_run = [&] {
    if (run.literal.size() >= std::max<size_t>(min_size, 1) &&
        (!best || run.literal.size() > best->literal.size())) {
      best = run;
    }
    run.literal.clear();
  };
  while (!reader.AtEnd() && offset != kUnbounded) {
    if (reader.Peek() == '|' || reader.Peek() == ')') return std::nullopt;  // not expected
    std::optional<char> byte;
    std::optional<uint32_t> width = reader.QuantifiedAtomWidth(&byte);
    if (!width) break;  // unknown construct: what was found so far holds
    if (byte) {
      if (run.literal.empty()) run.max_offset = offset;
      run.literal.push_back(*byte);
    } else {
      close_run();
    }
    offset = Add(offset, *width);
  }
  close_run();
  return best;
}

}  // namespace cdiscan::rules
