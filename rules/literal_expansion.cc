#include "rules/literal_expansion.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace cdiscan::rules {
namespace {

using Strings = std::vector<std::string>;

// A recursive-descent reader of the subset; any construct outside it fails the whole pattern.
class Expander {
 public:
  Expander(absl::string_view pattern, size_t max_strings)
      : pattern_(pattern), max_strings_(max_strings) {}

  std::optional<Strings> Run() {
    std::optional<Strings> all = Alternatives();
    if (!all || pos_ != pattern_.size()) return std::nullopt;
    return all;
  }

 private:
  bool AtEnd() const { return pos_ >= pattern_.size(); }
  char Peek() const { return pattern_[pos_]; }

  // alternatives := sequence ('|' sequence)*, up to ')' or the end.
  std::optional<Strings> Alternatives() {
    Strings all;
    while (true) {
      std::optional<Strings> sequence = Sequence();
      if (!sequence) return std::nullopt;
      for (std::string& s : *sequence) {
        if (std::find(all.begin(), all.end(), s) == all.end()) all.push_back(std::move(s));
      }
      if (all.size() > max_strings_) return std::nullopt;
      if (AtEnd() || Peek() != '|') return all;
      ++pos_;
    }
  }

  // sequence := (atom '?'?)*
  std::optional<Strings> Sequence() {
    Strings product = {""};
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      std::optional<Strings> atom = Atom();
      if (!atom) return std::nullopt;
      if (!AtEnd() && Peek() == '?') {
        ++pos_;
        if (std::find(atom->begin(), atom->end(), "") == atom->end()) atom->push_back("");
      }
      if (!AtEnd() && (Peek() == '*' || Peek() == '+' || Peek() == '{' || Peek() == '?')) {
        return std::nullopt;  // repetition, or a lazy "??"
      }
      Strings next;
      for (const std::string& head : product) {
        for (const std::string& tail : *atom) next.push_back(head + tail);
      }
      if (next.size() > max_strings_) return std::nullopt;
      product = std::move(next);
    }
    return product;
  }

  std::optional<Strings> Atom() {
    const char c = Peek();
    if (static_cast<unsigned char>(c) >= 0x80) return std::nullopt;  // RE2 reads UTF-8
    if (c == '(') return Group();
    if (c == '[') return Class();
    if (c == '\\') {
      if (pos_ + 1 >= pattern_.size()) return std::nullopt;
      const char escaped = pattern_[pos_ + 1];
      // "\d", "\b", "\w", "\x41", "\1"...: classes, assertions and codes, not literals.
      if (absl::ascii_isalnum(escaped) || static_cast<unsigned char>(escaped) >= 0x80) {
        return std::nullopt;
      }
      pos_ += 2;
      return Strings{std::string(1, escaped)};
    }
    if (absl::string_view("^$.|?*+)]{}").find(c) != absl::string_view::npos) {
      return std::nullopt;
    }
    ++pos_;
    return Strings{std::string(1, c)};
  }

  std::optional<Strings> Group() {
    ++pos_;  // '('
    if (!AtEnd() && Peek() == '?') {
      if (!absl::StartsWith(pattern_.substr(pos_), "?:")) return std::nullopt;  // flags, names
      pos_ += 2;
    }
    std::optional<Strings> inside = Alternatives();
    if (!inside || AtEnd() || Peek() != ')') return std::nullopt;
    ++pos_;
    return inside;
  }

  // "[- ]", "[a-c]": ASCII members and ranges only; no negation, escapes or POSIX classes.
  std::optional<Strings> Class() {
    ++pos_;  // '['
    Strings members;
    if (!AtEnd() && Peek() == '^') return std::nullopt;
    bool first = true;
    while (!AtEnd() && (Peek() != ']' || first)) {
      const char c = Peek();
      if (c == '\\' || c == '[' || static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
      char last = c;
      if (pos_ + 2 < pattern_.size() && pattern_[pos_ + 1] == '-' && pattern_[pos_ + 2] != ']') {
        last = pattern_[pos_ + 2];
        if (last == '\\' || static_cast<unsigned char>(last) >= 0x80 || last < c) {
          return std::nullopt;
        }
        pos_ += 3;
      } else {
        ++pos_;
      }
      for (int b = c; b <= last; ++b) {
        std::string member(1, static_cast<char>(b));
        if (std::find(members.begin(), members.end(), member) == members.end()) {
          members.push_back(std::move(member));
        }
      }
      if (members.size() > max_strings_) return std::nullopt;
      first = false;
    }
    if (AtEnd() || members.empty()) return std::nullopt;
    ++pos_;  // ']'
    return members;
  }

  absl::string_view pattern_;
  size_t max_strings_;
  size_t pos_ = 0;
};

bool IsWordByte(char c) { return absl::ascii_isalnum(c) || c == '_'; }

// True if no two strings can both match at one place with a word boundary after them: none is
// empty, and where one is a prefix of another, the shorter ends in a word byte and the longer
// goes on with one ("bleed" / "bleeding": where "bleeding" is, "bleed" has no boundary after
// it), so its boundary fails wherever the longer one is.
bool OneMatchPerPlace(const Strings& strings) {
  for (const std::string& a : strings) {
    if (a.empty()) return false;
    for (const std::string& b : strings) {
      if (&a == &b || !absl::StartsWith(b, a)) continue;
      if (!IsWordByte(a.back()) || !IsWordByte(b[a.size()])) return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::vector<std::string>> ExpandToLiterals(absl::string_view pattern,
                                                         size_t max_strings) {
  if (pattern.empty() || max_strings == 0) return std::nullopt;
  std::optional<Strings> strings = Expander(pattern, max_strings).Run();
  if (!strings || !OneMatchPerPlace(*strings)) return std::nullopt;
  return strings;
}

std::optional<std::vector<std::string>> ExpandToLiteralsInPreferenceOrder(
    absl::string_view pattern, size_t max_strings) {
  if (pattern.empty() || max_strings == 0) return std::nullopt;
  // The Expander builds the strings in preference order: a sequence's product is taken head
  // first, a "?" appends the empty choice after the atom's, and where a string comes twice
  // only its first (preferred) occurrence is kept, which cannot change which string is the
  // first to match at a place.
  std::optional<Strings> strings = Expander(pattern, max_strings).Run();
  if (!strings) return std::nullopt;
  for (const std::string& s : *strings) {
    if (s.empty()) return std::nullopt;
  }
  return strings;
}

}  // namespace cdiscan::rules
