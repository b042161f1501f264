#include "nlp/context.h"

#include <algorithm>
#include <tuple>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nlp/lexicon.h"
#include "nlp/tokenizer.h"

namespace cdiscan::nlp {
namespace {

enum class Category : uint8_t {
  kNegated,
  kPossible,
  kHistorical,
  kHypothetical,
  kOther,
  kPseudo,
  kTerminate,
};

// The three independent questions ConText answers; a trigger answers one of them.
enum Axis : uint8_t { kNegationAxis = 0, kTemporalityAxis, kExperiencerAxis, kNoAxis };

Axis AxisOf(Category c) {
  switch (c) {
    case Category::kNegated:
    case Category::kPossible:
      return kNegationAxis;
    case Category::kHistorical:
    case Category::kHypothetical:
      return kTemporalityAxis;
    case Category::kOther:
      return kExperiencerAxis;
    default:
      return kNoAxis;
  }
}

enum Direction : uint8_t { kNone = 0, kForward = 1, kBackward = 2, kBoth = 3 };

constexpr int kDefaultForwardWindow = 8;
constexpr int kDefaultBackwardWindow = 5;
constexpr uint32_t kUnknownWord = UINT32_MAX;
// In a phrase, matches a calendar year ("in <year>" -> "in 2015").
constexpr absl::string_view kYearWord = "<year>";

bool IsYear(absl::string_view word) {
  if (word.size() != 4) return false;
  for (char c : word) {
    if (c < '0' || c > '9') return false;
  }
  return word[0] == '1' ? word[1] == '9' : (word[0] == '2' && word[1] == '0');
}

struct Trigger {
  std::vector<uint32_t> words;  // vocabulary ids
  Category category;
  Direction direction;
  int window;
};

// A trigger that starts at `token` and ends before token `end`.
struct Candidate {
  uint32_t token;
  uint32_t end;
  uint32_t trigger;
};

// A trigger found in a sentence for one target, over tokens [begin, end).
struct Match {
  uint32_t begin;
  uint32_t end;
  uint32_t trigger;
};

// Per assessment: the triggers chosen for this target.
struct Scratch {
  std::vector<Match> matches;
  std::vector<int32_t> match_of_token;  // index into matches, or -1
};

absl::StatusOr<Category> ParseCategory(absl::string_view s) {
  if (s == "NEGATED") return Category::kNegated;
  if (s == "POSSIBLE") return Category::kPossible;
  if (s == "HISTORICAL") return Category::kHistorical;
  if (s == "HYPOTHETICAL") return Category::kHypothetical;
  if (s == "OTHER") return Category::kOther;
  if (s == "PSEUDO") return Category::kPseudo;
  if (s == "TERMINATE") return Category::kTerminate;
  return absl::InvalidArgumentError(absl::StrCat("unknown category '", s, "'"));
}

absl::StatusOr<Direction> ParseDirection(absl::string_view s) {
  if (s == "forward") return kForward;
  if (s == "backward") return kBackward;
  if (s == "both") return kBoth;
  if (s == "none") return kNone;
  return absl::InvalidArgumentError(absl::StrCat("unknown direction '", s, "'"));
}

// Expands the phrase syntax ("(a|b c)? d") into every token sequence it stands for.
absl::StatusOr<std::vector<std::vector<std::string>>> ExpandPhrase(absl::string_view phrase,
                                                                   const Tokenizer& tokenizer) {
  // Each item is a list of alternatives; each alternative a token sequence.
  std::vector<std::vector<std::vector<std::string>>> items;
  std::vector<Token> tokens;
  auto tokenize = [&](absl::string_view text) {
    std::vector<std::string> words;
    if (text == kYearWord) return std::vector<std::string>{std::string(kYearWord)};
    tokenizer.Tokenize(text, &tokens);
    for (const Token& t : tokens) words.emplace_back(text.substr(t.span.begin, t.span.size()));
    return words;
  };
  size_t i = 0;
  while (i < phrase.size()) {
    if (phrase[i] == ' ') {
      ++i;
      continue;
    }
    std::vector<std::vector<std::string>> alternatives;
    size_t end;
    if (phrase[i] == '(') {
      size_t close = phrase.find(')', i);
      if (close == absl::string_view::npos) {
        return absl::InvalidArgumentError("unbalanced '(' in phrase");
      }
      if (phrase.substr(i + 1, close - i - 1).find('(') != absl::string_view::npos) {
        return absl::InvalidArgumentError("nested '(' in phrase");
      }
      for (absl::string_view alt : absl::StrSplit(phrase.substr(i + 1, close - i - 1), '|')) {
        alternatives.push_back(tokenize(alt));
      }
      end = close + 1;
    } else {
      end = phrase.find(' ', i);
      if (end == absl::string_view::npos) end = phrase.size();
      absl::string_view word = phrase.substr(i, end - i);
      bool optional_word = word.size() > 1 && word.back() == '?';
      if (optional_word) {
        word.remove_suffix(1);
        --end;  // leaves `end` on the '?' so the check below sees it
      }
      alternatives.push_back(tokenize(word));
    }
    const bool optional = end < phrase.size() && phrase[end] == '?';
    if (optional) {
      alternatives.push_back({});
      ++end;
    }
    items.push_back(std::move(alternatives));
    i = end;
  }
  std::vector<std::vector<std::string>> expanded = {{}};
  for (const auto& alternatives : items) {
    std::vector<std::vector<std::string>> next;
    for (const auto& prefix : expanded) {
      for (const auto& alt : alternatives) {
        std::vector<std::string> seq = prefix;
        seq.insert(seq.end(), alt.begin(), alt.end());
        next.push_back(std::move(seq));
      }
    }
    expanded = std::move(next);
  }
  expanded.erase(std::remove_if(expanded.begin(), expanded.end(),
                                [](const auto& seq) { return seq.empty(); }),
                 expanded.end());
  return expanded;
}

// What the sentence itself says about the target, axis by axis.
struct SentenceCues {
  Assertion assertion;
  bool has_negation = false;
  bool has_temporality = false;
  bool has_experiencer = false;
};

}  // namespace

// What ConText needs to know about a sentence whatever the target: its tokens, their
// vocabulary ids, and every trigger that could match there.
struct SentenceTokens {
  std::vector<Token> tokens;
  std::vector<uint32_t> ids;
  std::vector<Candidate> candidates;  // by token, then by end (shortest first)
};

// A note's mentions revisit the same sentences (several terms in one sentence, then its
// treatments); tokenizing was half the cost of an assessment, so it is done once per sentence
// of the note. Entries are reused after Clear: no allocation once warm.
struct ContextCache::Impl {
  // The analyzer whose trigger ids the entries hold; another one starts the cache afresh.
  const void* owner = nullptr;
  // Sentences are views into the note's normalized text, which stays put until Clear: the
  // view itself is the key.
  absl::flat_hash_map<std::pair<const char*, size_t>, uint32_t> index;
  std::vector<SentenceTokens> entries;
  uint32_t used = 0;

  // The entry for `sentence`, and whether it was there already (if not, the caller fills it).
  std::pair<SentenceTokens*, bool> Find(absl::string_view sentence) {
    auto [it, added] = index.try_emplace({sentence.data(), sentence.size()}, used);
    if (!added) return {&entries[it->second], true};
    if (used == entries.size()) entries.emplace_back();
    return {&entries[used++], false};
  }
};

ContextCache::ContextCache() = default;  // Get() makes the entries on first use
ContextCache::~ContextCache() = default;
ContextCache::ContextCache(ContextCache&&) noexcept = default;
ContextCache& ContextCache::operator=(ContextCache&&) noexcept = default;

void ContextCache::Clear() {
  if (impl_ == nullptr) return;  // moved from: Get() makes a new one
  impl_->index.clear();
  impl_->used = 0;
}

ContextCache::Impl& ContextCache::Get(const void* owner) {
  if (impl_ == nullptr) impl_ = std::make_unique<Impl>();
  if (impl_->owner != owner) {
    Clear();
    impl_->owner = owner;
  }
  return *impl_;
}

// Hashes the vocabulary's words inline: abseil's string hash is an out-of-line call that cost
// more than the probe itself for the short words tokens are (every token of a sentence is
// looked up). FNV-1a, then a multiply so that the high bits, which pick the group, mix too.
struct WordHash {
  using is_transparent = void;
  size_t operator()(absl::string_view word) const {
    uint64_t h = 0xcbf29ce484222325u;
    for (char c : word) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3u;
    h *= 0x9e3779b97f4a7c15u;
    return static_cast<size_t>(h ^ (h >> 32));
  }
};
struct WordEq {
  using is_transparent = void;
  bool operator()(absl::string_view a, absl::string_view b) const { return a == b; }
};

struct ContextAnalyzer::Impl {
  Tokenizer tokenizer;
  absl::flat_hash_map<std::string, uint32_t, WordHash, WordEq> vocabulary;
  std::vector<Trigger> triggers;
  // The trigger phrases as a trie over vocabulary ids: node 0 is the root; the child of node n
  // by word w is children[n << 32 | w]. Walking it from a token finds the longest trigger
  // there in one hash lookup per word, instead of comparing every trigger that starts with
  // the word ("no" starts dozens). The root's children, where every walk starts, are a plain
  // array by word id instead (0: none, since the root is nobody's child).
  std::vector<uint32_t> root_children;
  absl::flat_hash_map<uint64_t, uint32_t> children;
  std::vector<int32_t> trigger_at;  // per node: the trigger ending there, or -1
  uint32_t comma = kUnknownWord;
  uint32_t year = kUnknownWord;

  uint32_t Intern(const std::string& word) {
    auto [it, inserted] = vocabulary.emplace(word, static_cast<uint32_t>(vocabulary.size()));
    return it->second;
  }

  absl::Status Load(absl::string_view tsv) {
    absl::flat_hash_map<std::vector<uint32_t>, size_t> seen;
    for (const LexiconLine& line : ParseTsv(tsv)) {
      auto error = [&](absl::string_view what) {
        return absl::InvalidArgumentError(
            absl::StrCat("context lexicon line ", line.line_number, ": ", what));
      };
      if (line.fields.size() < 3) return error("expected phrase, category, direction");
      absl::StatusOr<Category> category = ParseCategory(line.fields[1]);
      if (!category.ok()) return error(category.status().message());
      absl::StatusOr<Direction> direction = ParseDirection(line.fields[2]);
      if (!direction.ok()) return error(direction.status().message());
      int window = (*direction & kForward) ? kDefaultForwardWindow : kDefaultBackwardWindow;
      if (line.fields.size() > 3 && !line.fields[3].empty() &&
          !absl::SimpleAtoi(line.fields[3], &window)) {
        return error("window is not a number");
      }
      absl::StatusOr<std::vector<std::vector<std::string>>> sequences =
          ExpandPhrase(line.fields[0], tokenizer);
      if (!sequences.ok()) return error(sequences.status().message());
      if (sequences->empty()) return error("empty phrase");
      for (const auto& sequence : *sequences) {
        Trigger trigger{{}, *category, *direction, window};
        for (const std::string& word : sequence) trigger.words.push_back(Intern(word));
        // The same phrase listed again with the same category and another direction ("ruled
        // out" forward and backward) widens the first entry; with another category the first
        // entry wins, so put the more specific reading first.
        auto [it, inserted] = seen.emplace(trigger.words, triggers.size());
        if (!inserted) {
          Trigger& first = triggers[it->second];
          if (first.category == trigger.category) {
            first.direction = static_cast<Direction>(first.direction | trigger.direction);
            first.window = std::max(first.window, trigger.window);
          }
          continue;
        }
        triggers.push_back(std::move(trigger));
      }
    }
    trigger_at.assign(1, -1);
    for (uint32_t i = 0; i < triggers.size(); ++i) AddToTrie(i);
    auto it = vocabulary.find(",");
    if (it != vocabulary.end()) comma = it->second;
    it = vocabulary.find(kYearWord);
    if (it != vocabulary.end()) year = it->second;
    return absl::OkStatus();
  }

  // Phrases are unique after Load's merging, so no two triggers end at one node.
  void AddToTrie(uint32_t trigger) {
    uint32_t node = 0;
    for (uint32_t word : triggers[trigger].words) {
      const uint32_t next = static_cast<uint32_t>(trigger_at.size());
      if (node == 0) {
        if (word >= root_children.size()) root_children.resize(word + 1, 0);
        if (root_children[word] == 0) {
          root_children[word] = next;
          trigger_at.push_back(-1);
        }
        node = root_children[word];
        continue;
      }
      auto [it, added] = children.try_emplace(uint64_t{node} << 32 | word, next);
      if (added) trigger_at.push_back(-1);
      node = it->second;
    }
    trigger_at[node] = static_cast<int32_t>(trigger);
  }

  // Tokenizes `sentence` into `out` and lists every trigger that starts at each token.
  void Prepare(absl::string_view sentence, SentenceTokens* out) const {
    tokenizer.Tokenize(sentence, &out->tokens);
    const uint32_t n = static_cast<uint32_t>(out->tokens.size());
    out->ids.resize(n);
    for (uint32_t i = 0; i < n; ++i) {
      const Span& span = out->tokens[i].span;
      // Spans are in bounds: no need for substr's check.
      const absl::string_view word(sentence.data() + span.begin, span.size());
      auto it = vocabulary.find(word);
      out->ids[i] = it != vocabulary.end() ? it->second
                    : (out->tokens[i].kind == TokenKind::kNumber && IsYear(word)) ? year
                                                                                  : kUnknownWord;
    }
    out->candidates.clear();
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t first = out->ids[i];
      if (first >= root_children.size() || root_children[first] == 0) continue;
      uint32_t node = root_children[first];
      for (uint32_t k = i;;) {
        if (trigger_at[node] >= 0) {
          out->candidates.push_back({i, k + 1, static_cast<uint32_t>(trigger_at[node])});
        }
        if (++k == n || out->ids[k] == kUnknownWord) break;
        auto child = children.find(uint64_t{node} << 32 | out->ids[k]);
        if (child == children.end()) break;
        node = child->second;
      }
    }
  }

  // Chooses trigger matches left to right, longest first, never inside the target tokens.
  void FindMatches(const SentenceTokens& t, uint32_t target_begin, uint32_t target_end,
                   Scratch& s) const {
    const uint32_t n = static_cast<uint32_t>(t.tokens.size());
    s.matches.clear();
    s.match_of_token.assign(n, -1);
    uint32_t free_from = 0;  // tokens before it belong to the previous match
    const std::vector<Candidate>& candidates = t.candidates;
    for (size_t first = 0; first < candidates.size();) {
      const uint32_t i = candidates[first].token;
      size_t last = first;  // candidates [first, last) start at token i
      while (last < candidates.size() && candidates[last].token == i) ++last;
      const bool in_target = i >= target_begin && i < target_end;
      if (i >= free_from && !in_target) {
        // A trigger starting before the target must end before it (it would swallow it).
        const uint32_t limit = i < target_begin ? target_begin : n;
        for (size_t c = last; c-- > first;) {
          if (candidates[c].end > limit) continue;
          for (uint32_t k = i; k < candidates[c].end; ++k) {
            s.match_of_token[k] = static_cast<int32_t>(s.matches.size());
          }
          s.matches.push_back(Match{i, candidates[c].end, candidates[c].trigger});
          free_from = candidates[c].end;
          break;
        }
      }
      first = last;
    }
  }

  // True if the scope of `m` (axis `axis`) reaches across tokens [from, to) without hitting a
  // clause boundary, another trigger of its axis, a new trigger after a comma, or running past
  // its window. Words are counted from the last comma, so lists ("no fever, chills, or cough")
  // carry the scope along.
  bool ScopeReaches(const SentenceTokens& t, const Scratch& s, const Match& m, uint32_t from,
                    uint32_t to, bool backward) const {
    const Trigger& trigger = triggers[m.trigger];
    const Axis axis = AxisOf(trigger.category);
    // A two-way trigger followed by a word modifies that word ("hyponatremia, likely SIADH"):
    // looking back it must not reach across a comma.
    const bool stop_at_comma = backward && trigger.direction == kBoth && m.end < t.ids.size() &&
                               t.tokens[m.end].kind != TokenKind::kPunct;
    int words = 0;
    bool after_comma = false;
    // A trigger of another axis before the comma means the scope is in a clause of its own
    // ("sepsis improving, if cultures negative ..."): it does not carry across the comma.
    bool crossed_trigger = false;
    for (uint32_t step = 0; step < to - from; ++step) {
      const uint32_t k = backward ? to - 1 - step : from + step;
      int32_t other = s.match_of_token[k];
      if (other >= 0) {
        const Trigger& t = triggers[s.matches[other].trigger];
        if (t.category == Category::kTerminate) return false;
        const Axis other_axis = AxisOf(t.category);
        if (other_axis == axis) return false;
        if (other_axis != kNoAxis && after_comma) return false;
        if (other_axis != kNoAxis) crossed_trigger = true;
      }
      if (t.ids[k] == comma && comma != kUnknownWord) {
        if (stop_at_comma || crossed_trigger) return false;
        words = 0;
        after_comma = true;
        continue;
      }
      if (t.tokens[k].kind != TokenKind::kPunct && ++words > trigger.window) return false;
    }
    return true;
  }

  SentenceCues Run(absl::string_view sentence, Span target, ContextCache* cache) const {
    thread_local Scratch s;
    thread_local SentenceTokens uncached;
    SentenceTokens* tokens = &uncached;
    bool known = false;
    if (cache != nullptr) std::tie(tokens, known) = cache->Get(this).Find(sentence);
    if (!known) Prepare(sentence, tokens);
    const SentenceTokens& t = *tokens;
    const uint32_t n = static_cast<uint32_t>(t.tokens.size());
    uint32_t target_begin = n, target_end = n;
    for (uint32_t i = 0; i < n; ++i) {
      const Span& span = t.tokens[i].span;
      if (target_begin == n && span.end > target.begin) target_begin = i;
      if (span.begin < target.end) target_end = i + 1;
    }
    if (target_end < target_begin) target_end = target_begin;
    FindMatches(t, target_begin, target_end, s);

    SentenceCues cues;
    // Per axis, the nearest trigger whose scope covers the target.
    uint32_t best_distance[3] = {UINT32_MAX, UINT32_MAX, UINT32_MAX};
    Category best[3] = {Category::kPseudo, Category::kPseudo, Category::kPseudo};
    for (const Match& m : s.matches) {
      const Trigger& trigger = triggers[m.trigger];
      const Axis axis = AxisOf(trigger.category);
      if (axis == kNoAxis) continue;
      uint32_t distance = UINT32_MAX;
      if ((trigger.direction & kForward) && m.end <= target_begin &&
          ScopeReaches(t, s, m, m.end, target_begin, /*backward=*/false)) {
        distance = target_begin - m.end;
      } else if ((trigger.direction & kBackward) && m.begin >= target_end &&
                 ScopeReaches(t, s, m, target_end, m.begin, /*backward=*/true)) {
        distance = m.begin - target_end;
      }
      if (distance < best_distance[axis]) {
        best_distance[axis] = distance;
        best[axis] = trigger.category;
      }
    }
    if (best_distance[kNegationAxis] != UINT32_MAX) {
      cues.has_negation = true;
      cues.assertion.negation =
          best[kNegationAxis] == Category::kNegated ? Negation::kNegated : Negation::kPossible;
    }
    if (best_distance[kTemporalityAxis] != UINT32_MAX) {
      cues.has_temporality = true;
      cues.assertion.temporality = best[kTemporalityAxis] == Category::kHistorical
                                       ? Temporality::kHistorical
                                       : Temporality::kHypothetical;
    }
    if (best_distance[kExperiencerAxis] != UINT32_MAX) {
      cues.has_experiencer = true;
      cues.assertion.experiencer = Experiencer::kOther;
    }
    return cues;
  }
};

ContextAnalyzer::ContextAnalyzer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ContextAnalyzer::~ContextAnalyzer() = default;

absl::StatusOr<std::unique_ptr<ContextAnalyzer>> ContextAnalyzer::Create(
    absl::string_view lexicon_tsv) {
  auto impl = std::make_unique<Impl>();
  absl::Status status = impl->Load(lexicon_tsv);
  if (!status.ok()) return status;
  return std::unique_ptr<ContextAnalyzer>(new ContextAnalyzer(std::move(impl)));
}

const ContextAnalyzer& ContextAnalyzer::Default() {
  static const ContextAnalyzer* const analyzer = [] {
    absl::StatusOr<absl::string_view> tsv = EmbeddedLexicon("context_triggers.tsv");
    absl::StatusOr<std::unique_ptr<ContextAnalyzer>> created =
        tsv.ok() ? Create(*tsv) : absl::StatusOr<std::unique_ptr<ContextAnalyzer>>(tsv.status());
    if (!created.ok()) {
      // The bundled lexicon is tested; failing here means a broken build. Degrade to an
      // analyzer without triggers (everything affirmed) rather than crash a night's scan.
      return Create("").value().release();
    }
    return created->release();
  }();
  return *analyzer;
}

Assertion ContextAnalyzer::Assess(absl::string_view sentence, Span target) const {
  return impl_->Run(sentence, target, nullptr).assertion;
}

Assertion ContextAnalyzer::AssessInSection(absl::string_view sentence, Span target,
                                           SectionKind section, ContextCache* cache) const {
  SentenceCues cues = impl_->Run(sentence, target, cache);
  Assertion a = cues.assertion;
  if (!cues.has_experiencer && section == SectionKind::kFamilyHistory) {
    a.experiencer = Experiencer::kOther;
  }
  if (!cues.has_temporality) {
    if (section == SectionKind::kPastMedicalHistory ||
        section == SectionKind::kPastSurgicalHistory) {
      a.temporality = Temporality::kHistorical;
    } else if (section == SectionKind::kPatientInstructions) {
      a.temporality = Temporality::kHypothetical;
    }
  }
  return a;
}

}  // namespace cdiscan::nlp
