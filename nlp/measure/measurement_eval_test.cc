// Precision and recall of measurement extraction on nlp/measure/testdata/lab_lines.tsv: 287
// synthetic lab and vital lines (one note each) with their expected measurements, including
// lines that hold none (doses, dates, phone numbers, thresholds, abbreviations). Issue #4 asks
// for precision >= 0.98 and recall >= 0.95. Regenerate the file with gen_lab_lines.py.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlp/measure/measurement_extractor.h"
#include "nlp/note_analysis.h"

namespace cdiscan::nlp {
namespace {

struct Gold {
  std::string key;
  double value = 0;
  bool used = false;
};

bool Same(const Gold& g, const MeasurementFact& f) {
  return g.key == f.key() && std::abs(g.value - f.value()) <= 0.01 + 0.005 * std::abs(g.value);
}

TEST(MeasurementEval, PrecisionAndRecallOnSyntheticLabLines) {
  std::ifstream in("nlp/measure/testdata/lab_lines.tsv");
  ASSERT_TRUE(in.good());
  const NoteAnalyzer& analyzer = NoteAnalyzer::Default();
  const MeasurementExtractor& extractor = MeasurementExtractor::Default();
  AnalyzedNote note;
  int lines = 0, gold_total = 0, predicted = 0, correct = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    ASSERT_EQ(cols.size(), 2u) << line;
    ++lines;
    std::vector<Gold> gold;
    for (absl::string_view item : absl::StrSplit(cols[1], ';', absl::SkipEmpty())) {
      std::pair<std::string, std::string> kv = absl::StrSplit(item, '=');
      Gold g{kv.first};
      ASSERT_TRUE(absl::SimpleAtod(kv.second, &g.value)) << line;
      gold.push_back(g);
    }
    analyzer.Analyze(cols[0], &note);
    google::protobuf::RepeatedPtrField<MeasurementFact> facts;
    extractor.Extract(cols[0], note, &facts);
    gold_total += gold.size();
    predicted += facts.size();
    for (const MeasurementFact& f : facts) {
      bool hit = false;
      for (Gold& g : gold) {
        if (!g.used && Same(g, f)) {
          g.used = hit = true;
          break;
        }
      }
      if (hit) {
        ++correct;
      } else {
        std::printf("FALSE POSITIVE %s=%g in: %s\n", f.key().c_str(), f.value(), cols[0].c_str());
      }
    }
    for (const Gold& g : gold) {
      if (!g.used) std::printf("MISSED %s=%g in: %s\n", g.key.c_str(), g.value, cols[0].c_str());
    }
  }
  const double precision = predicted == 0 ? 0 : static_cast<double>(correct) / predicted;
  const double recall = gold_total == 0 ? 0 : static_cast<double>(correct) / gold_total;
  std::printf("lines=%d gold=%d predicted=%d correct=%d precision=%.4f recall=%.4f\n", lines,
              gold_total, predicted, correct, precision, recall);
  EXPECT_GE(lines, 200);
  EXPECT_GE(precision, 0.98);
  EXPECT_GE(recall, 0.95);
}

}  // namespace
}  // namespace cdiscan::nlp
