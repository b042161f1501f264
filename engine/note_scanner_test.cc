#include "engine/note_scanner.h"

#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/test_files.h"
#include "engine/scan_pipeline.h"
#include "gtest/gtest.h"
#include "rules/bundled_library_for_tests.h"
#include "rules/rule_evaluator.h"
#include "rules/rule_library.h"
#include "rules/severity_table.h"
#include "tools/synthetic_notes.h"

namespace cdiscan::engine {
namespace {

const rules::RuleLibrary& Library() { return rules::BundledLibraryForTests(); }

std::vector<std::string> NoteTexts() {
  std::vector<std::string> texts = {
      test::ReadFile("testdata/bench/dense_progress_note.txt"),
      test::ReadFile("testdata/bench/narrative_hp_note.txt"),
  };
  tools::SyntheticNotes writer(11);
  for (int i = 0; i < 150; ++i) texts.push_back(i % 3 == 1 ? writer.Nursing() : writer.Physician(i));
  return texts;
}

// Term list numbers mean something only in the library that scanned: a scanner and an
// evaluator of two libraries must not be used together.
TEST(NoteScannerDeathTest, RefusesAnEvaluatorOfAnotherLibrary) {
  const NoteScanner scanner(Library());
  auto other = rules::RuleLibrary::LoadBundled();
  ASSERT_TRUE(other.ok()) << other.status();
  const rules::SeverityTable& severity = rules::SeverityTable::Bundled();
  const rules::RuleEvaluator evaluator(**other, severity);
  EXPECT_DEATH(RequireSameLibrary(scanner, evaluator, "test"), "different rule libraries");
  const rules::RuleEvaluator same(Library(), severity);
  RequireSameLibrary(scanner, same, "test");  // returns
}

// The nightly scan writes facts in protobuf's wire format directly (engine/wire_fact_writer);
// those bytes must be the messages' serialization, for every kind of fact and field: long
// spans (a length over one byte), values of zero and -0.0, big sequence numbers.
TEST(NoteScannerTest, PackedFactsAreTheMessagesSerialized) {
  const NoteScanner scanner(Library(), NoteScanner::Keep::kEverything);
  const NoteScanner nightly(Library());
  NoteScanner::Scratch scratch;
  std::vector<std::string> texts = NoteTexts();
  texts.push_back("Temp -0.0 C. BUN 0. Na 0.\n" + std::string(300, 'x') + " no fever");
  texts.push_back("Heart failure " + std::string(200, 'a') + " exacerbation. Lasix IV.");
  texts.push_back("");
  int facts_seen = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    Note note;
    note.set_note_id(absl::StrCat("n", i));
    note.set_patient_id("p");
    note.set_encounter_id(i % 2 ? "e" : "");
    note.set_note_type("Progress Note");
    note.set_author_role(i % 3 == 1 ? NURSE : PHYSICIAN);
    note.set_authored_at("2026-11-01T08:00:00Z");
    note.set_text(texts[i]);
    const uint64_t sequence = i * 1000003ull << 20;
    for (const NoteScanner* s : {&scanner, &nightly}) {
      const std::string expected = s->Scan(note, sequence, &scratch).SerializeAsString();
      EXPECT_EQ(s->ScanPacked(note, sequence, &scratch), expected) << texts[i];
      NoteFacts parsed;
      ASSERT_TRUE(parsed.ParseFromString(s->ScanPacked(note, sequence, &scratch)));
      facts_seen += parsed.mention_size() + parsed.measurement_size() + parsed.treatment_size();
    }
  }
  EXPECT_GT(facts_seen, 2000);  // the comparison is over real work
}

// The scanner finds treatments in the rule terms' set pass (a gate) and passes the matches to
// the extractor; that must give what the extractor finds searching the note on its own.
TEST(NoteScannerTest, TreatmentsFromTheSharedPassEqualTheirOwnSearch) {
  const NoteScanner scanner(Library(), NoteScanner::Keep::kEverything);
  const nlp::TreatmentExtractor& treatments = nlp::TreatmentExtractor::Default();
  const nlp::NoteAnalyzer& analyzer = nlp::NoteAnalyzer::Default();
  NoteScanner::Scratch scratch;
  nlp::AnalyzedNote analyzed;
  int found = 0;
  for (const std::string& text : NoteTexts()) {
    ASSERT_FALSE(text.empty());
    Note note;
    note.set_text(text);
    const NoteFacts& facts = scanner.Scan(note, 0, &scratch);
    analyzer.Analyze(text, &analyzed);
    google::protobuf::RepeatedPtrField<TreatmentFact> alone;
    treatments.Extract(text, analyzed, &alone);
    ASSERT_EQ(facts.treatment_size(), alone.size()) << text;
    for (int i = 0; i < alone.size(); ++i) {
      EXPECT_EQ(facts.treatment(i).SerializeAsString(), alone.Get(i).SerializeAsString())
          << alone.Get(i).ShortDebugString();
    }
    found += alone.size();
  }
  EXPECT_GT(found, 100);  // the comparison is over real work
}

// Mentions of `matcher` and of `reference` over `texts` are the same facts, in the same order.
// Returns how many there were.
int ExpectSameMentions(const rules::TermMatcher& matcher, const rules::TermMatcher& reference,
                       const std::vector<std::string>& texts) {
  const nlp::NoteAnalyzer& analyzer = nlp::NoteAnalyzer::Default();
  nlp::AnalyzedNote analyzed;
  int mentions = 0;
  for (const std::string& text : texts) {
    analyzer.Analyze(text, &analyzed);
    google::protobuf::RepeatedPtrField<MentionFact> fast, slow;
    matcher.Match(text, analyzed, analyzer, &fast);
    reference.Match(text, analyzed, analyzer, &slow);
    EXPECT_EQ(fast.size(), slow.size()) << text;
    if (fast.size() != slow.size()) continue;
    for (int i = 0; i < fast.size(); ++i) {
      EXPECT_EQ(fast.Get(i).SerializeAsString(), slow.Get(i).SerializeAsString())
          << fast.Get(i).ShortDebugString() << " vs " << slow.Get(i).ShortDebugString();
    }
    mentions += fast.size();
  }
  return mentions;
}

// Every pattern located by RE2 alone, without substring searches or literal prefilters: what
// the matcher must find.
std::unique_ptr<rules::TermMatcher> Re2OnlyMatcher() {
  rules::MatcherLimits re2_only;
  re2_only.max_literal_expansion = 0;
  re2_only.min_required_literal = 0;
  absl::StatusOr<std::unique_ptr<rules::TermMatcher>> reference =
      Library().matcher().WithLimits(re2_only);
  EXPECT_TRUE(reference.ok()) << reference.status();
  return reference.ok() ? std::move(*reference) : nullptr;
}

// Notes shuffled from the words and separators of `texts`, so that patterns meet their
// literals in places and combinations the notes do not have ("2+ pitting edema" pieces,
// "on 2 l nc", numbers before and after every word).
std::vector<std::string> ShuffledNotes(const std::vector<std::string>& texts, int count) {
  std::vector<std::string> words;
  for (const std::string& text : texts) {
    size_t begin = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
      if (i == text.size() || text[i] == ' ' || text[i] == '\n') {
        if (i > begin) words.push_back(text.substr(begin, i - begin));
        begin = i + 1;
      }
    }
  }
  for (const char* piece : {"2+", "+", "pitting", "edema", "on", "2", "l", "nc", "at", "home",
                            "poor", "intake", "x", "3", "days", "1+ edema", "3+"}) {
    for (int k = 0; k < 50; ++k) words.push_back(piece);
  }
  const char* const separators[] = {" ", " ", " ", "  ", "\n", ". ", ", ", "-"};
  std::mt19937 random(20261123);
  std::vector<std::string> notes;
  for (int n = 0; n < count; ++n) {
    std::string note;
    const int length = 1 + random() % 400;
    for (int w = 0; w < length; ++w) {
      note += words[random() % words.size()];
      note += separators[random() % std::size(separators)];
    }
    notes.push_back(std::move(note));
  }
  return notes;
}

// Most patterns of the library are located by substring searches (literal expansion), and
// most others by RE2 only near a literal they require; RE2 alone must find exactly the same
// mentions.
TEST(NoteScannerTest, LiteralLocatorsFindWhatRe2Finds) {
  const std::unique_ptr<rules::TermMatcher> reference = Re2OnlyMatcher();
  ASSERT_NE(reference, nullptr);
  EXPECT_GT(ExpectSameMentions(Library().matcher(), *reference, NoteTexts()), 1000);
}

// The required-literal prefilter alone, on every pattern of the library that has one (no
// substring searches), on the notes and on shuffled notes.
TEST(NoteScannerTest, RequiredLiteralPrefilterFindsWhatRe2Finds) {
  const std::unique_ptr<rules::TermMatcher> reference = Re2OnlyMatcher();
  ASSERT_NE(reference, nullptr);
  rules::MatcherLimits prefiltered;
  prefiltered.max_literal_expansion = 0;
  prefiltered.min_required_literal = 1;
  absl::StatusOr<std::unique_ptr<rules::TermMatcher>> matcher =
      Library().matcher().WithLimits(prefiltered);
  ASSERT_TRUE(matcher.ok()) << matcher.status();
  const std::vector<std::string> texts = NoteTexts();
  EXPECT_GT(ExpectSameMentions(**matcher, *reference, texts), 1000);
  EXPECT_GT(ExpectSameMentions(**matcher, *reference, ShuffledNotes(texts, 300)), 1000);
  EXPECT_GT(ExpectSameMentions(Library().matcher(), *reference, ShuffledNotes(texts, 300)), 1000);
}

// The facts of a note do not depend on what the scanner scanned before (its caches are per
// note).
TEST(NoteScannerTest, FactsDoNotDependOnEarlierNotes) {
  const NoteScanner scanner(Library());
  const std::vector<std::string> texts = NoteTexts();
  std::vector<std::string> first_pass;
  NoteScanner::Scratch scratch;
  for (const std::string& text : texts) {
    Note note;
    note.set_text(text);
    first_pass.push_back(scanner.Scan(note, 0, &scratch).SerializeAsString());
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    NoteScanner::Scratch fresh;
    Note note;
    note.set_text(texts[i]);
    EXPECT_EQ(scanner.Scan(note, 0, &fresh).SerializeAsString(), first_pass[i]) << i;
  }
}

}  // namespace
}  // namespace cdiscan::engine
