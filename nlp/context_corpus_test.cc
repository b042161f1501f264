// Measures the assertion layer on nlp/testdata/context_corpus.tsv (hand-annotated synthetic
// sentences) and asserts the issue #3 targets: negation F1 >= 0.95 (positive class: negated),
// temporality and experiencer accuracy >= 0.95. Misclassified sentences are printed so a failing
// run says what to look at.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlp/assertion.h"
#include "nlp/context.h"
#include "nlp/normalizer.h"

namespace cdiscan::nlp {
namespace {

struct Example {
  std::string id, target, sentence, negation, temporality, experiencer;
};

std::vector<Example> LoadCorpus(const std::string& path) {
  std::ifstream in(path);
  std::vector<Example> examples;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    if (f.size() != 6) {
      ADD_FAILURE() << "malformed corpus line: " << line;
      continue;
    }
    examples.push_back({f[0], f[1], f[2], f[3], f[4], f[5]});
  }
  return examples;
}

struct Scores {
  size_t sentences = 0;
  double negation_f1 = 0, negation_accuracy = 0, temporality_accuracy = 0,
         experiencer_accuracy = 0;
};

Scores Score(const std::vector<Example>& examples) {
  const ContextAnalyzer& context = ContextAnalyzer::Default();
  Normalizer normalizer;
  NormalizedText sentence, target;
  int tp = 0, fp = 0, fn = 0, negation_correct = 0, temporality_correct = 0,
      experiencer_correct = 0;
  for (const Example& e : examples) {
    normalizer.Normalize(e.sentence, &sentence);
    normalizer.Normalize(e.target, &target);
    size_t at = sentence.text().find(target.text());
    if (at == std::string::npos) {
      ADD_FAILURE() << e.id << ": target not in sentence";
      continue;
    }
    Span span{static_cast<uint32_t>(at), static_cast<uint32_t>(at + target.text().size())};
    Assertion a = context.Assess(sentence.text(), span);
    const std::string negation(NegationName(a.negation));
    const std::string temporality(TemporalityName(a.temporality));
    const std::string experiencer(ExperiencerName(a.experiencer));
    const bool predicted_negated = negation == "negated";
    const bool gold_negated = e.negation == "negated";
    tp += predicted_negated && gold_negated;
    fp += predicted_negated && !gold_negated;
    fn += !predicted_negated && gold_negated;
    negation_correct += negation == e.negation;
    temporality_correct += temporality == e.temporality;
    experiencer_correct += experiencer == e.experiencer;
    if (negation != e.negation || temporality != e.temporality ||
        experiencer != e.experiencer) {
      std::cout << "MISS " << e.id << " [" << e.target << "] " << e.sentence << "\n     got "
                << negation << "/" << temporality << "/" << experiencer << ", want "
                << e.negation << "/" << e.temporality << "/" << e.experiencer << "\n";
    }
  }
  Scores scores;
  scores.sentences = examples.size();
  const double n = static_cast<double>(examples.size());
  const double precision = tp + fp == 0 ? 0 : static_cast<double>(tp) / (tp + fp);
  const double recall = tp + fn == 0 ? 0 : static_cast<double>(tp) / (tp + fn);
  scores.negation_f1 =
      precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
  scores.negation_accuracy = negation_correct / n;
  scores.temporality_accuracy = temporality_correct / n;
  scores.experiencer_accuracy = experiencer_correct / n;
  std::cout << "sentences " << examples.size() << ": negation F1 " << scores.negation_f1
            << " (precision " << precision << ", recall " << recall << ", 3-way accuracy "
            << scores.negation_accuracy << "), temporality accuracy "
            << scores.temporality_accuracy << ", experiencer accuracy "
            << scores.experiencer_accuracy << "\n";
  return scores;
}

TEST(ContextCorpusTest, MeetsIssueTargets) {
  const std::vector<Example> examples = LoadCorpus("nlp/testdata/context_corpus.tsv");
  ASSERT_GE(examples.size(), 300u);
  Scores s = Score(examples);
  EXPECT_GE(s.negation_f1, 0.95);
  EXPECT_GE(s.temporality_accuracy, 0.95);
  EXPECT_GE(s.experiencer_accuracy, 0.95);
}

// Sentences written after tuning and never tuned on: an honest estimate. Guarded with a looser
// floor so a regression still fails; the figures are reported in nlp/README.md.
TEST(ContextCorpusTest, HeldOutSet) {
  const std::vector<Example> examples = LoadCorpus("nlp/testdata/context_heldout.tsv");
  ASSERT_GE(examples.size(), 50u);
  Scores s = Score(examples);
  EXPECT_GE(s.negation_f1, 0.85);
  EXPECT_GE(s.temporality_accuracy, 0.85);
  EXPECT_GE(s.experiencer_accuracy, 0.85);
}

}  // namespace
}  // namespace cdiscan::nlp
