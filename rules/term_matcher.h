// One RE2::Set over every term pattern of every rule: a note is scanned once for all of them,
// then only the patterns that matched are located.
//
// Patterns are RE2 over normalized text (lowercase) and match whole words. A match never
// crosses a sentence boundary.
// Thread safety: immutable after Build; Match is const and thread-safe.
#ifndef CDISCAN_RULES_TERM_MATCHER_H_
#define CDISCAN_RULES_TERM_MATCHER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "nlp/fact_writer.h"
#include "nlp/note_analysis.h"
#include "proto/facts.pb.h"
#include "re2/re2.h"
#include "re2/set.h"
#include "rules/required_literal.h"

namespace cdiscan::rules {

// Limits in one place (architecture.md, convention 3).
struct MatcherLimits {
  int64_t max_set_memory_bytes = 64 << 20;
  // A pathological note repeating one term is capped, and the cap is visible in the facts
  // (the last mention of the list carries it), never a silent drop.
  int max_mentions_per_pattern = 200;
  // The set runs over runs of whole sentences of about this many bytes. Each RE2::Set call
  // costs about as much as scanning 200 bytes, so one call per short sentence wastes most of
  // the time; one call per note makes locating what it found scan the whole note. 256 is the
  // measured optimum on dense and narrative notes (docs/architecture.md, "As built").
  uint32_t set_chunk_bytes = 256;
  // A pattern that stands for at most this many plain strings ("(acute )?exacerbation": 2) is
  // located by substring searches instead of an RE2 call, which costs as much as ~10 searches
  // of a run of sentences (rules/literal_expansion.h); strings with a common prefix cost one
  // search. 0: every pattern goes to RE2.
  size_t max_literal_expansion = 32;
  // A gate alternative (below) is located by substring searches only if that takes at most
  // this many searches of a run: one per string, or one for all when they share a prefix.
  // "(?:iv|ivp|intravenous) (?:lasix|furosemide|...)" would take 21, each stopping at every
  // "i" of the run, and costs far less as one RE2 call (32 cost the lab-dense bench note 8%
  // more than 1 to 8 did, which cost alike).
  size_t max_gate_literal_searches = 4;
  // A pattern left to RE2 that has a literal of at least this many bytes at a bounded distance
  // from the start of every match ("edema" in "\\d\\+ (pitting )?edema") is searched by RE2
  // only where that literal occurs, from at most that distance before it
  // (rules/required_literal.h): a memmem finds it far more cheaply than RE2 scans the run, and
  // after the last match of a run, RE2 is not called at all. 0: never. 4 measured better than
  // 3: a 3-byte literal such as "on " is too common in narrative notes to save RE2 anything.
  size_t min_required_literal = 4;
};

struct TermPattern {
  std::string term_list;  // "<rule_id>/documentation", ...
  std::string pattern;    // as authored
};

// A gate is a leftmost-first alternation of another component, searched in the same RE2::Set
// pass so that the note is not scanned again for it (the treatment lexicon): its alternatives,
// in order of preference. It matches as "\b(?:alternatives[0]|alternatives[1]|...)" would
// (no whole-word wrapping beyond that leading \b). It is not a rule term: Match hands back
// where it matched and makes no facts of it.
//
// Each alternative is a set entry of its own and gets the cheapest locator a term pattern
// would (substring searches, a required literal, or RE2; the leading \b checked by hand). In a
// run of sentences, the alternation's next match is the alternatives' leftmost match from a
// word boundary, the earliest alternative's at a tie: leftmost-first takes the leftmost start,
// then the first alternative that matches there, with that alternative's own preferred match,
// because nothing follows the alternation. Only alternatives the set saw in the run are asked.
//
// Precondition: every alternative's matches start with a word byte, and every \b in it follows
// one (true of every treatment fragment). The set reads a run of sentences as a text of its
// own, so a \b at the run's edges sees the text's edges; under this precondition that only
// makes it report more, never fewer, alternatives than the note holds.
// Example: WithGates({Gate{{"po vanc", "vanc", "lasix"}}}) is one gate of three alternatives.
// (A struct, not a bare vector of strings: WithGates({"a", "b"}) must not compile as a vector
// built from two `const char*` iterators.)
struct Gate {
  std::vector<std::string> alternatives;  // in leftmost-first order
};

struct GateMatches {
  // Per gate, in text order: its non-overlapping leftmost-first matches, each within one
  // sentence (normalized offsets), with the alternative that made it (its index in
  // Gate::alternatives). Like term mentions, a gate match never crosses a sentence boundary.
  std::vector<std::vector<nlp::AlternativeMatch>> matches;
};

class TermMatcher {
 public:
  // Errors list every bad pattern with its term list.
  static absl::StatusOr<std::unique_ptr<TermMatcher>> Build(std::vector<TermPattern> patterns,
                                                            MatcherLimits limits = {},
                                                            std::vector<Gate> gates = {});

  // The same term patterns and limits, with `gates` added to the set pass.
  absl::StatusOr<std::unique_ptr<TermMatcher>> WithGates(std::vector<Gate> gates) const;
  // The same patterns and gates under other limits.
  absl::StatusOr<std::unique_ptr<TermMatcher>> WithLimits(MatcherLimits limits) const;

  // Appends a MentionFact for every occurrence of every pattern in `note`, with assertion and
  // section, spans into `original_text`. Occurrences of different patterns of one term list at
  // the same place are reported once. Where the gates matched goes to `gates` (cleared first)
  // when it is not null.
  void Match(absl::string_view original_text, const nlp::AnalyzedNote& note,
             const nlp::NoteAnalyzer& analyzer, nlp::FactWriter* out,
             GateMatches* gates = nullptr) const;
  // As above, as MentionFact messages.
  void Match(absl::string_view original_text, const nlp::AnalyzedNote& note,
             const nlp::NoteAnalyzer& analyzer,
             google::protobuf::RepeatedPtrField<MentionFact>* out,
             GateMatches* gates = nullptr) const {
    nlp::MessageFactWriter writer(out);
    Match(original_text, note, analyzer, &writer, gates);
  }

  size_t size() const { return patterns_.size(); }
  size_t gate_count() const { return gates_.size(); }

  // Term lists are numbered in the order their first pattern was given; a MentionFact carries
  // the number (term_list_id), which is the same for every matcher built from the same
  // patterns (WithGates, WithLimits).
  size_t term_list_count() const { return list_names_.size(); }
  // The name of term list `id` ("<rule_id>/documentation"); empty for an unknown id.
  const std::string& term_list_name(uint32_t id) const;
  // The number of the term list called `name`, or -1 if no pattern belongs to it.
  int64_t TermListId(absl::string_view name) const;

 private:
  // A located occurrence, before it becomes a MentionFact.
  struct Occurrence {
    uint32_t segment;  // sentence (or gap) index: the order mentions are reported in
    int entry;         // for a gate, its first set entry
    uint32_t begin;
    uint32_t end;
    int alternative = 0;  // for a gate, the set entry of the alternative that matched
  };

  // One alternative of a gate being searched in one run of sentences, with its next match
  // from a word boundary as last found (Locate asks from increasing positions, so most of
  // these stay valid from one match of the gate to the next).
  struct GateCandidate {
    int entry;
    uint32_t from = UINT32_MAX;  // searched from here...
    uint32_t limit = 0;          // ...up to here
    bool found = false;
    nlp::Span match;
  };

  TermMatcher() = default;
  // Appends to `found` every occurrence of set entry `entry` in segments [first, last) of
  // `segments`. When `gate_candidates` is not null, `entry` is a gate's first set entry, and
  // the occurrences are the gate's matches, made of the alternatives the set reported in that
  // run (`gate_candidates`, in entry order).
  void Locate(int entry, const std::string& text, const std::vector<nlp::Span>& segments,
              uint32_t first, uint32_t last, std::vector<GateCandidate>* gate_candidates,
              std::vector<Occurrence>* found) const;
  bool IsGate(int entry) const { return entry >= first_gate_entry_; }
  // The leftmost match of set entry `entry` in text[pos, limit), as its locator finds it.
  bool Find(int entry, const std::string& text, uint32_t pos, uint32_t limit,
            nlp::Span* match) const;
  // As Find, for the leftmost match that starts at a word boundary.
  bool FindFromWordBoundary(int entry, const std::string& text, uint32_t pos, uint32_t limit,
                            nlp::Span* match) const;
  // The gate's leftmost-first match in text[pos, limit), of the alternatives `candidates`;
  // `*alternative` is the set entry of the one that made it.
  bool FindInGate(std::vector<GateCandidate>* candidates, const std::string& text, uint32_t pos,
                  uint32_t limit, nlp::Span* match, int* alternative) const;
  // The mention at normalized `mention`, asserted; the caller sets its term list (one span
  // serves every list that matched there).
  static nlp::MentionRecord MakeMention(absl::string_view original_text,
                                        const nlp::AnalyzedNote& note,
                                        const nlp::NoteAnalyzer& analyzer, nlp::Span mention);

  std::vector<TermPattern> patterns_;               // every authored pattern
  // Per distinct pattern (RE2::Set entry), the pattern without its leading \b and without
  // capture groups: RE2 then uses literal-prefix acceleration and a cheaper search; the
  // leading word boundary is checked by hand (IsWordBoundary).
  // Per set entry; the gates' alternatives come last, as given (their leading \b is also
  // checked by hand).
  std::vector<std::unique_ptr<RE2>> locators_;
  // Per set entry: the strings the pattern stands for, if it is that simple ("heart failure",
  // "(acute )?exacerbation": 538 of the library's 609 patterns), which are then located with
  // substring searches, many times cheaper than an RE2 call; else empty (MatcherLimits::
  // max_literal_expansion).
  struct LiteralSet {
    // Where several can match at one place (a gate alternative such as "pressors?"), the
    // first in this order is the one RE2 prefers.
    std::vector<std::string> strings;
    // A match must end at a word boundary: always for a term ("(?:pattern)\b"), for a gate
    // alternative if it ends in \b.
    bool word_end = true;
    // Shared by all strings when there are several and it is long enough to search for
    // ("chronic (systolic |diastolic )?(heart failure|chf|hf)"): one search finds the places
    // where any of them can be, instead of one search per string.
    std::string common_prefix;
  };
  std::vector<LiteralSet> literals_;
  // Per set entry searched by RE2: a literal every match has near its start, if one was found
  // (MatcherLimits::min_required_literal).
  std::vector<std::optional<RequiredLiteral>> required_;
  // The literal set of a term pattern, or of a gate alternative when `gate`; empty if it is
  // to be searched by RE2.
  static LiteralSet MakeLiteralSet(absl::string_view pattern, const MatcherLimits& limits,
                                   bool gate);
  std::vector<std::vector<int>> lists_of_entry_;     // per entry: indexes into patterns_
  std::vector<uint32_t> list_id_;                    // per pattern: its term list's number
  std::vector<std::string> list_names_;              // per term list number: its name
  absl::flat_hash_map<std::string, uint32_t> list_ids_;  // the inverse of list_names_
  std::unique_ptr<RE2::Set> set_;
  std::vector<Gate> gates_;
  int first_gate_entry_ = 0;  // set entries from here on are gate alternatives
  // Per set entry from first_gate_entry_ on: the number of its gate, and its index among the
  // gate's alternatives (a repeated alternative has no entry of its own).
  std::vector<uint32_t> gate_of_entry_;
  std::vector<uint32_t> alternative_of_entry_;
  // Per gate: its first set entry, which its matches are reported under.
  std::vector<int> first_entry_of_gate_;
  MatcherLimits limits_;
};

// Wraps an authored pattern for whole-word matching.
std::string WholeWordPattern(absl::string_view pattern);

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_TERM_MATCHER_H_
