// Throughput of the NLP core on one core.
//   bazel run -c opt //nlp:nlp_benchmark
// BM_NoteLayers: normalize + tokenize + sections + sentences over a synthetic ASCII note
// (bytes/s is the issue #3 figure, target >= 100 MB/s). BM_ContextAssess: ConText over the
// annotated corpus sentences (items/s = sentences/s).
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "benchmark/benchmark.h"
#include "nlp/context.h"
#include "nlp/normalizer.h"
#include "nlp/section.h"
#include "nlp/sentence.h"
#include "nlp/tokenizer.h"

namespace cdiscan::nlp {
namespace {

// A synthetic discharge-summary-like note (no real patient data), ~3 KB, repeated.
std::string SyntheticNote() {
  const std::string part =
      "CHIEF COMPLAINT: Shortness of breath.\n"
      "HISTORY OF PRESENT ILLNESS: 72 year old female with h/o CHF (EF 30%), CKD stage 3b and "
      "COPD who presents with 3 days of worsening dyspnea on exertion, orthopnea and bilateral "
      "leg swelling. She denies fever, chills, chest pain, or palpitations. Reports a 6 lb weight "
      "gain. Dr. Smith increased lasix 40 mg b.i.d. last week without improvement.\n"
      "PAST MEDICAL HISTORY:\n1. CHF. 2. CKD 3b. 3. COPD on 2 L home O2.\n"
      "FAMILY HISTORY: Mother with breast cancer. Father had MI at 60.\n"
      "SOCIAL HISTORY: Former smoker, quit 10 years ago. No alcohol or drug use.\n"
      "REVIEW OF SYSTEMS: Negative for fever, chills, nausea, vomiting, diarrhea.\n"
      "PHYSICAL EXAM:\nVitals: T 98.6 F, HR 104, BP 84/46, RR 24, SpO2 86% on RA -> 94% on 4 "
      "L/min.\nGeneral: in mild respiratory distress. Lungs: bibasilar crackles, no wheezes.\n"
      "Extremities: 2+ pitting edema to the knees.\n"
      "LABS: Na 138 -> 126 mmol/L, K 5.6, Cr 2.3 <- 0.9 mg/dL, BUN 48, WBC 1,450, Hgb 8.1 g/dL, "
      "lactate 2.4, BNP 1,850 pg/mL, troponin 0.09 ng/mL.\n"
      "IMAGING: CXR with pulmonary edema and small bilateral pleural effusions. No focal "
      "consolidation.\n"
      "ASSESSMENT AND PLAN:\n"
      "1. Acute on chronic systolic heart failure exacerbation. IV furosemide 80 mg b.i.d., "
      "strict I/O, daily weights, fluid restriction 1.5 L/day.\n"
      "2. Acute kidney injury on CKD 3b, likely cardiorenal. Trend creatinine, avoid "
      "nephrotoxins.\n"
      "3. Hyponatremia, hypervolemic. Fluid restriction.\n"
      "4. Acute hypoxic respiratory failure requiring 4 L NC, wean as tolerated.\n"
      "5. Anemia of CKD, transfuse if Hgb < 7.\n"
      "DVT prophylaxis: heparin SQ. Code status: full.\n"
      "DISCHARGE INSTRUCTIONS: Weigh yourself daily. Call if you gain more than 3 lb in a day "
      "or develop worsening shortness of breath.\n\n";
  std::string note;
  while (note.size() < 16 * 1024) note += part;
  return note;
}

void BM_NoteLayers(benchmark::State& state) {
  const std::string note = SyntheticNote();
  Normalizer normalizer;
  Tokenizer tokenizer;
  SectionDetector sections;
  SentenceSplitter splitter;
  NormalizedText norm;
  std::vector<Token> tokens;
  std::vector<Section> found;
  std::vector<Span> sentences;
  for (auto _ : state) {
    normalizer.Normalize(note, &norm);
    tokenizer.Tokenize(norm.text(), &tokens);
    sections.Detect(norm, &found);
    splitter.Split(norm, &sentences);
    benchmark::DoNotOptimize(tokens.data());
    benchmark::DoNotOptimize(sentences.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * note.size());
}
BENCHMARK(BM_NoteLayers);

void BM_Normalize(benchmark::State& state) {
  const std::string note = SyntheticNote();
  Normalizer normalizer;
  NormalizedText norm;
  for (auto _ : state) normalizer.Normalize(note, &norm);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * note.size());
}
BENCHMARK(BM_Normalize);

void BM_Tokenize(benchmark::State& state) {
  Normalizer normalizer;
  NormalizedText norm;
  normalizer.Normalize(SyntheticNote(), &norm);
  Tokenizer tokenizer;
  std::vector<Token> tokens;
  for (auto _ : state) tokenizer.Tokenize(norm.text(), &tokens);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * norm.text().size());
}
BENCHMARK(BM_Tokenize);

void BM_ContextAssess(benchmark::State& state) {
  // (normalized sentence, target span) pairs from the annotated corpus.
  std::vector<std::pair<std::string, Span>> inputs;
  std::ifstream in("nlp/testdata/context_corpus.tsv");
  Normalizer normalizer;
  NormalizedText s, t;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    if (f.size() < 3) continue;
    normalizer.Normalize(f[2], &s);
    normalizer.Normalize(f[1], &t);
    size_t at = s.text().find(t.text());
    if (at == std::string::npos) continue;
    inputs.emplace_back(s.text(), Span{static_cast<uint32_t>(at),
                                       static_cast<uint32_t>(at + t.text().size())});
  }
  if (inputs.empty()) {
    state.SkipWithError("corpus not found (run from the workspace root or via bazel run)");
    return;
  }
  const ContextAnalyzer& context = ContextAnalyzer::Default();
  size_t i = 0;
  for (auto _ : state) {
    const auto& [sentence, target] = inputs[i];
    benchmark::DoNotOptimize(context.Assess(sentence, target));
    if (++i == inputs.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ContextAssess);

}  // namespace
}  // namespace cdiscan::nlp
