#include "rules/term_matcher.h"

#include <algorithm>
#include <set>
#include <utility>

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

}  // namespace

std::string WholeWordPattern(absl::string_view pattern) {
  // \b on both sides unless the pattern itself starts/ends with a non-word character.
  return absl::StrCat("\\b(?:", pattern, ")\\b");
}

absl::StatusOr<std::unique_ptr<TermMatcher>> TermMatcher::Build(std::vector<TermPattern> patterns,
                                                                MatcherLimits limits) {
  auto matcher = std::unique_ptr<TermMatcher>(new TermMatcher());
  matcher->limits_ = limits;
  matcher->set_ = std::make_unique<RE2::Set>(PatternOptions(limits.max_set_memory_bytes),
                                             RE2::UNANCHORED);
  std::vector<std::string> errors;
  for (const TermPattern& term : patterns) {
    const std::string wrapped = WholeWordPattern(term.pattern);
    auto regex = std::make_unique<RE2>(wrapped, PatternOptions(8 << 20));
    std::string error;
    if (!regex->ok()) {
      errors.push_back(absl::StrCat(term.term_list, ": bad pattern \"", term.pattern,
                                    "\": ", regex->error()));
      continue;
    }
    if (matcher->set_->Add(wrapped, &error) < 0) {
      errors.push_back(absl::StrCat(term.term_list, ": bad pattern \"", term.pattern, "\": ",
                                    error));
      continue;
    }
    matcher->regexes_.push_back(std::move(regex));
    matcher->patterns_.push_back(term);
  }
  if (!errors.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
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
  std::vector<int> hits;
  if (!set_->Match(text, &hits)) return;
  std::sort(hits.begin(), hits.end());
  // (term list, begin) already reported: two patterns of one list at one place are one mention.
  std::set<std::pair<std::string_view, uint32_t>> seen;
  for (int index : hits) {
    const RE2& regex = *regexes_[index];
    const std::string& term_list = patterns_[index].term_list;
    const re2::StringPiece input(text);
    re2::StringPiece match;
    int found = 0;
    size_t pos = 0;
    while (pos <= text.size() &&
           regex.Match(input, pos, text.size(), RE2::UNANCHORED, &match, 1)) {
      const auto begin = static_cast<uint32_t>(match.data() - text.data());
      const auto end = static_cast<uint32_t>(begin + match.size());
      pos = match.empty() ? end + 1 : end;
      if (!seen.emplace(std::string_view(term_list), begin).second) continue;
      if (++found > limits_.max_mentions_per_pattern) break;
      const nlp::Span mention{begin, end};
      const nlp::Assertion assertion = analyzer.Assess(note, mention);
      const nlp::Span original = note.normalized.ToOriginal(begin, end);
      MentionFact* fact = out->Add();
      TextSpan* span = fact->mutable_span();
      span->set_begin(original.begin);
      span->set_end(original.end);
      span->set_text(std::string(original_text.substr(original.begin, original.size())));
      span->set_section(std::string(nlp::SectionKindName(note.SectionAt(begin))));
      fact->set_term_list(term_list);
      fact->set_negation(ToProto(assertion.negation));
      fact->set_temporality(ToProto(assertion.temporality));
      fact->set_experiencer(assertion.experiencer == nlp::Experiencer::kOther ? OTHER : PATIENT);
    }
  }
}

}  // namespace cdiscan::rules
