// Treatments as indicators: every pattern of every treatment in one alternation, exclusions
// first (leftmost-first semantics make "po vancomycin" win over "vancomycin" at the same
// position), searched sentence by sentence. A match is the treatment of the fragment that
// made it, the first fragment that matches where the match starts.
//
// The note scanner does not run that search itself: it adds the alternation's fragments to
// the rule terms' RE2::Set pass as a gate (SearchFragments, rules::TermMatcher), which finds
// the alternation's matches and which fragment made each, and hands both to ExtractAt.
// Extract, this class's own pass (tests, and a scanner that could not build the gate), asks
// the alternation only for match bounds, which RE2 answers with its DFA, then reads the
// fragment from an RE2::Set of the fragments anchored at the match's start (the lowest index
// reported is the fragment leftmost-first takes). Asking the big alternation for capture
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
  // `fragments` in leftmost-first order: the exclusions', then each treatment's;
  // `key_of_fragment[i]` is the index in `keys` of fragment i's treatment, or -1 for an
  // exclusion or a treatment not written (ForKeys).
  LexiconTreatmentExtractor(std::vector<std::string> keys, std::vector<std::string> fragments,
                            std::vector<int> key_of_fragment)
      : keys_(std::move(keys)),
        pattern_(absl::StrCat("\\b(?:", absl::StrJoin(fragments, "|"), ")")),
        fragments_(std::move(fragments)),
        key_of_fragment_(std::move(key_of_fragment)),
        search_(pattern_, SearchOptions()),
        fragment_at_start_(Options(), RE2::ANCHOR_START) {
    for (const std::string& fragment : fragments_) {
      std::string error;
      if (fragment_at_start_.Add(fragment, &error) < 0) error_ = error;
    }
    if (error_.empty() && !fragment_at_start_.Compile()) {
      error_ = "cannot compile the treatment set";
    }
    if (!search_.ok()) error_ = search_.error();
  }

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  const std::vector<std::string>& SearchFragments() const override { return fragments_; }

  void Extract(absl::string_view original_text, const AnalyzedNote& note,
               FactWriter* out) const override {
    const std::string& text = note.normalized.text();
    const re2::StringPiece input(text);
    thread_local std::vector<Span> segments;
    thread_local std::vector<AlternativeMatch> matches;
    thread_local std::vector<int> hits;
    note.Segments(&segments);
    matches.clear();
    re2::StringPiece match;
    for (const Span& segment : segments) {
      uint32_t pos = segment.begin;
      while (pos < segment.end &&
             search_.Match(input, pos, segment.end, RE2::UNANCHORED, &match, 1)) {
        const auto begin = static_cast<uint32_t>(match.data() - text.data());
        const auto end = static_cast<uint32_t>(begin + match.size());
        pos = end > begin ? end : begin + 1;
        if (end == begin) continue;
        // The fragments that match from `begin` within the sentence, as the search saw it.
        hits.clear();
        RE2::Set::ErrorInfo error;
        if (!fragment_at_start_.Match(input.substr(begin, segment.end - begin), &hits, &error)) {
          // The fragment that made the match is always among the hits, so this is RE2 out of
          // memory for the set's DFA (or a bug): say so rather than lose the treatment
          // without a word.
          std::fprintf(stderr, "treatment extractor: %s at normalized offset %u\n",
                       error.kind == RE2::Set::kNoError ? "no fragment matches"
                                                        : "RE2::Set failed",
                       begin);
          continue;
        }
        const int first = *std::min_element(hits.begin(), hits.end());
        matches.push_back({{begin, end}, static_cast<uint32_t>(first)});
      }
    }
    ExtractAt(original_text, note, matches, out);
  }

  void ExtractAt(absl::string_view original_text, const AnalyzedNote& note,
                 const std::vector<AlternativeMatch>& matches, FactWriter* out) const override {
    const NoteAnalyzer& analyzer = NoteAnalyzer::Default();
    for (const AlternativeMatch& fragment_match : matches) {
      const Span& match = fragment_match.span;
      if (fragment_match.alternative >= key_of_fragment_.size()) {
        // A gate built from another lexicon: a bug to stop at, not an exclusion to skip.
        std::fprintf(stderr, "treatment extractor: fragment %u of %zu\n",
                     fragment_match.alternative, key_of_fragment_.size());
        std::abort();
      }
      const int key = key_of_fragment_[fragment_match.alternative];
      if (key < 0) continue;  // an exclusion, or a treatment not wanted
      const Span original = note.normalized.ToOriginal(match.begin, match.end);
      const Assertion assertion = analyzer.Assess(note, match);
      TreatmentRecord fact;
      fact.span = original;
      fact.text = original_text.substr(original.begin, original.size());
      fact.section = ToProto(note.SectionAt(match.begin));
      fact.key = keys_[key];
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
  std::vector<int> key_of_fragment_;
  RE2 search_;
  RE2::Set fragment_at_start_;
  std::string error_;
};

// `wanted`: the treatment keys to write; nullptr for all. Every fragment stays in the
// alternation, so that the matches, and which fragment made each, are Default()'s: a fragment
// of another treatment that wins a place keeps it ("x y" of another key before "y z" in
// "x y z"), and the extractor's treatments are exactly Default()'s filtered to `wanted`.
std::unique_ptr<LexiconTreatmentExtractor> Build(absl::string_view data,
                                                 const absl::flat_hash_set<std::string>* wanted,
                                                 std::string* error) {
  measure::TreatmentLexicon lexicon;
  if (!google::protobuf::TextFormat::ParseFromString(std::string(data), &lexicon)) {
    *error = "cannot parse the treatment lexicon";
    return nullptr;
  }
  std::vector<std::string> keys;
  std::vector<std::string> fragments;
  std::vector<int> key_of_fragment;
  for (const std::string& e : lexicon.exclude()) {
    fragments.push_back(Bounded(e));
    key_of_fragment.push_back(-1);
  }
  for (const measure::Treatment& t : lexicon.treatment()) {
    if (t.key().empty() || t.pattern().empty()) {
      *error = absl::StrCat("treatment without key or pattern: ", t.ShortDebugString());
      return nullptr;
    }
    const bool written = wanted == nullptr || wanted->contains(t.key());
    for (const std::string& p : t.pattern()) {
      // Each fragment must compile on its own, and without capture groups: the alternation
      // is only ever asked for its bounds.
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
      fragments.push_back(Bounded(p));
      key_of_fragment.push_back(written ? static_cast<int>(keys.size()) : -1);
    }
    if (written) keys.push_back(t.key());
  }
  auto extractor = std::make_unique<LexiconTreatmentExtractor>(
      std::move(keys), std::move(fragments), std::move(key_of_fragment));
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
