// The note scanner finds treatment candidates as a rules::TermMatcher gate made of the treatment
// lexicon's fragments, each located on its own (engine/note_scanner.cc). Its matches must be
// those of the lexicon's single alternation "\b(?:f0|f1|...)" of its fragments, searched as
// the term matcher searched it when the gate was that one pattern: in the runs of sentences
// where the RE2::Set saw it, by RE2 from each match's end, again within the sentence when a
// match crossed its end. Compared on every note of the repository's test data, the rule
// examples, and thousands of random texts made of the lexicon's words and pieces, under limits
// that send the fragments to substring searches or to RE2.
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/test_files.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "nlp/measure/measurement_extractor.h"
#include "nlp/note_analysis.h"
#include "proto/note.pb.h"
#include "re2/re2.h"
#include "rules/bundled_library_for_tests.h"
#include "rules/literal_expansion.h"
#include "rules/rule_library.h"
#include "rules/term_matcher.h"

namespace cdiscan::engine {
namespace {

const rules::RuleLibrary& Library() { return rules::BundledLibraryForTests(); }

const nlp::TreatmentExtractor& Treatments() { return nlp::TreatmentExtractor::Default(); }

// The alternation with each fragment a capture group: at a match, the group that took part
// is the fragment leftmost-first chose, by RE2's own semantics.
const RE2& CapturingAlternation() {
  static const RE2* const kAlternation = [] {
    std::vector<std::string> groups;
    for (const std::string& f : Treatments().SearchFragments()) groups.push_back("(" + f + ")");
    RE2::Options options;
    options.set_max_mem(64 << 20);
    return new RE2(absl::StrCat("\\b(?:", absl::StrJoin(groups, "|"), ")"), options);
  }();
  return *kAlternation;
}

// The index of the fragment that makes the alternation's match at text[pos, limit).
uint32_t WinningFragment(const std::string& text, uint32_t pos, uint32_t limit) {
  const RE2& capturing = CapturingAlternation();
  std::vector<re2::StringPiece> groups(capturing.NumberOfCapturingGroups() + 1);
  if (!capturing.Match(text, pos, limit, RE2::UNANCHORED, groups.data(),
                       static_cast<int>(groups.size()))) {
    return UINT32_MAX;
  }
  for (size_t g = 1; g < groups.size(); ++g) {
    if (groups[g].data() != nullptr) return static_cast<uint32_t>(g - 1);
  }
  return UINT32_MAX;
}

// The gate as it was: the alternation as one set entry, located by one RE2 search per match
// (TermMatcher::Locate before the gate was split), over the same runs of sentences; and for
// each match, the fragment that made it (`winners`).
std::vector<nlp::Span> AlternationMatches(const RE2& alternation, const nlp::AnalyzedNote& note,
                                          uint32_t run_bytes, std::vector<uint32_t>* winners) {
  winners->clear();
  const std::string& text = note.normalized.text();
  std::vector<nlp::Span> segments;
  note.Segments(&segments);
  std::vector<nlp::Span> matches;
  uint32_t first = 0;
  while (first < segments.size()) {
    uint32_t last = first + 1;
    while (last < segments.size() && segments[last].end - segments[first].begin <= run_bytes) {
      ++last;
    }
    const uint32_t run_begin = segments[first].begin;
    const uint32_t run_end = segments[last - 1].end;
    // A set of one pattern reports it for the run if it matches the run as a text of its own.
    if (RE2::PartialMatch(re2::StringPiece(text).substr(run_begin, run_end - run_begin),
                          alternation)) {
      uint32_t segment = first;
      uint32_t pos = run_begin;
      uint32_t limit = run_end;
      re2::StringPiece found;
      while (segment < last) {
        if (pos > limit || !alternation.Match(text, pos, limit, RE2::UNANCHORED, &found, 1)) {
          if (limit == run_end || ++segment == last) break;
          pos = segments[segment].begin;
          limit = run_end;
          continue;
        }
        const auto begin = static_cast<uint32_t>(found.data() - text.data());
        const auto end = static_cast<uint32_t>(begin + found.size());
        while (segment < last && segments[segment].end <= begin) ++segment;
        if (segment == last) break;
        const nlp::Span in = segments[segment];
        if (begin < in.begin) {
          pos = in.begin;
          continue;
        }
        if (end > in.end) {
          pos = begin;
          limit = in.end;
          continue;
        }
        if (begin == end) {
          pos = begin + 1;
          continue;
        }
        matches.push_back({begin, end});
        winners->push_back(WinningFragment(text, pos, limit));
        pos = end;
        limit = run_end;
      }
    }
    first = last;
  }
  return matches;
}

std::string Show(const std::string& text, const std::vector<nlp::Span>& spans) {
  std::vector<std::string> shown;
  for (const nlp::Span& s : spans) {
    shown.push_back(absl::StrCat(s.begin, "-", s.end, " '", text.substr(s.begin, s.size()), "'"));
  }
  return absl::StrJoin(shown, ", ");
}

// A matcher with the treatment gate under `limits`, and the same run length for the reference.
struct GatedMatcher {
  std::string name;
  std::unique_ptr<rules::TermMatcher> matcher;
  uint32_t run_bytes;
};

std::vector<GatedMatcher> Matchers() {
  struct Variant {
    const char* name;
    rules::MatcherLimits limits;
  };
  std::vector<Variant> variants(6);
  variants[0].name = "default limits";
  variants[1].name = "every expandable fragment searched as strings";
  variants[1].limits.max_gate_literal_searches = 1000;
  variants[2].name = "every fragment searched by RE2";
  variants[2].limits.max_literal_expansion = 0;
  variants[2].limits.min_required_literal = 0;
  variants[3].name = "one sentence per run";
  variants[3].limits.set_chunk_bytes = 1;
  variants[4].name = "64-byte runs";
  variants[4].limits.set_chunk_bytes = 64;
  variants[5].name = "4096-byte runs, short required literals";
  variants[5].limits.set_chunk_bytes = 4096;
  variants[5].limits.min_required_literal = 2;
  std::vector<GatedMatcher> matchers;
  for (const Variant& v : variants) {
    absl::StatusOr<std::unique_ptr<rules::TermMatcher>> terms =
        Library().matcher().WithLimits(v.limits);
    EXPECT_TRUE(terms.ok()) << terms.status();
    absl::StatusOr<std::unique_ptr<rules::TermMatcher>> gated =
        (*terms)->WithGates({rules::Gate{Treatments().SearchFragments()}});
    EXPECT_TRUE(gated.ok()) << gated.status();
    matchers.push_back({v.name, std::move(gated).value(), v.limits.set_chunk_bytes});
  }
  return matchers;
}

// Compares the gate of every matcher with the alternation on every text; returns the number of
// matches compared.
int ExpectSameMatches(const std::vector<std::string>& texts) {
  static const std::vector<GatedMatcher>* const kMatchers =
      new std::vector<GatedMatcher>(Matchers());
  const RE2 alternation(
      absl::StrCat("\\b(?:", absl::StrJoin(Treatments().SearchFragments(), "|"), ")"));
  EXPECT_TRUE(alternation.ok()) << alternation.error();
  const nlp::NoteAnalyzer& analyzer = nlp::NoteAnalyzer::Default();
  nlp::AnalyzedNote note;
  rules::GateMatches gates;
  int compared = 0;
  for (const std::string& original : texts) {
    analyzer.Analyze(original, &note);
    const std::string& text = note.normalized.text();
    for (const GatedMatcher& m : *kMatchers) {
      google::protobuf::RepeatedPtrField<MentionFact> mentions;
      m.matcher->Match(original, note, analyzer, &mentions, &gates);
      EXPECT_EQ(gates.matches.size(), 1u);
      if (gates.matches.size() != 1) return compared;
      std::vector<nlp::Span> spans;
      std::vector<uint32_t> alternatives;
      for (const nlp::AlternativeMatch& match : gates.matches[0]) {
        spans.push_back(match.span);
        alternatives.push_back(match.alternative);
      }
      std::vector<uint32_t> winners;
      const std::vector<nlp::Span> expected =
          AlternationMatches(alternation, note, m.run_bytes, &winners);
      EXPECT_EQ(Show(text, spans), Show(text, expected)) << m.name << "\n" << text;
      // The fragment each match is credited to (which decides its treatment, or that it is an
      // exclusion) is the one the alternation's leftmost-first search takes.
      EXPECT_EQ(alternatives, winners) << m.name << "\n" << text;
      // One failing text is enough to read; the rest would repeat it.
      if (Show(text, spans) != Show(text, expected) || alternatives != winners) {
        return compared;
      }
      compared += expected.size();
    }
    // The extractor's own pass (no gate) finds the same treatments as the scanner's gated one.
    google::protobuf::RepeatedPtrField<TreatmentFact> own;
    google::protobuf::RepeatedPtrField<TreatmentFact> gated;
    Treatments().Extract(original, note, &own);
    Treatments().ExtractAt(original, note, gates.matches[0], &gated);
    std::string own_text;
    std::string gated_text;
    for (const TreatmentFact& f : own) absl::StrAppend(&own_text, f.ShortDebugString(), "\n");
    for (const TreatmentFact& f : gated) absl::StrAppend(&gated_text, f.ShortDebugString(), "\n");
    EXPECT_EQ(own_text, gated_text) << text;
    if (own_text != gated_text) return compared;
  }
  return compared;
}

// Note texts of a JSON-lines file of Note records.
std::vector<std::string> NoteTextsOf(const std::string& path) {
  std::vector<std::string> texts;
  for (absl::string_view line : absl::StrSplit(test::ReadFile(path), '\n', absl::SkipEmpty())) {
    Note note;
    if (google::protobuf::util::JsonStringToMessage(std::string(line), &note).ok()) {
      texts.push_back(note.text());
    }
  }
  return texts;
}

TEST(TreatmentGateTest, MatchesTheAlternationOnEveryTestNote) {
  std::vector<std::string> texts;
  for (const char* path : {"testdata/sample/notes.jsonl", "testdata/eval/notes.jsonl"}) {
    std::vector<std::string> notes = NoteTextsOf(path);
    EXPECT_FALSE(notes.empty()) << path;
    texts.insert(texts.end(), notes.begin(), notes.end());
  }
  // Whole files, read as notes: realistic notes, fuzz seeds, FHIR records, annotated sentences.
  for (const char* path : {"testdata/bench/dense_progress_note.txt",
                           "testdata/bench/narrative_hp_note.txt",
                           "nlp/testdata/context_corpus.tsv", "nlp/testdata/context_heldout.tsv",
                           "nlp/measure/testdata/lab_lines.tsv"}) {
    texts.push_back(test::ReadFile(path));
    EXPECT_FALSE(texts.back().empty()) << path;
  }
  for (const char* directory :
       {"engine/testdata/fuzz_seeds", "nlp/testdata/fuzz_seeds", "testdata/fhir"}) {
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
      texts.push_back(test::ReadFile(entry.path().string()));
      ++files;
    }
    EXPECT_GT(files, 0) << directory;
  }
  for (const Rule& rule : Library().rules()) {
    for (const RuleExample& example : rule.example()) {
      for (const ExampleNote& note : example.note()) texts.push_back(note.text());
    }
  }
  EXPECT_GT(texts.size(), 300u);
  EXPECT_GT(ExpectSameMatches(texts), 1500);  // the comparison is over real work
}

// Random texts of the lexicon's words, the strings its fragments stand for and pieces of them,
// digits, punctuation and sentence ends: adjacent and overlapping candidates ("po vancomycin",
// "pressors", "iv lasix 40 mg iv"), boundaries inside and at the ends of words and sentences.
TEST(TreatmentGateTest, MatchesTheAlternationOnRandomTexts) {
  std::vector<std::string> phrases = {
      "po vancomycin", "vanc po", "vancomycin 125 mg po", "pressors", "pressor", "vasopressors",
      "no longer on pressors", "iv lasix 40 mg iv", "lasix 40 mg iv", "po lasix", "lasix drip",
      "transfusion reaction", "transfusions", "transfused", "fr 1500 ml", "fr 1.5 l",
      "1.5 l fluid restriction", "tf @", "tf @ 40", "tube feeds at", "3% saline", "23.4% nacl",
      "2 units prbcs", "insulin + dextrose", "pip-tazo", "piperacillin/tazobactam",
      "neo-synephrine", "ciwa-ar protocol", "turning q2h", "30 ml/kg", "ns bolus",
      "declined blood transfusions", "pressure ulcer", "vanc trough", "4-factor pcc"};
  std::vector<std::string> words;
  for (const std::string& fragment : Treatments().SearchFragments()) {
    std::string body = fragment;
    if (absl::EndsWith(body, "\\b")) body.resize(body.size() - 2);
    if (std::optional<std::vector<std::string>> strings =
            rules::ExpandToLiteralsInPreferenceOrder(body, 64)) {
      phrases.insert(phrases.end(), strings->begin(), strings->end());
    }
    for (absl::string_view word :
         absl::StrSplit(fragment, absl::ByAnyChar("()?:|\\[]- /+@%.,"), absl::SkipEmpty())) {
      if (word != "b" && word != "d") words.emplace_back(word);
    }
  }
  const std::vector<std::string> glue = {" ", " ", " ", " ", "", ". ", ", ", "\n", "-", "/",
                                         "! ", "? ", " 2. ", ": ", "(", ")", "@", "%", "+", "_",
                                         " 40 ", "1.5", "3", " mg ", "\t", "\xc3\xa9"};
  std::mt19937 random(20261122);
  auto pick = [&random](const std::vector<std::string>& from) -> const std::string& {
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(random)];
  };
  std::vector<std::string> texts;
  for (int i = 0; i < 8000; ++i) {
    std::string text;
    const int pieces = std::uniform_int_distribution<int>(1, 24)(random);
    for (int k = 0; k < pieces; ++k) {
      const int kind = std::uniform_int_distribution<int>(0, 9)(random);
      if (kind < 4) {
        text += pick(phrases);
      } else if (kind < 7) {
        text += pick(words);
      } else if (kind < 8) {  // a piece of a phrase: a word cut anywhere
        const std::string& phrase = pick(phrases);
        const size_t from = std::uniform_int_distribution<size_t>(0, phrase.size() - 1)(random);
        text += phrase.substr(from, std::uniform_int_distribution<size_t>(1, 8)(random));
      } else {
        text += pick(glue);
      }
      text += pick(glue);
    }
    // Upper case here and there: the matcher sees the normalized (lowercased) text.
    if (i % 5 == 0) text = absl::AsciiStrToUpper(text);
    texts.push_back(std::move(text));
  }
  EXPECT_GT(ExpectSameMatches(texts), 100000);
}

}  // namespace
}  // namespace cdiscan::engine
