#include "rules/term_matcher.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlp/assertion_proto.h"
#include "nlp/section_proto.h"
#include "rules/literal_expansion.h"

namespace cdiscan::rules {
namespace {

RE2::Options PatternOptions(int64_t max_mem) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(max_mem);
  return options;
}

RE2::Options LocatorOptions() {
  RE2::Options options = PatternOptions(8 << 20);
  options.set_never_capture(true);
  return options;
}

// WholeWordPattern without the leading \b (see TermMatcher::locators_).
std::string LocatorPattern(absl::string_view pattern) {
  return absl::StrCat("(?:", pattern, ")\\b");
}

// The pattern of the set entry of a gate alternative; its locator is the alternative itself.
std::string GateEntryPattern(absl::string_view alternative) {
  return absl::StrCat("\\b(?:", alternative, ")");
}

// True if `pattern` ends in a \b assertion (not in an escaped backslash followed by "b").
bool EndsInWordBoundary(absl::string_view pattern) {
  if (!absl::EndsWith(pattern, "\\b")) return false;
  size_t backslashes = 0;
  for (size_t i = pattern.size() - 1; i > 0 && pattern[i - 1] == '\\'; --i) ++backslashes;
  return backslashes % 2 == 1;
}

// MatcherLimits::min_required_literal: a literal every match of `pattern` has near its start.
std::optional<RequiredLiteral> RequiredLiteralOf(absl::string_view pattern,
                                                 const MatcherLimits& limits) {
  if (limits.min_required_literal == 0) return std::nullopt;
  return FindRequiredLiteral(pattern, limits.min_required_literal);
}

// Shorter prefixes find too many places to be worth searching for first.
constexpr size_t kMinCommonPrefix = 4;

// RE2's \b: ASCII word characters only, also in UTF-8 mode.
bool IsWordByte(char c) { return absl::ascii_isalnum(c) || c == '_'; }

// True where RE2 would see \b before text[pos].
bool IsWordBoundary(const std::string& text, uint32_t pos) {
  const bool before = pos > 0 && IsWordByte(text[pos - 1]);
  const bool after = pos < text.size() && IsWordByte(text[pos]);
  return before != after;
}

// Runs of consecutive segments [first, last) spanning at most `max_bytes` (a longer segment is
// a run of its own).
struct Chunk {
  uint32_t first;
  uint32_t last;
};
void Chunks(const std::vector<nlp::Span>& segments, uint32_t max_bytes, std::vector<Chunk>* out) {
  out->clear();
  for (uint32_t i = 0; i < segments.size(); ++i) {
    if (!out->empty() && segments[i].end - segments[out->back().first].begin <= max_bytes) {
      out->back().last = i + 1;
    } else {
      out->push_back({i, i + 1});
    }
  }
}

}  // namespace

TermMatcher::LiteralSet TermMatcher::MakeLiteralSet(absl::string_view pattern,
                                                    const MatcherLimits& limits, bool gate) {
  const size_t max_strings = limits.max_literal_expansion;
  LiteralSet set;
  std::optional<std::vector<std::string>> strings;
  if (gate) {
    // Located as the alternative itself: a trailing \b (the treatment lexicon's fragments that
    // end in a letter or digit) becomes the word-end check, and whatever else may follow, the
    // strings' order says which RE2 prefers at one place.
    set.word_end = EndsInWordBoundary(pattern) && !MayHaveTopLevelAlternative(pattern);
    if (set.word_end) pattern.remove_suffix(2);
    strings = ExpandToLiteralsInPreferenceOrder(pattern, max_strings);
  } else {
    strings = ExpandToLiterals(pattern, max_strings);
  }
  if (!strings) return set;
  set.strings = std::move(*strings);
  if (set.strings.size() > 1) {
    const std::string& first = set.strings[0];
    size_t common = first.size();
    for (const std::string& s : set.strings) {
      const auto differ = std::mismatch(s.begin(), s.end(), first.begin(), first.end());
      common = std::min(common, static_cast<size_t>(differ.first - s.begin()));
    }
    if (common >= kMinCommonPrefix) set.common_prefix = set.strings[0].substr(0, common);
  }
  // MatcherLimits::max_gate_literal_searches.
  const size_t searches = set.common_prefix.empty() ? set.strings.size() : 1;
  if (gate && searches > limits.max_gate_literal_searches) return LiteralSet();
  return set;
}

std::string WholeWordPattern(absl::string_view pattern) {
  // \b on both sides: a pattern must start and end with a word character ("spo2 8[0-9]" is
  // fine, "8[0-9]%" can never match because \b after "%" needs a following word character).
  // rules/README.md tells authors so.
  return absl::StrCat("\\b(?:", pattern, ")\\b");
}

absl::StatusOr<std::unique_ptr<TermMatcher>> TermMatcher::Build(std::vector<TermPattern> patterns,
                                                                MatcherLimits limits,
                                                                std::vector<Gate> gates) {
  auto matcher = std::unique_ptr<TermMatcher>(new TermMatcher());
  matcher->limits_ = limits;
  matcher->set_ = std::make_unique<RE2::Set>(PatternOptions(limits.max_set_memory_bytes),
                                             RE2::UNANCHORED);
  std::vector<std::string> errors;
  // Many rules share a pattern ("comfort care" silences most rules): each distinct pattern is
  // compiled and searched once, and its matches are reported for every term list that has it.
  absl::flat_hash_map<std::string, int> entry_of;
  for (const TermPattern& term : patterns) {
    const std::string wrapped = WholeWordPattern(term.pattern);
    auto known = entry_of.find(wrapped);
    if (known != entry_of.end()) {
      matcher->lists_of_entry_[known->second].push_back(matcher->patterns_.size());
      matcher->patterns_.push_back(term);
      continue;
    }
    auto regex = std::make_unique<RE2>(LocatorPattern(term.pattern), LocatorOptions());
    std::string error;
    if (!regex->ok()) {
      errors.push_back(absl::StrCat(term.term_list, ": bad pattern \"", term.pattern,
                                    "\": ", regex->error()));
      continue;
    }
    const int entry = matcher->set_->Add(wrapped, &error);
    if (entry < 0) {
      errors.push_back(absl::StrCat(term.term_list, ": bad pattern \"", term.pattern, "\": ",
                                    error));
      continue;
    }
    entry_of.emplace(wrapped, entry);
    matcher->locators_.push_back(std::move(regex));
    matcher->literals_.push_back(MakeLiteralSet(term.pattern, limits, /*gate=*/false));
    matcher->required_.push_back(RequiredLiteralOf(term.pattern, limits));
    matcher->lists_of_entry_.push_back({static_cast<int>(matcher->patterns_.size())});
    matcher->patterns_.push_back(term);
  }
  matcher->first_gate_entry_ = static_cast<int>(matcher->locators_.size());
  for (uint32_t g = 0; g < gates.size(); ++g) {
    matcher->first_entry_of_gate_.push_back(static_cast<int>(matcher->locators_.size()));
    absl::flat_hash_set<absl::string_view> alternatives;
    for (uint32_t a = 0; a < gates[g].alternatives.size(); ++a) {
      const std::string& alternative = gates[g].alternatives[a];
      // A repeated alternative can never be the first to match at a place.
      if (!alternatives.insert(alternative).second) continue;
      auto regex = std::make_unique<RE2>(alternative, LocatorOptions());
      std::string error;
      if (!regex->ok()) {
        errors.push_back(absl::StrCat("gate: bad pattern \"", alternative, "\": ", regex->error()));
        continue;
      }
      if (matcher->set_->Add(GateEntryPattern(alternative), &error) < 0) {
        errors.push_back(absl::StrCat("gate: bad pattern \"", alternative, "\": ", error));
        continue;
      }
      matcher->locators_.push_back(std::move(regex));
      matcher->literals_.push_back(MakeLiteralSet(alternative, limits, /*gate=*/true));
      matcher->required_.push_back(RequiredLiteralOf(alternative, limits));
      matcher->gate_of_entry_.push_back(g);
      matcher->alternative_of_entry_.push_back(a);
    }
  }
  matcher->gates_ = std::move(gates);
  if (!errors.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  for (const TermPattern& term : matcher->patterns_) {
    auto [it, added] = matcher->list_ids_.try_emplace(
        term.term_list, static_cast<uint32_t>(matcher->list_names_.size()));
    if (added) matcher->list_names_.push_back(term.term_list);
    matcher->list_id_.push_back(it->second);
  }
  if (!matcher->set_->Compile()) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the term set of ", patterns.size(), " patterns does not fit in ",
        limits.max_set_memory_bytes, " bytes (MatcherLimits::max_set_memory_bytes)"));
  }
  return matcher;
}

absl::StatusOr<std::unique_ptr<TermMatcher>> TermMatcher::WithGates(
    std::vector<Gate> gates) const {
  return Build(patterns_, limits_, std::move(gates));
}

absl::StatusOr<std::unique_ptr<TermMatcher>> TermMatcher::WithLimits(MatcherLimits limits) const {
  return Build(patterns_, limits, gates_);
}

void TermMatcher::Match(absl::string_view original_text, const nlp::AnalyzedNote& note,
                        const nlp::NoteAnalyzer& analyzer, nlp::FactWriter* out,
                        GateMatches* gates) const {
  const std::string& text = note.normalized.text();
  // Phase 1: the set runs over runs of sentences (MatcherLimits::set_chunk_bytes), and each
  // pattern it reports is located within that run only, never across a sentence boundary.
  thread_local std::vector<nlp::Span> segments;
  thread_local std::vector<Chunk> chunks;
  thread_local std::vector<int> hits;
  thread_local std::vector<Occurrence> found;
  thread_local std::vector<int> gate_hits;
  thread_local std::vector<GateCandidate> candidates;
  note.Segments(&segments);
  Chunks(segments, limits_.set_chunk_bytes, &chunks);
  found.clear();
  const re2::StringPiece input(text);
  for (const Chunk& chunk : chunks) {
    const uint32_t begin = segments[chunk.first].begin;
    const uint32_t end = segments[chunk.last - 1].end;
    hits.clear();
    if (!set_->Match(input.substr(begin, end - begin), &hits)) continue;
    gate_hits.clear();
    for (int entry : hits) {
      if (!IsGate(entry)) {
        Locate(entry, text, segments, chunk.first, chunk.last, nullptr, &found);
      } else if (gates != nullptr) {
        gate_hits.push_back(entry);
      }
    }
    // Each gate is searched once in the run, over the alternatives the set reported, in order.
    // One it did not report has no match there: the set sees the run as a text of its own,
    // which changes what a \b sees only at the run's two ends, and there only towards matching
    // more, for alternatives whose matches start with a word byte and whose \b follow one (as
    // every treatment fragment's do).
    std::sort(gate_hits.begin(), gate_hits.end());
    for (size_t i = 0; i < gate_hits.size();) {
      const uint32_t gate = gate_of_entry_[gate_hits[i] - first_gate_entry_];
      candidates.clear();
      for (; i < gate_hits.size() && gate_of_entry_[gate_hits[i] - first_gate_entry_] == gate;
           ++i) {
        candidates.push_back({gate_hits[i]});
      }
      Locate(first_entry_of_gate_[gate], text, segments, chunk.first, chunk.last, &candidates,
             &found);
    }
  }
  if (gates != nullptr) {
    gates->matches.resize(gates_.size());
    for (std::vector<nlp::AlternativeMatch>& matches : gates->matches) matches.clear();
  }
  // Phase 2: report in sentence order, then pattern order, then position, whatever the run
  // length, so the facts do not depend on MatcherLimits.
  std::sort(found.begin(), found.end(), [](const Occurrence& a, const Occurrence& b) {
    return std::tie(a.segment, a.entry, a.begin) < std::tie(b.segment, b.entry, b.begin);
  });
  // (term list, begin) already reported: two patterns of one list at one place are one mention.
  thread_local absl::flat_hash_set<uint64_t> seen;
  seen.clear();
  // Span -> the mention made for it first. Many term lists share a span ("CKD" documents
  // several rules); the assertion, offsets and section are worked out once and reused.
  thread_local absl::flat_hash_map<uint64_t, nlp::MentionRecord> first_mention;
  first_mention.clear();
  thread_local absl::flat_hash_map<int, int> mentions_of_entry;
  mentions_of_entry.clear();
  for (const Occurrence& occurrence : found) {
    if (IsGate(occurrence.entry)) {
      // In text order: the sort put segments in order, and one gate's matches in a segment
      // by position.
      const uint32_t gate = gate_of_entry_[occurrence.entry - first_gate_entry_];
      gates->matches[gate].push_back(
          {{occurrence.begin, occurrence.end},
           alternative_of_entry_[occurrence.alternative - first_gate_entry_]});
      continue;
    }
    if (++mentions_of_entry[occurrence.entry] > limits_.max_mentions_per_pattern) continue;
    // One distinct pattern may serve several term lists (see Build).
    for (int pattern : lists_of_entry_[occurrence.entry]) {
      if (!seen.insert(uint64_t{list_id_[pattern]} << 32 | occurrence.begin).second) continue;
      const uint32_t term_list_id = list_id_[pattern];
      auto [known, added] = first_mention.try_emplace(
          uint64_t{occurrence.begin} << 32 | occurrence.end, nlp::MentionRecord());
      nlp::MentionRecord& mention = known->second;
      if (added) {
        mention = MakeMention(original_text, note, analyzer, {occurrence.begin, occurrence.end});
      }
      mention.term_list_id = term_list_id;
      out->AddMention(mention);
    }
  }
}

const std::string& TermMatcher::term_list_name(uint32_t id) const {
  static const std::string* const kNone = new std::string();
  return id < list_names_.size() ? list_names_[id] : *kNone;
}

int64_t TermMatcher::TermListId(absl::string_view name) const {
  auto it = list_ids_.find(name);
  return it == list_ids_.end() ? -1 : int64_t{it->second};
}

bool TermMatcher::Find(int entry, const std::string& text, uint32_t pos, uint32_t limit,
                       nlp::Span* match) const {
  const LiteralSet& literals = literals_[entry];
  if (literals.strings.empty()) {
    if (const std::optional<RequiredLiteral>& required = required_[entry]; required) {
      // No match starts before the first occurrence of the literal minus its offset bound, so
      // RE2's leftmost-first match from there is its match from `pos`; and none is without it.
      const void* at = memmem(text.data() + pos, limit - pos, required->literal.data(),
                              required->literal.size());
      if (at == nullptr) return false;
      const auto literal_at = static_cast<uint32_t>(static_cast<const char*>(at) - text.data());
      pos = std::max(pos, literal_at - std::min(literal_at, required->max_offset));
    }
    re2::StringPiece found;
    if (!locators_[entry]->Match(text, pos, limit, RE2::UNANCHORED, &found, 1)) return false;
    match->begin = static_cast<uint32_t>(found.data() - text.data());
    match->end = static_cast<uint32_t>(match->begin + found.size());
    return true;
  }
  // The locator is "(?:pattern)\b" and the pattern is one of `literals.strings`, of which at
  // most one can match at a place (rules/literal_expansion.h): its match is the leftmost
  // occurrence of any of them that ends at a word boundary. A gate alternative may lack the
  // \b, and then several may match at one place: the first in order is RE2's (LiteralSet).
  // Both searches below take the first in order at the leftmost place.
  const absl::string_view window(text.data(), limit);
  auto ends_here = [&](size_t at, const std::string& literal) {
    return at + literal.size() <= limit &&
           window.compare(at, literal.size(), literal) == 0 &&
           (!literals.word_end ||
            IsWordBoundary(text, static_cast<uint32_t>(at + literal.size())));
  };
  if (!literals.common_prefix.empty()) {
    for (size_t at = window.find(literals.common_prefix, pos); at != absl::string_view::npos;
         at = window.find(literals.common_prefix, at + 1)) {
      for (const std::string& literal : literals.strings) {
        if (!ends_here(at, literal)) continue;
        *match = {static_cast<uint32_t>(at), static_cast<uint32_t>(at + literal.size())};
        return true;
      }
    }
    return false;
  }
  uint32_t best = UINT32_MAX;
  for (const std::string& literal : literals.strings) {
    for (size_t at = window.find(literal, pos); at != absl::string_view::npos && at < best;
         at = window.find(literal, at + 1)) {
      if (!ends_here(at, literal)) continue;
      best = static_cast<uint32_t>(at);
      *match = {best, static_cast<uint32_t>(at + literal.size())};
      break;
    }
  }
  return best != UINT32_MAX;
}

bool TermMatcher::FindFromWordBoundary(int entry, const std::string& text, uint32_t pos,
                                       uint32_t limit, nlp::Span* match) const {
  while (pos <= limit && Find(entry, text, pos, limit, match)) {
    if (IsWordBoundary(text, match->begin)) return true;
    pos = match->begin + 1;
  }
  return false;
}

bool TermMatcher::FindInGate(std::vector<GateCandidate>* candidates, const std::string& text,
                             uint32_t pos, uint32_t limit, nlp::Span* match,
                             int* alternative) const {
  // The alternation's leftmost-first match: the leftmost start among the alternatives' matches,
  // and at a tie the earliest alternative's (candidates are in entry order).
  const GateCandidate* best = nullptr;
  for (GateCandidate& candidate : *candidates) {
    // What was found searching from `from` is still the next match from any later position up
    // to where it starts (or for good, if nothing was), under the same limit.
    if (limit != candidate.limit || pos < candidate.from ||
        (candidate.found && pos > candidate.match.begin)) {
      candidate.from = pos;
      candidate.limit = limit;
      candidate.found = FindFromWordBoundary(candidate.entry, text, pos, limit, &candidate.match);
    }
    if (candidate.found && (best == nullptr || candidate.match.begin < best->match.begin)) {
      best = &candidate;
      if (best->match.begin == pos) break;  // no later alternative can start further left
    }
  }
  if (best == nullptr) return false;
  *match = best->match;
  *alternative = best->entry;
  return true;
}

void TermMatcher::Locate(int entry, const std::string& text,
                         const std::vector<nlp::Span>& segments, uint32_t first, uint32_t last,
                         std::vector<GateCandidate>* gate_candidates,
                         std::vector<Occurrence>* found) const {
  const bool gate = gate_candidates != nullptr;
  const uint32_t run_end = segments[last - 1].end;
  uint32_t segment = first;
  uint32_t pos = segments[first].begin;
  // The end of the run, or of one segment while searching again inside it after a match that
  // crossed its end.
  uint32_t limit = run_end;
  int count = 0;
  nlp::Span match;
  int alternative = 0;
  while (segment < last) {
    const bool next =
        pos <= limit && (gate ? FindInGate(gate_candidates, text, pos, limit, &match, &alternative)
                              : Find(entry, text, pos, limit, &match));
    if (!next) {
      if (limit == run_end) return;
      // Nothing more inside the segment the search was narrowed to: go on with the next one.
      if (++segment == last) return;
      pos = segments[segment].begin;
      limit = run_end;
      continue;
    }
    const uint32_t begin = match.begin;
    const uint32_t end = match.end;
    while (segments[segment].end <= begin) {
      if (++segment == last) return;
    }
    const nlp::Span in = segments[segment];
    if (begin < in.begin) {  // started in the blank between two segments
      pos = in.begin;
      continue;
    }
    if (end > in.end) {  // crossed into the next segment: search again within this one
      pos = begin;
      limit = in.end;
      continue;
    }
    // An empty match is no evidence; and a term's locator leaves the leading \b to us (a
    // gate's was checked by FindInGate).
    if (match.empty() || (!gate && !IsWordBoundary(text, begin))) {
      pos = begin + 1;
      continue;
    }
    found->push_back({segment, entry, begin, end, alternative});
    // A pathological note repeating one term: MatcherLimits::max_mentions_per_pattern, counted
    // over the note in Match; here only so that the search itself stops. Gates belong to
    // their caller, which gets every match.
    if (!gate && ++count > limits_.max_mentions_per_pattern) return;
    pos = end;
    limit = run_end;
  }
}

nlp::MentionRecord TermMatcher::MakeMention(absl::string_view original_text,
                                            const nlp::AnalyzedNote& note,
                                            const nlp::NoteAnalyzer& analyzer,
                                            nlp::Span mention) {
  const nlp::Assertion assertion = analyzer.Assess(note, mention);
  const nlp::Span original = note.normalized.ToOriginal(mention.begin, mention.end);
  nlp::MentionRecord record;
  record.span = original;
  record.text = original_text.substr(original.begin, original.size());
  record.section = nlp::ToProto(note.SectionAt(mention.begin));
  record.negation = nlp::ToProto(assertion.negation);
  record.temporality = nlp::ToProto(assertion.temporality);
  record.experiencer = assertion.experiencer == nlp::Experiencer::kOther ? OTHER : PATIENT;
  return record;
}

}  // namespace cdiscan::rules
