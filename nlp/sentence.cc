#include "nlp/sentence.h"

#include "absl/strings/ascii.h"

namespace cdiscan::nlp {
namespace {

// Words that end with a period without ending the sentence (normalized, without the period).
// Kept short on purpose: "mg." or "etc." end sentences far more often than they abbreviate.
constexpr absl::string_view kAbbreviations[] = {"dr", "mr",  "mrs", "ms", "vs",     "v",
                                                "st", "jr",  "sr",  "q",  "approx", "appt",
                                                "cf", "al",  "fig", "sts", "drs",   "prof"};

inline bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool IsAbbreviation(absl::string_view word) {
  for (absl::string_view a : kAbbreviations) {
    if (a == word) return true;
  }
  // Dotted abbreviations ("b.i.d", "q.4.h") keep going.
  return word.size() >= 3 && absl::ascii_isalpha(word[0]) &&
         word.find('.') != absl::string_view::npos;
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

// True if the line looks like "label: value" ("temp: 38.5", "cardiac: rrr").
bool StartsWithLabel(absl::string_view t, size_t p, size_t end) {
  int words = 1;
  for (size_t q = p; q < end && q < p + 40; ++q) {
    if (t[q] == ':') return q > p;
    if (t[q] == ' ') ++words;
    if (words > 4 || t[q] == '.' || t[q] == ',') return false;
  }
  return false;
}

class Splitter {
 public:
  Splitter(absl::string_view t, std::vector<Span>* out) : t_(t), out_(out) {}

  void Run() {
    const size_t n = t_.size();
    size_t line_begin = 0;
    for (size_t i = 0; i < n; ++i) {
      char c = t_[i];
      // Most bytes are letters: skip them without the checks below.
      if (absl::ascii_isalnum(c)) continue;
      if (c == '\n') {
        if (BreakAtNewline(line_begin, i)) Emit(i);
        line_begin = i + 1;
      } else if (c == '.' || c == '!' || c == '?') {
        if (IsSentenceEnd(i)) {
          size_t end = i + 1;
          while (end < n && (t_[end] == '"' || t_[end] == ')' || t_[end] == '\'')) ++end;
          Emit(end);
          i = end - 1;
        }
      } else if (c == ' ' && InlineNumberAt(i + 1)) {
        Emit(i);
      }
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
    char next = At(i + 1);
    if (!(next == '\0' || next == ' ' || next == '\n' || next == '\t' || next == '"' ||
          next == ')' || next == '\'')) {
      return false;  // "0.9", "b.i.d", "?pneumonia"
    }
    if (t_[i] != '.') return true;
    // The word before the period.
    size_t w = i;
    while (w > start_ && (absl::ascii_isalnum(t_[w - 1]) || t_[w - 1] == '.' ||
                          static_cast<unsigned char>(t_[w - 1]) >= 0x80)) {
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
    return !IsAbbreviation(word);
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
    size_t next_begin = nl + 1;
    size_t next_end = t_.find('\n', next_begin);
    if (next_end == absl::string_view::npos) next_end = t_.size();
    size_t p = next_begin;
    while (p < next_end && IsBlank(t_[p])) ++p;
    if (p == next_end) return true;  // next line blank
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
  Splitter(text.text(), out).Run();
}

}  // namespace cdiscan::nlp
