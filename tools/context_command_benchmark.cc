// Throughput of `cdiscan context` (RunContextCommand) on one core, end to end: TSV parsing,
// normalization, target search, ConText, output formatting. Input: the annotated corpus
// sentences repeated to 200,000 lines, in memory.
//   bazel run -c opt //tools:context_command_benchmark
// items_per_second is sentences/s (issue #3 target: >= 200,000).
#include <fstream>
#include <sstream>
#include <string>

#include "benchmark/benchmark.h"
#include "tools/context_command.h"

namespace cdiscan::tools {
namespace {

void BM_ContextCommand(benchmark::State& state) {
  std::ifstream corpus("nlp/testdata/context_corpus.tsv");
  std::string lines, line;
  int count = 0;
  while (std::getline(corpus, line)) {
    if (line.empty() || line[0] == '#') continue;
    // id, target, sentence (drop the gold columns).
    size_t tab3 = line.find('\t', line.find('\t', line.find('\t') + 1) + 1);
    lines += line.substr(0, tab3) + "\n";
    ++count;
  }
  if (count == 0) {
    state.SkipWithError("corpus not found (run via bazel run)");
    return;
  }
  std::string input;
  int total = 0;
  while (total < 200000) {
    input += lines;
    total += count;
  }
  for (auto _ : state) {
    std::istringstream in(input);
    std::ostringstream out, err;
    benchmark::DoNotOptimize(RunContextCommand(in, out, err));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * total);
}
BENCHMARK(BM_ContextCommand)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cdiscan::tools
