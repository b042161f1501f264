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

std::vector<Example> LoadCorpus() {
  std::ifstream in("nlp/testdata/context_corpus.tsv");
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

TEST(ContextCorpusTest, MeetsIssueTargets) {
  const std::vector<Example> examples = LoadCorpus();
  ASSERT_GE(examples.size(), 300u);
  const ContextAnalyzer& context = ContextAnalyzer::Default();
  Normalizer normalizer;
  NormalizedText sentence, target;
  int tp = 0, fp = 0, fn = 0, negation_correct = 0, temporality_correct = 0,
      experiencer_correct = 0;
  for (const Example& e : examples) {
    normalizer.Normalize(e.sentence, &sentence);
    normalizer.Normalize(e.target, &target);
    size_t at = sentence.text().find(target.text());
    ASSERT_NE(at, std::string::npos) << e.id << ": target not in sentence";
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
  const double n = static_cast<double>(examples.size());
  const double precision = tp + fp == 0 ? 0 : static_cast<double>(tp) / (tp + fp);
  const double recall = tp + fn == 0 ? 0 : static_cast<double>(tp) / (tp + fn);
  const double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
  std::cout << "sentences " << examples.size() << "\nnegation: precision " << precision
            << " recall " << recall << " F1 " << f1 << " (3-way accuracy "
            << negation_correct / n << ")\ntemporality accuracy " << temporality_correct / n
            << "\nexperiencer accuracy " << experiencer_correct / n << "\n";
  EXPECT_GE(f1, 0.95);
  EXPECT_GE(temporality_correct / n, 0.95);
  EXPECT_GE(experiencer_correct / n, 0.95);
}

}  // namespace
}  // namespace cdiscan::nlp
