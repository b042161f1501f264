#include "rules/term_matcher.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cdiscan::rules {
namespace {

RE2::Options PatternOptions(int64_t max_mem) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(max_mem);
  return options;
}

NegationStatus ToProto(nlp::Negation value) {
  switch (value) {
    case nlp::Negation::kNegated: return NEGATED;
    case nlp::Negation::kPossible: return POSSIBLE;
    default: return AFFIRMED;
  }
}

Temporality ToProto(nlp::Temporality value) {
  switch (value) {
    case nlp::Temporality::kHistorical: return HISTORICAL;
    case nlp::Temporality::kHypothetical: return HYPOTHETICAL;
    default: return RECENT;
  }
}

// Segments to scan: the sentences, plus any non-blank text between them (headers, lists the
// splitter left out), so no term can be missed.
void Segments(const std::string& text, const std::vector<nlp::Span>& sentences,
              std::vector<nlp::Span>* out) {
  out->clear();
  uint32_t covered = 0;
  auto add_gap = [&](uint32_t begin, uint32_t end) {
    for (uint32_t i = begin; i < end; ++i) {
      if (text[i] != ' ' && text[i] != '\n') {
        out->push_back({begin, end});
        return;
      }
    }
  };
  for (const nlp::Span& sentence : sentences) {
    if (sentence.begin < covered) continue;  // defensive: overlapping spans
    add_gap(covered, sentence.begin);
    out->push_back(sentence);
    covered = sentence.end;
  }
  add_gap(covered, static_cast<uint32_t>(text.size()));
}

}  // namespace

std::string WholeWordPattern(absl::string_view pattern) {
  // \b on both sides: a pattern must start and end with a word character ("spo2 8[0-9]" is
  // fine, "8[0-9]%" can never match because \b after "%" needs a following word character).
  // rules/README.md tells authors so.
  return absl::StrCat("\\b(?:", pattern, ")\\b");
}

absl::StatusOr<std::unique_ptr<TermMatcher>> TermMatcher::Build(std::vector<TermPattern> patterns,
                                                                MatcherLimits limits) {
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
    auto regex = std::make_unique<RE2>(wrapped, PatternOptions(8 << 20));
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
    matcher->regexes_.push_back(std::move(regex));
    matcher->lists_of_entry_.push_back({static_cast<int>(matcher->patterns_.size())});
    matcher->patterns_.push_back(term);
  }
  if (!errors.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  absl::flat_hash_map<std::string, uint32_t> list_ids;
  for (const TermPattern& term : matcher->patterns_) {
    matcher->list_id_.push_back(
        list_ids.emplace(term.term_list, static_cast<uint32_t>(list_ids.size())).first->second);
  }
  if (!matcher->set_->Compile()) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the term set of ", patterns.size(), " patterns does not fit in ",
        limits.max_set_memory_bytes, " bytes (MatcherLimits::max_set_memory_bytes)"));
  }
  return matcher;
}

void TermMatcher::Match(absl::string_view original_text, const nlp::AnalyzedNote& note,
                        const nlp::NoteAnalyzer& analyzer,
                        google::protobuf::RepeatedPtrField<MentionFact>* out) const {
  const std::string& text = note.normalized.text();
  // The set runs once per sentence rather than once per note, so each pattern it reports is
  // then located within one sentence instead of re-scanning the whole note: with a full rule
  // library that is ten or more whole-note scans saved per note.
  thread_local std::vector<nlp::Span> segments;
  thread_local std::vector<int> hits;
  Segments(text, note.sentences, &segments);
  // (term list, begin) already reported: two patterns of one list at one place are one mention.
  thread_local absl::flat_hash_set<uint64_t> seen;
  seen.clear();
  // Span -> the first mention made for it. Many term lists share a span ("CKD" documents
  // several rules); the assertion, offsets and section are worked out once and copied.
  thread_local absl::flat_hash_map<uint64_t, int> first_mention;
  first_mention.clear();
  std::vector<int> found(regexes_.size(), 0);
  const re2::StringPiece input(text);
  for (const nlp::Span& segment : segments) {
    hits.clear();
    if (!set_->Match(input.substr(segment.begin, segment.size()), &hits)) continue;
    std::sort(hits.begin(), hits.end());
    for (int entry : hits) {
      const RE2& regex = *regexes_[entry];
      re2::StringPiece match;
      size_t pos = segment.begin;
      while (pos <= segment.end &&
             regex.Match(input, pos, segment.end, RE2::UNANCHORED, &match, 1)) {
        const auto begin = static_cast<uint32_t>(match.data() - text.data());
        const auto end = static_cast<uint32_t>(begin + match.size());
        pos = match.empty() ? end + 1 : end;
        if (++found[entry] > limits_.max_mentions_per_pattern) break;
        // One distinct pattern may serve several term lists (see Build).
        for (int pattern : lists_of_entry_[entry]) {
          if (!seen.insert(uint64_t{list_id_[pattern]} << 32 | begin).second) continue;
          const std::string& term_list = patterns_[pattern].term_list;
          auto [known, added] = first_mention.try_emplace(uint64_t{begin} << 32 | end, out->size());
          if (added) {
            AddMention(original_text, note, analyzer, term_list, {begin, end}, out);
          } else {
            MentionFact* copy = out->Add();
            *copy = out->Get(known->second);
            copy->set_term_list(term_list);
          }
        }
      }
    }
  }
}

void TermMatcher::AddMention(absl::string_view original_text, const nlp::AnalyzedNote& note,
                             const nlp::NoteAnalyzer& analyzer, const std::string& term_list,
                             nlp::Span mention,
                             google::protobuf::RepeatedPtrField<MentionFact>* out) const {
  const nlp::Assertion assertion = analyzer.Assess(note, mention);
  const nlp::Span original = note.normalized.ToOriginal(mention.begin, mention.end);
  MentionFact* fact = out->Add();
  TextSpan* span = fact->mutable_span();
  span->set_begin(original.begin);
  span->set_end(original.end);
  span->set_text(std::string(original_text.substr(original.begin, original.size())));
  span->set_section(std::string(nlp::SectionKindName(note.SectionAt(mention.begin))));
  fact->set_term_list(term_list);
  fact->set_negation(ToProto(assertion.negation));
  fact->set_temporality(ToProto(assertion.temporality));
  fact->set_experiencer(assertion.experiencer == nlp::Experiencer::kOther ? OTHER : PATIENT);
}

}  // namespace cdiscan::rules
