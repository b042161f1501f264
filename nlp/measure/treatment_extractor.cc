// Treatments as indicators: every pattern of every treatment in one alternation, exclusions
// first (leftmost-first semantics make "po vancomycin" win over "vancomycin" at the same
// position), searched sentence by sentence. The note scanner does not run that search itself:
// it adds the alternation's fragments to the rule terms' RE2::Set pass as a gate
// (SearchFragments, rules::TermMatcher), which finds the alternation's matches, and hands them
// to ExtractAt. The search asks only for match bounds; which treatment matched is then read
// from an anchored RE2::Set over the few matched bytes (lowest index = the alternative
// leftmost-first would have taken; not the gate's winning fragment, because a \b inside that
// anchored match sees the match's ends as the text's). Asking the big alternation for capture
// groups instead costs several times more on every note.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/text_format.h"
#include "nlp/assertion_proto.h"
#include "nlp/measure/measurement_extractor.h"
#include "nlp/section_proto.h"
#include "nlp/measure/vocabulary.pb.h"
#include "re2/re2.h"
#include "re2/set.h"
#include "tools/embedded_file.h"

namespace cdiscan {
extern const EmbeddedFile kMeasureData[];
}  // namespace cdiscan

namespace cdiscan::nlp {
namespace {

constexpr absl::string_view kTreatmentsPath = "nlp/measure/data/treatments.textproto";

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// A fragment that ends in a letter or digit must end at a word boundary ("sps" not "spss").
std::string Bounded(const std::string& fragment) {
  const bool word_end = !fragment.empty() && IsAlnum(fragment.back());
  return absl::StrCat("(?:", fragment, ")", word_end ? "\\b" : "");
}

class LexiconTreatmentExtractor final : public TreatmentExtractor {
 public:
  // `alternatives[0]` is the exclusions, `alternatives[i + 1]` the patterns of keys[i];
  // `fragments` are their fragments, in the same order.
  LexiconTreatmentExtractor(std::vector<std::string> keys,
                            const std::vector<std::string>& alternatives,
                            std::vector<std::string> fragments)
      : keys_(std::move(keys)),
        pattern_(absl::StrCat("\\b(?:", absl::StrJoin(alternatives, "|"), ")")),
        fragments_(std::move(fragments)),
        search_(pattern_, SearchOptions()),
        which_(Options(), RE2::ANCHOR_BOTH) {
    for (const std::string& a : alternatives) {
      std::string error;
      if (which_.Add(a, &error) < 0) error_ = error;
    }
    if (error_.empty() && !which_.Compile()) error_ = "cannot compile the treatment set";
    if (!search_.ok()) error_ = search_.error();
  }

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  const std::string& SearchPattern() const override { return pattern_; }
  const std::vector<std::string>& SearchFragments() const override { return fragments_; }

  void Extract(absl::string_view original_text, const AnalyzedNote& note,
               FactWriter* out) const override {
    const std::string& text = note.normalized.text();
    const re2::StringPiece input(text);
    thread_local std::vector<Span> segments;
    thread_local std::vector<Span> matches;
    note.Segments(&segments);
    matches.clear();
    re2::StringPiece match;
    for (const Span& segment : segments) {
      uint32_t pos = segment.begin;
      while (pos < segment.end &&
             search_.Match(input, pos, segment.end, RE2::UNANCHORED, &match, 1)) {
        const auto begin = static_cast<uint32_t>(match.data() - text.data());
        const auto end = static_cast<uint32_t>(begin + match.size());
        if (end > begin) matches.push_back({begin, end});
        pos = end > begin ? end : begin + 1;
      }
    }
    ExtractAt(original_text, note, matches, out);
  }

  void ExtractAt(absl::string_view original_text, const AnalyzedNote& note,
                 const std::vector<Span>& matches, FactWriter* out) const override {
    const std::string& text = note.normalized.text();
    std::vector<int> hits;
    const NoteAnalyzer& analyzer = NoteAnalyzer::Default();
    for (const Span& match : matches) {
      hits.clear();
      const re2::StringPiece matched(text.data() + match.begin, match.size());
      if (!which_.Match(matched, &hits) || hits.empty()) continue;
      const int first = *std::min_element(hits.begin(), hits.end());
      if (first == 0) continue;  // an exclusion
      const Span original = note.normalized.ToOriginal(match.begin, match.end);
      const Assertion assertion = analyzer.Assess(note, match);
      TreatmentRecord fact;
      fact.span = original;
      fact.text = original_text.substr(original.begin, original.size());
      fact.section = ToProto(note.SectionAt(match.begin));
      fact.key = keys_[first - 1];
      fact.negation = ToProto(assertion.negation);
      fact.temporality = ToProto(assertion.temporality);
      out->AddTreatment(fact);
    }
  }

 private:
  static RE2::Options Options() {
    RE2::Options options;
    options.set_max_mem(32 << 20);
    options.set_log_errors(false);
    return options;
  }
  static RE2::Options SearchOptions() {
    RE2::Options options = Options();
    options.set_never_capture(true);
    return options;
  }

  std::vector<std::string> keys_;
  std::string pattern_;
  std::vector<std::string> fragments_;
  RE2 search_;
  RE2::Set which_;
  std::string error_;
};

// `wanted`: the treatment keys to keep; nullptr for all. Exclusions are always kept.
std::unique_ptr<LexiconTreatmentExtractor> Build(absl::string_view data,
                                                 const absl::flat_hash_set<std::string>* wanted,
                                                 std::string* error) {
  measure::TreatmentLexicon lexicon;
  if (!google::protobuf::TextFormat::ParseFromString(std::string(data), &lexicon)) {
    *error = "cannot parse the treatment lexicon";
    return nullptr;
  }
  std::vector<std::string> excludes;
  for (const std::string& e : lexicon.exclude()) excludes.push_back(Bounded(e));
  std::vector<std::string> keys;
  std::vector<std::string> groups;
  groups.push_back(excludes.empty() ? "$^" : absl::StrJoin(excludes, "|"));
  std::vector<std::string> fragments = excludes;
  for (const measure::Treatment& t : lexicon.treatment()) {
    if (t.key().empty() || t.pattern().empty()) {
      *error = absl::StrCat("treatment without key or pattern: ", t.ShortDebugString());
      return nullptr;
    }
    if (wanted != nullptr && !wanted->contains(t.key())) continue;
    std::vector<std::string> patterns;
    for (const std::string& p : t.pattern()) {
      // Each fragment must compile on its own and must not add capture groups, which would
      // shift the group of every later treatment.
      RE2 alone(p);
      if (!alone.ok() || alone.NumberOfCapturingGroups() != 0) {
        *error = absl::StrCat(t.key(), ": bad pattern '", p, "' ", alone.error());
        return nullptr;
      }
      if (TreatmentExtractor::MayMatchAcrossSentences(p)) {
        *error = absl::StrCat(t.key(), ": pattern '", p,
                              "' might match across sentences; spell the space or word out");
        return nullptr;
      }
      patterns.push_back(Bounded(p));
      fragments.push_back(patterns.back());
    }
    keys.push_back(t.key());
    groups.push_back(absl::StrCat("(?:", absl::StrJoin(patterns, "|"), ")"));
  }
  auto extractor =
      std::make_unique<LexiconTreatmentExtractor>(std::move(keys), groups, std::move(fragments));
  if (!extractor->ok()) {
    *error = extractor->error();
    return nullptr;
  }
  return extractor;
}

}  // namespace

bool TreatmentExtractor::MayMatchAcrossSentences(absl::string_view fragment) {
  for (absl::string_view risky : {"\\s", "\\n", "\n", "[^", "\\. ", "\\! ", "\\? ", "\\S",
                                  "\\W", "\\D"}) {
    if (absl::StrContains(fragment, risky)) return true;
  }
  for (size_t i = 0; i < fragment.size(); ++i) {
    if (fragment[i] == '\\') {
      ++i;  // an escaped byte
    } else if (fragment[i] == '.') {
      return true;
    }
  }
  return false;
}

const TreatmentExtractor& TreatmentExtractor::Default() {
  static const TreatmentExtractor* const kDefault = [] {
    for (const EmbeddedFile* f = kMeasureData; f->path != nullptr; ++f) {
      if (absl::string_view(f->path) != kTreatmentsPath) continue;
      std::string error;
      std::unique_ptr<LexiconTreatmentExtractor> extractor =
          Build(absl::string_view(f->data, f->size), nullptr, &error);
      if (extractor == nullptr) {
        std::fprintf(stderr, "%s: %s\n", f->path, error.c_str());
        std::abort();
      }
      return static_cast<const TreatmentExtractor*>(extractor.release());
    }
    std::fprintf(stderr, "treatment lexicon %s is not embedded\n",
                 std::string(kTreatmentsPath).c_str());
    std::abort();
  }();
  return *kDefault;
}

std::unique_ptr<const TreatmentExtractor> TreatmentExtractor::ForKeys(
    const absl::flat_hash_set<std::string>& keys) {
  Default();  // aborts on a broken lexicon, so the build below cannot fail differently
  for (const EmbeddedFile* f = kMeasureData; f->path != nullptr; ++f) {
    if (absl::string_view(f->path) != kTreatmentsPath) continue;
    std::string error;
    std::unique_ptr<LexiconTreatmentExtractor> extractor =
        Build(absl::string_view(f->data, f->size), &keys, &error);
    if (extractor != nullptr) return extractor;
    std::fprintf(stderr, "%s: %s\n", f->path, error.c_str());
    std::abort();
  }
  std::abort();
}

}  // namespace cdiscan::nlp
