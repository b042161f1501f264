// Measurement extraction from normalized note text.
//
// One pass over the words of the note finds every analyte alias (all aliases of all keys
// compiled once into a byte trie, longest match first, so "na+" beats "na" and "sodium
// chloride" beats "sodium"; see phrase_trie.h for why not RE2). Each hit is then parsed by hand,
// within its line, as
//   alias [separators] [comparator] number [/number...] [unit] [flag] [ref range] [time]
//         [oxygen qualifier] [(was|from|baseline) number ...] [-> | <- | to | now  number ...]
// Hand parsing keeps the common case cheap (no regex per analyte per line) and makes each
// rejection explicit: a number glued to "/digit" is a date, to ":digit" a clock time, to
// "-digit" a phone number or range, a dose unit ("mg") does not fit a lab key.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <cstdio>
#include <cstdlib>

#include "absl/base/attributes.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlp/measure/measurement_extractor.h"
#include "nlp/section_proto.h"
#include "nlp/measure/digit_search.h"
#include "nlp/measure/phrase_trie.h"
#include "nlp/measure/tail_matchers.h"
#include "nlp/measure/vocabulary.h"

namespace cdiscan::nlp {
namespace {

using Entry = Vocabulary::Entry;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// ASCII letters and digits: the bytes of a word, as a table for the scan loop.
constexpr std::array<bool, 256> MakeWordBytes() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
  return t;
}
constexpr std::array<bool, 256> kWordByte = MakeWordBytes();
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }

// A short list of lowercase words, tested against the word after a value many times per note
// (the MayBe* filters). Most words tested are the next analyte ("hr", "bp") or a unit, so a mask
// of the first bytes of the list rejects them with one test before any comparison.
template <size_t N>
class WordList {
 public:
  constexpr explicit WordList(const std::array<absl::string_view, N>& words) : words_(words) {
    for (absl::string_view w : words_) first_bytes_ |= FirstByteBit(w[0]);
  }

  const std::array<absl::string_view, N>& words() const { return words_; }

  bool Contains(absl::string_view word) const {
    if (word.empty() || (first_bytes_ & FirstByteBit(word[0])) == 0) return false;
    for (absl::string_view w : words_) {
      if (w == word) return true;
    }
    return false;
  }

 private:
  // Bytes that share their low 6 bits share a bit: a false positive only costs the comparisons.
  static constexpr uint64_t FirstByteBit(char c) { return uint64_t{1} << (c & 63); }

  std::array<absl::string_view, N> words_;
  uint64_t first_bytes_ = 0;
};

template <typename... Words>
constexpr WordList<sizeof...(Words)> MakeWordList(Words... words) {
  return WordList<sizeof...(Words)>({absl::string_view(words)...});
}

// The first words of the oxygen qualifiers, earlier values and later values that may follow a
// value (MayBeOxygen, MayBeEarlier, MayBeArrow); with kFlags, what may follow ", " after it.
constexpr auto kOxygenWords = MakeWordList(
    "on", "at", "via", "while", "with", "w", "room", "ra", "hfnc", "high", "bipap", "cpap", "nippv",
    "niv", "nrb", "non", "nasal", "nc", "mechanical", "ventilator", "vent", "trach", "face",
    "facemask");
constexpr auto kEarlierWords =
    MakeWordList("up", "from", "baseline", "bl", "previously", "prior", "prev", "was", "down",
                 "improved", "increased", "decreased", "rose", "dropped", "compared", "versus",
                 "vs");
constexpr auto kArrowWords =
    MakeWordList("now", "then", "currently", "today", "repeat", "recheck", "repeated",
                 "rechecked", "improved", "up", "down", "increased", "decreased", "this", "to");

// True if `c` is one of the bytes of `set`; for short sets of separators and first bytes.
bool IsByteOf(char c, absl::string_view set) {
  for (char s : set) {
    if (s == c) return true;
  }
  return false;
}

// Words that may stand between an alias and its value: "sodium level of 126",
// "Cr this morning 2.3", "creatinine peaked at 2.3". Kind says what else they tell us.
enum class LeadKind { kSkip, kTime, kBaseline };
struct Lead {
  absl::string_view text;
  LeadKind kind;
};
constexpr Lead kLeads[] = {
    {"whole blood", LeadKind::kSkip},   {"on admission", LeadKind::kTime},
    {"at admission", LeadKind::kTime},  {"on presentation", LeadKind::kTime},
    {"on arrival", LeadKind::kTime},    {"this morning", LeadKind::kTime},
    {"this am", LeadKind::kTime},       {"yesterday", LeadKind::kTime},
    {"overnight", LeadKind::kTime},     {"last night", LeadKind::kTime},
    {"today", LeadKind::kTime},         {"at baseline", LeadKind::kBaseline},
    {"baseline", LeadKind::kBaseline},  {"peaked at", LeadKind::kSkip},
    {"peaking at", LeadKind::kSkip},    {"increased to", LeadKind::kSkip},
    {"decreased to", LeadKind::kSkip},  {"improved to", LeadKind::kSkip},
    {"dropped to", LeadKind::kSkip},    {"rose to", LeadKind::kSkip},
    {"rising to", LeadKind::kSkip},     {"fell to", LeadKind::kSkip},
    {"down to", LeadKind::kSkip},       {"up to", LeadKind::kSkip},
    {"elevated at", LeadKind::kSkip},   {"elevated to", LeadKind::kSkip},
    {"noted to be", LeadKind::kSkip},   {"found to be", LeadKind::kSkip},
    {"came back", LeadKind::kSkip},     {"returned", LeadKind::kSkip},
    {"increased from", LeadKind::kSkip}, {"rose from", LeadKind::kSkip},
    {"dropped from", LeadKind::kSkip},  {"fell from", LeadKind::kSkip},
    {"decreased from", LeadKind::kSkip}, {"improved from", LeadKind::kSkip},
    {"trended from", LeadKind::kSkip},  {"trending from", LeadKind::kSkip},
    {"went from", LeadKind::kSkip},     {"from", LeadKind::kSkip},
    {"levels", LeadKind::kSkip},        {"level", LeadKind::kSkip},
    {"value", LeadKind::kSkip},         {"result", LeadKind::kSkip},
    {"currently", LeadKind::kSkip},     {"now", LeadKind::kSkip},
    {"peak", LeadKind::kSkip},          {"max", LeadKind::kSkip},
    {"nadir", LeadKind::kSkip},         {"serum", LeadKind::kSkip},
    {"plasma", LeadKind::kSkip},        {"blood", LeadKind::kSkip},
    {"poc", LeadKind::kSkip},           {"istat", LeadKind::kSkip},
    {"i-stat", LeadKind::kSkip},        {"were", LeadKind::kSkip},
    {"was", LeadKind::kSkip},           {"is", LeadKind::kSkip},
    {"of", LeadKind::kSkip},            {"at", LeadKind::kSkip},
    {"remains", LeadKind::kSkip},       {"remained", LeadKind::kSkip},
    {"still", LeadKind::kSkip},
};

struct FlagWord {
  absl::string_view text;
  absl::string_view flag;
};
// How far before an alias, on its line, the words that change what its value is are looked
// for: a threshold word ("transfuse for Hgb < 7") stands right before it; the name of a venous
// gas may head a list ("VBG: pH 7.31, pCO2 52, pO2 38").
constexpr uint32_t kThresholdWordReach = 24;
constexpr uint32_t kNotAfterReach = 64;

// After a comma only a spelled-out flag counts ("126 mEq/L, low"), not "h" or "hh".
constexpr size_t kMinFlagSizeAfterComma = 3;
constexpr FlagWord kFlags[] = {
    {"critical", "critical"}, {"panic", "critical"}, {"crit", "critical"},
    {"abnormal", "abnormal"}, {"abn", "abnormal"},   {"high", "H"},
    {"low", "L"},             {"hh", "HH"},          {"ll", "LL"},
    {"hi", "H"},              {"lo", "L"},           {"h", "H"},
    {"l", "L"},               {"c", "critical"},     {"a", "abnormal"},
};

// One number as written.
struct Number {
  uint32_t begin = 0;
  uint32_t end = 0;
  double value = 0;
  bool has_range = false;  // "25-30": value is the midpoint
};

// A value with everything written after it.
// Trivially copyable: every string is a view of a static literal, so parsing a value does not
// allocate.
struct Reading {
  Number number;
  absl::string_view comparator;  // "<", ">", "<=", ">=", "~"
  const Vocabulary::Unit* unit = nullptr;
  uint32_t unit_end = 0;         // end of the unit (normalized), or number.end
  absl::string_view flag;
  Span time;                     // normalized; empty if none written
  absl::string_view time_word;   // a lead time phrase ("on admission") if no time after
  absl::string_view qualifier;   // "baseline" / "range"
  Span qualifier_span;         // normalized span of an oxygen qualifier, to quote it
  bool room_air = false;
};

// The buffers a note's scan fills and clears for each candidate, kept by the thread from one
// note to the next rather than allocated for every note (three allocations and their frees
// per lab note). Nothing in them outlives a candidate.
struct ScanBuffers {
  std::vector<int> keys;          // the entries of the alias (list) being parsed
  std::vector<Reading> readings;  // its values, or a trend's
};

// NoteScan::NothingFollows's verdict from the first byte after a value: no tail part can start
// there, one may, or it is a comma and the word after it decides.
enum class AfterValue : uint8_t { kNothing, kMaybe, kComma };

class Extractor final : public MeasurementExtractor {
 public:
  // `keys`: the keys to extract; nullptr for all.
  Extractor(const Vocabulary& vocab, const absl::flat_hash_set<std::string>* keys)
      : vocab_(vocab) {
    stop_ = static_cast<int>(vocab.entries().size());
    // Emit asks about the entry whose key it writes: a key is wanted exactly when listed.
    wanted_.assign(vocab.entries().size(), keys == nullptr);
    if (keys != nullptr) {
      for (size_t i = 0; i < vocab.entries().size(); ++i) {
        wanted_[i] = keys->contains(vocab.entries()[i].key);
      }
    }
    for (const auto& [alias, index] : vocab.aliases()) {
      alias_trie_.Add(alias, index < 0 ? stop_ : index);
    }
    alias_trie_.Finish();
    for (const auto& [spelling, unit] : vocab.unit_spellings()) {
      unit_trie_.Add(spelling, static_cast<int>(units_.size()));
      units_.push_back(&unit);
    }
    unit_trie_.Finish();
    for (size_t i = 0; i < std::size(kLeads); ++i) lead_trie_.Add(kLeads[i].text, static_cast<int>(i));
    lead_trie_.Finish();
    for (const FlagWord& f : kFlags) {
      if (f.text.size() >= kMinFlagSizeAfterComma) comma_followers_.Add(f.text, 0);
    }
    for (absl::string_view w : kOxygenWords.words()) comma_followers_.Add(w, 0);
    for (absl::string_view w : kEarlierWords.words()) comma_followers_.Add(w, 0);
    for (absl::string_view w : kArrowWords.words()) comma_followers_.Add(w, 0);
    comma_followers_.Finish();
    for (int c = 0; c < 256; ++c) {
      // A unit, a word or a number may start at letters and digits; the symbols are those the
      // filters and ParseFlag test for, and the openers ReadWords skips before a word.
      if (unit_trie_.CanStart(static_cast<char>(c)) || IsAlnum(static_cast<char>(c)) ||
          IsByteOf(static_cast<char>(c), "@([;*!-=<>\xe2")) {
        after_value_[c] = AfterValue::kMaybe;
      } else if (c == ',') {
        after_value_[c] = AfterValue::kComma;
      }
    }
  }

  void Extract(absl::string_view original_text, const AnalyzedNote& note, FactWriter* out,
               std::vector<DroppedMeasurement>* dropped) const override;

 private:
  friend class NoteScan;
  const Vocabulary& vocab_;
  PhraseTrie alias_trie_;  // alias -> entry index, or stop_ for stop phrases
  PhraseTrie unit_trie_;   // spelling -> index into units_
  PhraseTrie lead_trie_;   // lead phrase -> index into kLeads
  // The words that may follow ", " after a value: spelled-out flags and the first words of
  // kOxygenWords, kEarlierWords and kArrowWords. Only its word filter is used (NothingFollows).
  PhraseTrie comma_followers_;
  // What the first byte after a value (and its spaces) says about what may follow it.
  std::array<AfterValue, 256> after_value_{};
  std::vector<const Vocabulary::Unit*> units_;
  std::vector<bool> wanted_;  // by entry index
  int stop_ = 0;
};

// The state of scanning one note. Lives on the stack of Extract.
class NoteScan {
 public:
  NoteScan(const Extractor& x, absl::string_view original, const AnalyzedNote& note,
           FactWriter* out, std::vector<DroppedMeasurement>* dropped, ScanBuffers* buffers)
      : x_(x),
        vocab_(x.vocab_),
        original_(original),
        note_(note),
        text_(note.normalized.text()),
        data_(text_.data()),
        out_(out),
        dropped_(dropped),
        identity_(note.normalized.IsIdentity()),
        keys_(buffers->keys),
        readings_(buffers->readings) {
    // Enough for a trend or a slash list in one allocation rather than a growth per push.
    readings_.reserve(8);
    next_digit_ = FindDigit(data_, 0, text_.size());
    next_newline_ = NextNewline(0);
  }

  void Run() {
    const size_t n = text_.size();
    const PhraseTrie& scan = x_.alias_trie_;
    size_t pos = 0;
    for (;;) {
      size_t word_end = 0;
      size_t word = NextCandidateWord(pos, &word_end);
      if (word >= n) break;
      pos = word_end;
      size_t end = word;
      int entry = scan.Match(text_, word, n, &end);
      if (entry < 0) continue;
      if (entry == x_.stop_) {
        pos = end;
        continue;
      }
      // Values are parsed within their line. NextCandidateWord found where it ends: no alias
      // spans a line break, so the first one after the word is the first after the alias.
      line_end_ = next_newline_;
      const size_t consumed = ParseAt(entry, word, end);
      pos = std::max(pos, std::max(consumed, end));
    }
  }

  // The next word at or after `pos` that may be the first word of an alias: returns its start
  // and sets `*word_end`, or returns the text size if there is none. The hot loop of the
  // extractor (a table load per byte); out of line so that it gets registers of its own.
  ABSL_ATTRIBUTE_NOINLINE size_t NextCandidateWord(size_t pos, size_t* word_end) {
    const size_t n = text_.size();
    const PhraseTrie& scan = x_.alias_trie_;
    // text_ is a std::string's, so data_[n] is a NUL, which is not a word byte: the loop over
    // the bytes of a word stops there without a bounds check of its own.
    for (;;) {
      while (pos < n && !kWordByte[static_cast<uint8_t>(data_[pos])]) ++pos;
      if (pos >= n) return n;
      // Every measurement is a number after its name on the name's line (ParseAt parses
      // within the line and emits or drops nothing without a number), so a word with no digit
      // after it on its line starts nothing: skip to the next line. Neither can a word there
      // move the scan past the line (no alias or stop phrase spans a line break). The next
      // digit and the next line break are found with vector searches, each once per line
      // rather than once per word.
      if (pos > next_digit_) next_digit_ = FindDigit(data_, pos, n);
      if (next_digit_ >= n) return n;  // no number in the rest of the note
      if (pos > next_newline_) next_newline_ = NextNewline(pos);
      if (next_digit_ > next_newline_) {
        pos = next_newline_ + 1;
        continue;
      }
      const size_t word = pos++;  // a word byte
      while (kWordByte[static_cast<uint8_t>(data_[pos])]) ++pos;
      const absl::string_view bytes(data_ + word, pos - word);
      if (scan.WordMayStart(PhraseTrie::WordSignature(bytes))) {
        *word_end = pos;
        return word;
      }
      ++pos;  // not a word byte (or the NUL at n, and then pos > n ends the scan)
    }
  }

  // The first line break at or after `pos`, or the text size.
  size_t NextNewline(size_t pos) const {
    const void* newline = std::memchr(data_ + pos, '\n', text_.size() - pos);
    return newline == nullptr ? text_.size() : static_cast<const char*>(newline) - data_;
  }

 private:
  char At(size_t pos) const { return pos < line_end_ ? data_[pos] : '\n'; }

  // The text up to the end of the line: what the tail matchers see.
  absl::string_view Line() const { return absl::string_view(data_, line_end_); }
  // The end of `matcher`'s match (tail_matchers.h) at `pos` within the line, or kNoTail.
  static constexpr size_t kNoTail = absl::string_view::npos;
  size_t MatchTail(size_t (*matcher)(absl::string_view, size_t), size_t pos) const {
    return pos > line_end_ ? kNoTail : matcher(Line(), pos);
  }

  // The unit spelled at `pos` (no leading spaces), or nullptr; `*end` past it.
  const Vocabulary::Unit* UnitAt(size_t pos, size_t* end) const {
    const int u = x_.unit_trie_.Match(text_, pos, line_end_, end);
    return u < 0 ? nullptr : x_.units_[u];
  }

  // What follows a value at some position, read once for all the tests of ParseTail and
  // ParseTrend at that position (each had skipped the same spaces and read the same word again,
  // up to five times per value). The words are read (ReadWords) only once the tests of the
  // first byte have not decided, since most values end there (", HR 88", a unit).
  struct Follower {
    size_t at = 0;  // past the spaces
    char first = 0;  // the byte at `at` (a line break at the line's end)
    // Set by ReadWords. If `first` is "(", "[", "," or ";": the byte past it and its spaces, and
    // the letters there; otherwise `first` and `word`.
    char after_opener = 0;
    absl::string_view word;  // the letters at `at`
    absl::string_view word_after_opener;
  };
  Follower FollowerAt(size_t pos) const {
    Follower f;
    f.at = SkipSpaces(pos);
    f.first = At(f.at);
    return f;
  }
  void ReadWords(Follower* follower) const {
    Follower& f = *follower;
    f.word = LettersAt(f.at);
    if (f.first == '(' || f.first == '[' || f.first == ',' || f.first == ';') {
      const size_t past = SkipSpaces(f.at + 1);
      f.after_opener = At(past);
      f.word_after_opener = LettersAt(past);
    } else {
      f.after_opener = f.first;
      f.word_after_opener = f.word;
    }
  }
  absl::string_view LettersAt(size_t pos) const {
    size_t end = pos;
    while (end < line_end_ && IsAlpha(data_[end])) ++end;
    return absl::string_view(data_ + pos, end - pos);
  }
  // The word after a comma, if that is what follows; else the word that follows.
  static absl::string_view WordPastComma(const Follower& f) {
    return f.first == ',' ? f.word_after_opener : f.word;
  }
  static bool IsBracket(char c) { return c == '(' || c == '['; }

  // Cheap tests of the next byte / word before running a tail matcher: most values are followed
  // by ", ", a newline or the next analyte, where none of them can match. REQUIRES: ReadWords.
  static bool MayBeTime(const Follower& f) {
    if (f.first == '@' || IsDigit(f.first)) return true;
    if (IsBracket(f.first) && IsDigit(f.after_opener)) return true;
    static constexpr auto kWords =
        MakeWordList("on", "at", "from", "dated", "drawn", "in", "of", "this", "yesterday",
                     "today", "overnight", "last", "pre", "preop", "post", "postop");
    return kWords.Contains(IsBracket(f.first) ? f.word_after_opener : f.word);
  }
  static bool MayBeOxygen(const Follower& f) {
    return IsDigit(f.first) || kOxygenWords.Contains(WordPastComma(f));
  }
  static bool MayBeEarlier(const Follower& f) {
    return kEarlierWords.Contains(f.word_after_opener);
  }
  static bool MayBeArrow(const Follower& f) {
    const char c = f.first;
    if (c == '-' || c == '=' || c == '<' || c == '>' || c == '\xe2') return true;
    return kArrowWords.Contains(WordPastComma(f));
  }

  // True if no part ParseTail or ParseTrend looks for can start at `f`: neither a unit nor
  // any of the filters above or ParseFlag's first test can pass. Told from the next byte, or
  // after a comma from the word after it (kCommaFollowers), so the common ends of a value
  // (", HR 88", a line break, ". MD aware") cost one test rather than one per part.
  bool NothingFollows(const Follower& f) const {
    switch (x_.after_value_[static_cast<uint8_t>(f.first)]) {  // a line break at the line's end
      case AfterValue::kNothing:
        return true;
      case AfterValue::kMaybe:
        return false;
      case AfterValue::kComma:
        break;
    }
    // Past the comma, every filter and ParseFlag read the letters of the word there.
    const absl::string_view word = LettersAt(SkipSpaces(f.at + 1));
    return word.empty() || !x_.comma_followers_.WordMayStart(PhraseTrie::WordSignature(word));
  }
  // True if nothing follows a value at `pos` (NothingFollows); else sets `*follower` to what
  // does. ParseTrend asks first where ParseTail stopped, so the last end found is remembered.
  bool EndsAt(size_t pos, Follower* follower) {
    if (pos == known_end_) return true;
    *follower = FollowerAt(pos);
    if (!NothingFollows(*follower)) return false;
    known_end_ = pos;
    return true;
  }
  static bool MayBeRefRange(const Follower& f) {
    static constexpr auto kWords = MakeWordList("ref", "reference", "normal", "nl", "range");
    if (IsBracket(f.first)) {
      return IsDigit(f.after_opener) || kWords.Contains(f.word_after_opener);
    }
    return IsDigit(f.first) || kWords.Contains(f.word);
  }

  size_t SkipSpaces(size_t pos) const {
    while (pos < line_end_ && data_[pos] == ' ') ++pos;
    return pos;
  }
  // True if `bytes` (not empty) is written at `pos`, within the line. The first byte is tested
  // alone first: callers try many candidates at one position and most differ there.
  bool BytesAt(size_t pos, absl::string_view bytes) const {
    return pos + bytes.size() <= line_end_ && data_[pos] == bytes[0] &&
           absl::string_view(data_ + pos, bytes.size()) == bytes;
  }
  bool WordAt(size_t pos, absl::string_view word) const {
    if (!BytesAt(pos, word)) return false;
    return !IsAlnum(word.back()) || !IsAlnum(At(pos + word.size()));
  }

  // Alias list "na/k/cl/co2/bun/cr/glu": returns the entries, in order; `end` moves past them.
  void CollectSlashList(int first, uint32_t* end, std::vector<int>* entries) {
    entries->assign(1, first);
    size_t next_end = 0;
    while (At(*end) == '/') {
      const int next = x_.alias_trie_.Match(text_, *end + 1, line_end_, &next_end);
      if (next < 0 || next == x_.stop_ || vocab_.entries()[next].is_composite()) break;
      entries->push_back(next);
      *end = next_end;
    }
  }

  // Separators and lead words between the alias and its value. Returns the value position.
  size_t SkipLead(size_t pos, Reading* r) {
    for (int guard = 0; guard < 8; ++guard) {
      size_t p = SkipSpaces(pos);
      while (p < line_end_ && (text_[p] == ':' || text_[p] == '=' || text_[p] == ',' ||
                               text_[p] == ' ' || text_[p] == '#' )) {
        ++p;
      }
      // "(mmol/L)" between the alias and the value.
      size_t unit_end = 0;
      if (At(p) == '(') {
        const Vocabulary::Unit* unit = UnitAt(p + 1, &unit_end);
        if (unit != nullptr && !unit->weak && At(unit_end) == ')') {
          r->unit = unit;
          pos = unit_end + 1;
          continue;
        }
      }
      size_t lead_end = 0;
      const int lead = IsAlpha(At(p)) ? x_.lead_trie_.Match(text_, p, line_end_, &lead_end) : -1;
      if (lead < 0) return p;
      if (kLeads[lead].kind == LeadKind::kTime) r->time_word = kLeads[lead].text;
      if (kLeads[lead].kind == LeadKind::kBaseline) r->qualifier = "baseline";
      pos = lead_end;
    }
    return SkipSpaces(pos);
  }

  size_t ParseComparator(size_t pos, absl::string_view* comparator) const {
    static constexpr absl::string_view kComparators[][2] = {
        {"<=", "<="}, {">=", ">="}, {"\xe2\x89\xa4", "<="}, {"\xe2\x89\xa5", ">="},
        {"<", "<"},   {">", ">"},   {"less than ", "<"},    {"greater than ", ">"},
        {"~", "~"},   {"approximately ", "~"}, {"approx ", "~"}, {"approx. ", "~"},
    };
    if (IsDigit(At(pos))) return pos;  // the common case: no comparator starts with a digit
    for (const auto& c : kComparators) {
      if (BytesAt(pos, c[0])) {
        *comparator = c[1];
        return SkipSpaces(pos + c[0].size());
      }
    }
    return pos;
  }

  // Digits with optional thousands groups and decimals: "126", "1,450", "0.9", ".5".
  // Exact for up to 15 significant digits: integer and fraction digits are accumulated as
  // integers and divided once, which rounds correctly ("0.9" == 9 / 10.0).
  bool ParseNumber(size_t pos, Number* n) const {
    size_t p = pos;
    uint64_t mantissa = 0;
    int digits = 0, int_digits = 0;
    while (p < line_end_ && IsDigit(data_[p])) {
      if (++digits > 15) return false;
      mantissa = mantissa * 10 + (data_[p++] - '0');
    }
    int_digits = digits;
    if (int_digits > 0 && int_digits <= 3) {
      // Thousands groups: "12,400"; "126,128" is not one (checked by the digit count).
      while (At(p) == ',' && IsDigit(At(p + 1)) && IsDigit(At(p + 2)) && IsDigit(At(p + 3)) &&
             !IsDigit(At(p + 4))) {
        for (int i = 1; i <= 3; ++i) mantissa = mantissa * 10 + (data_[p + i] - '0');
        digits += 3;
        p += 4;
      }
    }
    uint64_t scale = 1;
    if (At(p) == '.' && IsDigit(At(p + 1))) {
      ++p;
      while (p < line_end_ && IsDigit(data_[p])) {
        if (++digits > 15) return false;
        mantissa = mantissa * 10 + (data_[p++] - '0');
        scale *= 10;
      }
    }
    if (digits == 0) return false;
    n->value = static_cast<double>(mantissa) / static_cast<double>(scale);
    n->begin = pos;
    n->end = p;
    return true;
  }

  // What is glued to the number decides whether it is a value at all.
  enum class Glue { kNone, kSlash, kRange, kReject };
  Glue GlueAfter(const Number& n, bool composite, const Entry* entry) const {
    const bool allow_range = entry != nullptr && entry->allow_range;
    const size_t p = n.end;
    const char c = At(p);
    if (c == '/' || (c == ' ' && At(SkipSpaces(p)) == '/' && composite)) {
      size_t q = SkipSpaces(c == '/' ? p + 1 : SkipSpaces(p) + 1);
      if (IsDigit(At(q))) return composite ? Glue::kSlash : Glue::kReject;  // a date: "3/12"
      return Glue::kNone;
    }
    if (c == ':' && IsDigit(At(p + 1))) return Glue::kReject;  // a clock time
    if (c == '.' && IsDigit(At(p + 1))) return Glue::kReject;  // "3.12.24", a version
    if (c == '-' && IsDigit(At(p + 1))) {  // phone number, date, or a range
      return allow_range ? Glue::kRange : Glue::kReject;
    }
    if (allow_range && c == ' ') {
      size_t q = SkipSpaces(p);
      if ((At(q) == '-' && IsDigit(At(SkipSpaces(q + 1)))) ||
          (WordAt(q, "to") && IsDigit(At(SkipSpaces(q + 2))))) {
        return Glue::kRange;
      }
    }
    if (IsAlpha(c)) {
      // Letters glued to the number must be a unit of this key: "126mmol/l" is a value,
      // "130s" (a decade), "3rd", "12yo" are not.
      size_t unit_end = 0;
      const Vocabulary::Unit* u = UnitAt(p, &unit_end);
      if (u == nullptr) return Glue::kReject;
      if (u->weak && entry != nullptr && !Vocabulary::IsUnitOf(*entry, *u)) {
        return Glue::kReject;
      }
    }
    return Glue::kNone;
  }

  // Reads the upper bound of "25-30" / "25 to 30" into n (value becomes the midpoint).
  bool ParseRangeTail(Number* n) const {
    size_t p = SkipSpaces(n->end);
    if (At(p) == '-') {
      p = SkipSpaces(p + 1);
    } else if (WordAt(p, "to")) {
      p = SkipSpaces(p + 2);
    } else {
      return false;
    }
    Number hi;
    if (!ParseNumber(p, &hi) || hi.value < n->value) return false;
    n->value = (n->value + hi.value) / 2;
    n->end = hi.end;
    n->has_range = true;
    return true;
  }

  // Unit, flag, reference range, time and oxygen qualifier, in any order, each at most once.
  size_t ParseTail(size_t pos, const Entry* entry, Reading* r) {
    bool unit = r->unit != nullptr, flag = false, range = false, time = false, oxygen = false;
    r->unit_end = pos;
    for (int guard = 0; guard < 6; ++guard) {
      // The end of the line, ", " and the next analyte, ". ": no part of a tail can follow, so
      // skip trying each.
      Follower follower;
      if (EndsAt(pos, &follower)) break;
      size_t unit_end = 0;
      const Vocabulary::Unit* u = unit ? nullptr : UnitAt(follower.at, &unit_end);
      if (u != nullptr) {
        // A weak spelling ("in", "f") is a unit only where it fits the key.
        if (!u->weak || entry == nullptr || Vocabulary::IsUnitOf(*entry, *u)) {
          r->unit = u;
          pos = r->unit_end = unit_end;
          unit = true;
          continue;
        }
      }
      if (!flag) {
        size_t p = ParseFlag(pos, follower, &r->flag);
        if (p != pos) {
          pos = p;
          flag = true;
          continue;
        }
      }
      ReadWords(&follower);
      if (!range && MayBeRefRange(follower)) {
        const size_t range_end = MatchTail(tail::MatchRefRange, pos);
        if (range_end != kNoTail) {
          pos = range_end;
          range = true;
          continue;
        }
      }
      if (!time && MayBeTime(follower) && ParseTime(pos, &pos, &r->time)) {
        time = true;
        continue;
      }
      if (!oxygen && entry != nullptr && entry->oxygen_qualifier && MayBeOxygen(follower)) {
        const tail::OxygenMatch match = tail::MatchOxygen(Line(), pos);
        if (match.end != absl::string_view::npos) {
          const Span support{static_cast<uint32_t>(match.support_begin),
                             static_cast<uint32_t>(match.end)};
          const absl::string_view written = text_.substr(support.begin, support.size());
          r->room_air = written == "ra" || written == "room air";
          r->qualifier_span = support;
          pos = match.end;
          oxygen = true;
          continue;
        }
      }
      break;
    }
    return pos;
  }

  // The flag that `follower`, read at `pos`, starts; returns its end, or `pos` if there is none.
  size_t ParseFlag(size_t pos, const Follower& follower, absl::string_view* flag) const {
    size_t p = follower.at;
    const char open = follower.first;
    switch (open) {  // the first bytes a flag can start with
      case '*': case '!': case '(': case '[': case ',': case 'a': case 'c': case 'h': case 'l':
      case 'p':
        break;
      default:
        return pos;
    }
    if (open == '*' || open == '!') {
      size_t q = p;
      while (At(q) == open) ++q;
      *flag = open == '!' || q - p > 1 ? "critical" : "abnormal";
      return q;
    }
    const bool bracket = open == '(' || open == '[';
    if (bracket) p = SkipSpaces(p + 1);
    // "126 mEq/L, low": a comma may introduce a spelled-out flag.
    const bool comma = open == ',';
    if (comma) p = SkipSpaces(p + 1);
    // The first letters of kFlags: after ", " most often comes the next analyte ("HR 104, RR").
    if (!IsByteOf(At(p), "achlp")) return pos;
    for (const FlagWord& f : kFlags) {
      if (!WordAt(p, f.text)) continue;
      // A bare "a" or "c" after a value is an article or a unit, not a flag.
      if (!bracket && f.text.size() == 1 && f.text != "h" && f.text != "l") continue;
      if (comma && f.text.size() < kMinFlagSizeAfterComma) continue;
      size_t q = p + f.text.size();
      if (bracket) {
        q = SkipSpaces(q);
        if (At(q) != (open == '(' ? ')' : ']')) return pos;
        ++q;
      }
      *flag = f.flag;
      return q;
    }
    return pos;
  }

  bool ParseTime(size_t pos, size_t* end, Span* time) const {
    if (pos > line_end_ || !tail::TimeMayMatchAt(Line(), pos)) return false;  // the common case
    const tail::TimeMatch match = tail::MatchTime(Line(), pos);
    if (match.end == absl::string_view::npos) return false;
    if (match.open && !match.close) return false;
    // Without "(", a ")" after the time closes an enclosing group ("(was 71 kg in August)"):
    // it is left for that group to consume.
    const absl::string_view t = text_.substr(match.time_begin, match.time_end - match.time_begin);
    const char first = t[0];
    const bool month = IsAlpha(first) && !absl::StartsWith(t, "on ") &&
                       !absl::StartsWith(t, "at ") && !absl::StartsWith(t, "in ") &&
                       t != "yesterday" && t != "today" && t != "overnight" &&
                       !absl::StartsWith(t, "this ") && !absl::StartsWith(t, "last ") &&
                       !absl::StartsWith(t, "pre") && !absl::StartsWith(t, "post");
    // "may", "mar" after a value are words unless introduced: "(Aug 3)", "in August".
    if (month && !match.open && match.lead.empty()) return false;
    // A bare 4-digit clock ("0600") only after "at" / "@".
    const bool four = t.size() >= 4 && IsDigit(t[0]) && IsDigit(t[3]) &&
                      (t.size() == 4 || t[4] == 'h');
    if (four && match.lead != "at" && match.lead != "@") return false;
    *time = Span{static_cast<uint32_t>(match.time_begin), static_cast<uint32_t>(match.time_end)};
    *end = match.open ? match.end : match.time_end;
    return true;
  }

  // Candidate value at `pos`: comparator, number, then (unless a "/" follows in a multi-value
  // list) its tail. `end` is where parsing stopped.
  enum class Parsed { kNoNumber, kReject, kSlash, kDone };
  Parsed ParseReading(size_t pos, const Entry* entry, bool multi, Reading* r, size_t* end) {
    pos = ParseComparator(pos, &r->comparator);
    if (!ParseNumber(pos, &r->number)) return Parsed::kNoNumber;
    const Glue glue = GlueAfter(r->number, multi, entry);
    if (glue == Glue::kReject) return Parsed::kReject;
    if (glue == Glue::kRange && !ParseRangeTail(&r->number)) return Parsed::kReject;
    if (r->number.has_range) r->qualifier = "range";
    if (glue == Glue::kSlash) {
      r->unit_end = r->number.end;
      size_t p = SkipSpaces(r->number.end);
      *end = SkipSpaces(p + 1);  // past the "/"
      return Parsed::kSlash;
    }
    *end = ParseTail(r->number.end, entry, r);
    r->unit_end = std::max<uint32_t>(r->unit_end, r->number.end);
    return Parsed::kDone;
  }

  // Parses the measurement whose alias is [begin, end). Returns the end of what it consumed.
  uint32_t ParseAt(int entry_index, uint32_t begin, uint32_t end) {
    const Entry& entry = vocab_.entries()[entry_index];
    std::vector<int>& keys = keys_;
    if (entry.is_composite()) {
      keys = entry.components;
    } else {
      CollectSlashList(entry_index, &end, &keys);
    }
    const bool multi = keys.size() > 1;
    Reading lead;
    size_t pos = SkipLead(end, &lead);
    readings_.clear();
    Parsed parsed = Parsed::kNoNumber;
    for (size_t i = 0; i < keys.size(); ++i) {
      Reading r;
      r.time_word = lead.time_word;
      if (i == 0) r.qualifier = lead.qualifier;
      if (!multi) r.unit = lead.unit;
      size_t next = pos;
      parsed = ParseReading(pos, &vocab_.entries()[keys[i]], multi, &r, &next);
      if (parsed == Parsed::kNoNumber) return end;
      if (parsed == Parsed::kReject) {
        Drop(entry.key, begin, r.number.end, "not a measurement (date, clock time, range or phone)");
        return std::max<uint32_t>(end, r.number.end);
      }
      readings_.push_back(std::move(r));
      pos = next;
      if (parsed == Parsed::kDone) break;
    }
    if (!readings_.front().comparator.empty() && ThresholdContext(begin)) {
      // "transfuse for Hgb < 7", "prn T > 38.5", "hold for BP < 90/50": an order's threshold,
      // not a result.
      Drop(entry.key, begin, pos, "a threshold in an order or goal, not a result");
      return pos;
    }
    if (multi) {
      const size_t needed = entry.is_composite() ? entry.min_components : keys.size();
      // More values than keys ("na/k 138/4.1/101") or fewer than needed: the columns do not
      // line up, so no value is trusted.
      if (parsed != Parsed::kDone || readings_.size() < needed) {
        Drop(entry.key, begin, pos, "values do not line up with the keys");
        return pos;
      }
      // A tail written once after the last value ("84/46 mmHg", "on 3/1") applies to all.
      const Reading& tail = readings_.back();
      for (size_t i = 0; i + 1 < readings_.size(); ++i) {
        Reading& r = readings_[i];
        r.time = tail.time;
        if (entry.is_composite()) {
          r.unit = tail.unit;
          r.flag = tail.flag;
        }
      }
      const Span whole{begin, static_cast<uint32_t>(pos)};
      for (size_t i = 0; i < readings_.size(); ++i) {
        const Entry& component = vocab_.entries()[keys[i]];
        if (!DroppedAsAnotherThing(component, begin, pos)) {
          Emit(component, readings_[i], whole, 0);
        }
      }
      return pos;
    }
    if (DroppedAsAnotherThing(entry, begin, pos)) return pos;
    return ParseTrend(entry, begin, pos);
  }

  // True if a word that introduces a threshold stands shortly before the alias on its line.
  bool ThresholdContext(uint32_t alias_begin) const {
    static constexpr absl::string_view kWords[] = {
        "for", "keep", "goal", "target", "maintain", "if", "prn", "until", "hold", "titrate",
        "notify", "call", "when", "unless", "while", "parameters",
    };
    bool found = false;
    ForEachWordBefore(alias_begin, kThresholdWordReach, [&](absl::string_view word) {
      found = found || std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords);
    });
    return found;
  }

  // Calls `visit` with each word (run of letters and digits) of the alias's line within `reach`
  // bytes before it, in text order: "(VBG) pH 7.31, pO2 38" gives "vbg", "ph", "7", "31".
  template <typename Visit>
  void ForEachWordBefore(uint32_t alias_begin, uint32_t reach, Visit visit) const {
    const size_t line_start = alias_begin == 0 ? 0 : text_.rfind('\n', alias_begin - 1) + 1;
    const size_t from = alias_begin > line_start + reach ? alias_begin - reach : line_start;
    size_t word_begin = from;
    for (size_t p = from; p <= alias_begin; ++p) {
      if (p < alias_begin && absl::ascii_isalnum(static_cast<unsigned char>(data_[p]))) continue;
      if (p > word_begin) visit(absl::string_view(data_ + word_begin, p - word_begin));
      word_begin = p + 1;
    }
  }

  // The word (letters and digits) at `pos`: an alias's first ("arterial" of "arterial po2",
  // "pao2"), or the one after a value ("vbg" of "38 (VBG)").
  absl::string_view FirstWordAt(size_t pos) const {
    size_t end = pos;
    while (end < text_.size() && absl::ascii_isalnum(static_cast<unsigned char>(data_[end]))) {
      ++end;
    }
    return text_.substr(pos, end - pos);
  }

  // True, after dropping it, if the value of `entry` written at `alias_begin` and ending at
  // `end` follows one of the entry's not_after words with none of its unless_after words
  // between or as the alias itself ("vbg" before "pO2 38", but not before "ABG PaO2 55" or
  // "PaO2 55"), or is followed by one ("pO2 38 (VBG)").
  bool DroppedAsAnotherThing(const Entry& entry, uint32_t alias_begin, uint32_t end) {
    if (entry.not_after.empty()) return false;
    auto listed = [](const std::vector<std::string>& words, absl::string_view w) {
      return std::find(words.begin(), words.end(), w) != words.end();
    };
    if (listed(entry.unless_after, FirstWordAt(alias_begin))) return false;
    absl::string_view word;  // the latest not_after word, unless cancelled since
    ForEachWordBefore(alias_begin, kNotAfterReach, [&](absl::string_view w) {
      if (listed(entry.not_after, w)) {
        word = w;
      } else if (listed(entry.unless_after, w)) {
        word = absl::string_view();
      }
    });
    absl::string_view reason = "written after \"";
    if (word.empty()) {
      // Or named right after the value: "pO2 38 (VBG)".
      size_t after = SkipSpaces(end);
      if (At(after) == '(') ++after;
      word = FirstWordAt(after);
      if (!listed(entry.not_after, word)) return false;
      reason = "followed by \"";
    }
    if (dropped_ != nullptr) Drop(entry.key, alias_begin, end, absl::StrCat(reason, word, "\""));
    return true;
  }

  // The groups of kEarlierPattern and kArrowPattern are read off their whole match (the hand
  // matchers give only its end). Each reading relies on the shape of its pattern.

  // [begin, end) without the spaces around it; kArrowPattern's group is its match so trimmed.
  absl::string_view TrimSpaces(size_t begin, size_t end) const {
    begin = SkipSpaces(begin);
    while (end > begin && text_[end - 1] == ' ') --end;
    return text_.substr(begin, end - begin);
  }

  // kEarlierPattern's groups within its match [begin, end): spaces, an optional opener "(", "[",
  // "," or ";", spaces, the phrase ("baseline of"), then spaces and colons.
  struct EarlierIntro {
    bool bracket = false;  // the opener is "(" or "["
    absl::string_view phrase;
  };
  EarlierIntro ReadEarlierIntro(size_t begin, size_t end) const {
    EarlierIntro intro;
    size_t p = SkipSpaces(begin);
    if (IsByteOf(At(p), "([,;")) {
      intro.bracket = At(p) == '(' || At(p) == '[';
      p = SkipSpaces(p + 1);
    }
    while (end > p && (text_[end - 1] == ' ' || text_[end - 1] == ':')) --end;
    intro.phrase = text_.substr(p, end - p);
    return intro;
  }

  uint32_t ParseTrend(const Entry& entry, uint32_t begin, size_t pos) {
    // readings_ holds the first value; `earlier` collects values written as older.
    std::vector<Reading>& chain = readings_;
    enum Direction { kUnknown, kForward, kBackward } direction = kUnknown;
    for (int guard = 0; guard < 8; ++guard) {
      Follower follower;
      if (EndsAt(pos, &follower)) break;
      ReadWords(&follower);
      Reading r;
      size_t next = pos;
      const size_t earlier_end =
          MayBeEarlier(follower) ? MatchTail(tail::MatchEarlier, pos) : kNoTail;
      if (earlier_end != kNoTail) {
        if (ParseReading(earlier_end, &entry, false, &r, &next) == Parsed::kDone) {
          const EarlierIntro intro = ReadEarlierIntro(pos, earlier_end);
          if (intro.bracket) {
            next = SkipSpaces(next);
            if (At(next) == ')' || At(next) == ']') ++next;
          }
          if (absl::StrContains(intro.phrase, "baseline") || intro.phrase == "bl") {
            r.qualifier = "baseline";
          }
          chain.insert(chain.begin(), std::move(r));
          pos = next;
          continue;
        }
        r = Reading();
      }
      const size_t arrow_end = MayBeArrow(follower) ? MatchTail(tail::MatchArrow, pos) : kNoTail;
      if (arrow_end != kNoTail) {
        const absl::string_view arrow = TrimSpaces(pos, arrow_end);
        const bool back = arrow == "<-" || arrow == "<--" || arrow == "\xe2\x86\x90";
        Direction d = back ? kBackward : kForward;
        if (direction != kUnknown && d != direction) break;
        if (ParseReading(arrow_end, &entry, false, &r, &next) == Parsed::kDone) {
          direction = d;
          if (back) {
            chain.insert(chain.begin(), std::move(r));
          } else {
            chain.push_back(std::move(r));
          }
          pos = next;
          continue;
        }
      }
      break;
    }
    const Span whole{begin, static_cast<uint32_t>(pos)};
    for (size_t i = 0; i < chain.size(); ++i) {
      Emit(entry, chain[i], whole, chain.size() > 1 ? static_cast<uint32_t>(i) : 0);
    }
    return pos;
  }

  // note_.SectionAt(offset), by a step along the sections from the previous call rather than
  // a binary search per value: values are emitted in text order (an earlier offset, which
  // does not happen, would get the binary search).
  SectionKind SectionOf(uint32_t offset) {
    const std::vector<Section>& sections = note_.sections;
    if (offset < last_section_offset_) return note_.SectionAt(offset);
    last_section_offset_ = offset;
    while (next_section_ < sections.size() && sections[next_section_].begin() <= offset) {
      ++next_section_;
    }
    return next_section_ == 0 ? SectionKind::kUnknown : sections[next_section_ - 1].kind;
  }

  // note_.normalized.ToOriginal, without the call for a note whose normalized offsets are its
  // original ones (most notes), where it was a tenth of writing a value.
  Span ToOriginal(uint32_t begin, uint32_t end) const {
    if (identity_ && begin < end) return Span{begin, end};
    return note_.normalized.ToOriginal(begin, end);
  }

  void Emit(const Entry& entry, const Reading& r, Span whole_norm, uint32_t trend_position) {
    if (!x_.wanted_[&entry - vocab_.entries().data()]) return;
    const Span whole = ToOriginal(whole_norm.begin, whole_norm.end);
    const Span written = ToOriginal(r.number.begin, r.unit_end);
    // A weak spelling that does not fit the key is read as no unit.
    const Vocabulary::Unit* unit = r.unit;
    if (unit != nullptr && unit->weak && !Vocabulary::IsUnitOf(entry, *unit)) unit = nullptr;
    const std::optional<double> value = Vocabulary::CanonicalValue(entry, r.number.value, unit);
    if (!value.has_value()) {
      if (dropped_ != nullptr) {  // the reason is formatted only for a reader
        const absl::string_view unit_name = unit == nullptr ? "" : unit->name;
        const absl::Status why = vocab_.Canonicalize(entry, r.number.value, unit_name).status();
        Drop(entry.key, whole_norm.begin, whole_norm.end, why.message(), written);
      }
      return;
    }
    MeasurementRecord fact;
    fact.span = whole;
    fact.text = original_.substr(whole.begin, whole.size());
    fact.section = ToProto(SectionOf(whole_norm.begin));
    fact.key = entry.key;
    fact.value = *value;
    fact.unit = entry.canonical_unit;
    if (!r.time.empty()) {
      const Span t = ToOriginal(r.time.begin, r.time.end);
      fact.time = original_.substr(t.begin, t.size());
    } else if (!r.time_word.empty()) {
      fact.time = r.time_word;
    }
    fact.trend_position = trend_position;
    fact.flag = r.flag;
    // Views, like the record's other fields; a string only when two parts are joined.
    std::string joined;
    fact.qualifier = r.comparator;
    if (r.room_air) {
      fact.qualifier = "room air";
    } else if (!r.qualifier_span.empty()) {
      const Span q = ToOriginal(r.qualifier_span.begin, r.qualifier_span.end);
      fact.qualifier = original_.substr(q.begin, q.size());
    } else if (!r.qualifier.empty()) {
      if (r.comparator.empty()) {
        fact.qualifier = r.qualifier;
      } else {
        joined = absl::StrCat(r.comparator, " ", r.qualifier);
        fact.qualifier = joined;
      }
    }
    fact.as_written = original_.substr(written.begin, written.size());
    out_->AddMeasurement(fact);
  }

  // `reason` is a view so that the scan, which keeps no dropped values, builds no string.
  void Drop(absl::string_view key, uint32_t begin, uint32_t end, absl::string_view reason,
            Span written = Span{}) {
    if (dropped_ == nullptr) return;
    const Span whole = note_.normalized.ToOriginal(begin, std::max(begin, end));
    DroppedMeasurement d;
    d.key = std::string(key);
    d.span = whole;
    d.as_written = written.empty() ? std::string(original_.substr(whole.begin, whole.size()))
                                   : std::string(original_.substr(written.begin, written.size()));
    d.reason = std::string(reason);
    dropped_->push_back(std::move(d));
  }

  const Extractor& x_;
  const Vocabulary& vocab_;
  absl::string_view original_;
  const AnalyzedNote& note_;
  absl::string_view text_;
  // text_'s bytes, for the parsing helpers that have just checked the position against
  // line_end_ (absl's hardened string_view would check it again on every byte).
  const char* data_;
  FactWriter* out_;
  std::vector<DroppedMeasurement>* dropped_;
  const bool identity_;  // note_.normalized.IsIdentity()
  size_t line_end_ = 0;
  // For NextCandidateWord: the first digit and the first line break at or after some position
  // at or before the word it looks at, so also the first at or after that word when they are
  // not before it (and searched again when they are).
  size_t next_digit_;
  size_t next_newline_;
  std::vector<int>& keys_;
  std::vector<Reading>& readings_;
  size_t known_end_ = absl::string_view::npos;  // for EndsAt
  // For SectionOf: the first section that starts after the last offset asked about.
  size_t next_section_ = 0;
  uint32_t last_section_offset_ = 0;
};

void Extractor::Extract(absl::string_view original_text, const AnalyzedNote& note,
                        FactWriter* out, std::vector<DroppedMeasurement>* dropped) const {
  thread_local ScanBuffers buffers;
  NoteScan(*this, original_text, note, out, dropped, &buffers).Run();
}

}  // namespace

const MeasurementExtractor& MeasurementExtractor::Default() {
  static const Extractor* const kDefault = new Extractor(Vocabulary::Default(), nullptr);
  return *kDefault;
}

std::unique_ptr<const MeasurementExtractor> MeasurementExtractor::ForKeys(
    const absl::flat_hash_set<std::string>& keys) {
  return std::make_unique<Extractor>(Vocabulary::Default(), &keys);
}

}  // namespace cdiscan::nlp
