// Microbenchmarks of the per-note work, on synthetic notes (tools/synthetic_notes.h).
//   bazel run -c opt //engine:scan_benchmark
// Reports bytes/s of note text. BM_ScanNote is everything a note costs in the nightly scan
// (analysis, one RE2::Set pass for all rule terms, measurements, treatments, the packed facts);
// the others isolate one stage each.
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "engine/benchmark_corpus.h"
#include "engine/note_scanner.h"
#include "io/json_record.h"
#include "rules/bundled_library_for_tests.h"
#include "rules/rule_library.h"
#include "tools/synthetic_notes.h"

namespace cdiscan::engine {
namespace {

const rules::RuleLibrary& Library() { return rules::BundledLibraryForTests(); }

template <typename Work>
void RunOverCorpus(benchmark::State& state, Work work) {
  const std::vector<Note> notes = BenchmarkCorpus();
  int64_t bytes = 0;
  size_t i = 0;
  for (auto _ : state) {
    const Note& note = notes[i++ % notes.size()];
    work(note);
    bytes += static_cast<int64_t>(note.text().size());
  }
  state.SetBytesProcessed(bytes);
}

// What the nightly scan does per note: facts straight to their packed (serialized) form.
void BM_ScanNote(benchmark::State& state) {
  NoteScanner scanner(Library());
  NoteScanner::Scratch scratch;
  RunOverCorpus(state, [&](const Note& note) {
    benchmark::DoNotOptimize(scanner.ScanPacked(note, 0, &scratch).size());
  });
}
BENCHMARK(BM_ScanNote);

// The same facts as protobuf messages (`cdiscan facts`, rule examples); before packed facts
// were written directly, the nightly scan did this and then serialized the messages.
void BM_ScanNoteToMessages(benchmark::State& state) {
  NoteScanner scanner(Library());
  NoteScanner::Scratch scratch;
  RunOverCorpus(state, [&](const Note& note) {
    benchmark::DoNotOptimize(scanner.Scan(note, 0, &scratch).mention_size());
  });
}
BENCHMARK(BM_ScanNoteToMessages);

void BM_AnalyzeNote(benchmark::State& state) {
  nlp::AnalyzedNote analyzed;
  RunOverCorpus(state, [&](const Note& note) {
    nlp::NoteAnalyzer::Default().Analyze(note.text(), &analyzed);
  });
}
BENCHMARK(BM_AnalyzeNote);

void BM_MatchTerms(benchmark::State& state) {
  nlp::AnalyzedNote analyzed;
  google::protobuf::RepeatedPtrField<MentionFact> mentions;
  const std::vector<Note> notes = BenchmarkCorpus();
  std::vector<nlp::AnalyzedNote> prepared(notes.size());
  for (size_t i = 0; i < notes.size(); ++i) {
    nlp::NoteAnalyzer::Default().Analyze(notes[i].text(), &prepared[i]);
  }
  int64_t bytes = 0;
  int64_t found = 0;
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ % notes.size();
    mentions.Clear();
    Library().matcher().Match(notes[k].text(), prepared[k], nlp::NoteAnalyzer::Default(), &mentions);
    bytes += static_cast<int64_t>(notes[k].text().size());
    found += mentions.size();
  }
  state.SetBytesProcessed(bytes);
  state.counters["mentions_per_note"] =
      benchmark::Counter(static_cast<double>(found), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_MatchTerms);

void BM_ExtractMeasurements(benchmark::State& state) {
  const std::vector<Note> notes = BenchmarkCorpus();
  std::vector<nlp::AnalyzedNote> prepared(notes.size());
  for (size_t i = 0; i < notes.size(); ++i) {
    nlp::NoteAnalyzer::Default().Analyze(notes[i].text(), &prepared[i]);
  }
  google::protobuf::RepeatedPtrField<MeasurementFact> measurements;
  int64_t bytes = 0;
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ % notes.size();
    measurements.Clear();
    nlp::MeasurementExtractor::Default().Extract(notes[k].text(), prepared[k], &measurements);
    bytes += static_cast<int64_t>(notes[k].text().size());
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_ExtractMeasurements);

void BM_ParseJsonRecord(benchmark::State& state) {
  const std::vector<Note> notes = BenchmarkCorpus();
  std::vector<std::string> lines;
  for (const Note& note : notes) {
    lines.push_back("{\"note_id\":\"" + note.note_id() +
                    "\",\"patient_id\":\"p\",\"encounter_id\":\"e\",\"author_role\":\"PHYSICIAN\","
                    "\"text\":\"" + tools::JsonEscape(note.text()) + "\"}");
  }
  io::JsonRecordParser parser;
  Note note;
  int64_t bytes = 0;
  size_t i = 0;
  for (auto _ : state) {
    const std::string& line = lines[i++ % lines.size()];
    benchmark::DoNotOptimize(parser.Parse(line, &note));
    bytes += static_cast<int64_t>(line.size());
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_ParseJsonRecord);

}  // namespace
}  // namespace cdiscan::engine
