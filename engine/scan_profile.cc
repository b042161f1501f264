// Scans one note text file N times with the full rule library, as the nightly scan does
// (NoteScanner::ScanPacked), for instruction counts that do not depend on what else the machine
// runs (wall-clock benchmarks on a shared 2-core machine do).
// The difference of two runs cancels start-up (rule compilation, RE2 DFA warm-up):
//
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//     bazel-bin/engine/scan_profile NOTE.txt 200     # minus the same with 100, divided by 100
//
// tools/scan_instructions.sh does exactly that. Wall-clock figures come from
// //engine:scan_benchmark and //nlp/measure:measure_benchmark. With a third argument
// `without_extraction`, the scanner extracts no measurements and no treatments: the scan that
// issue #4's "extraction adds no more than 30%" is measured against; with `without_treatments`,
// no treatments (what they add apart from the measurements). With NOTE.txt given as
// `synthetic`, each iteration scans the 300 notes of the benchmark corpus (BM_ScanNote's); a
// file whose name ends in `.jsonl` is read as cdiscan notes, one JSON object per line
// (proto/note.proto), and each iteration scans all of them.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "base/test_files.h"
#include "engine/benchmark_corpus.h"
#include "engine/note_scanner.h"
#include "io/json_record.h"
#include "io/line_reader.h"
#include "nlp/measure/measurement_extractor.h"
#include "nlp/measure/no_extraction.h"
#include "proto/note.pb.h"
#include "rules/rule_library.h"

int main(int argc, char** argv) {
  const std::string mode = argc == 4 ? argv[3] : "";
  const bool without_extraction = mode == "without_extraction";
  const bool without_treatments = mode == "without_treatments";
  if (argc != 3 && !without_extraction && !without_treatments) {
    std::fprintf(stderr,
                 "usage: scan_profile NOTE.txt ITERATIONS "
                 "[without_extraction|without_treatments]\n");
    return 2;
  }
  absl::StatusOr<std::unique_ptr<const cdiscan::rules::RuleLibrary>> library =
      cdiscan::rules::RuleLibrary::LoadBundled();
  if (!library.ok()) {
    std::fprintf(stderr, "%s\n", std::string(library.status().message()).c_str());
    return 1;
  }
  std::vector<cdiscan::Note> notes;
  if (std::string(argv[1]) == "synthetic") {
    notes = cdiscan::engine::BenchmarkCorpus();
  } else if (absl::EndsWith(argv[1], ".jsonl")) {
    // Read as `cdiscan scan` reads notes.
    absl::StatusOr<std::unique_ptr<cdiscan::io::LineReader>> reader =
        cdiscan::io::LineReader::Open(argv[1]);
    if (!reader.ok()) {
      std::fprintf(stderr, "%s\n", std::string(reader.status().message()).c_str());
      return 1;
    }
    cdiscan::io::JsonRecordParser parser;
    std::string line;
    while ((*reader)->Next(&line)) {
      if (absl::StripAsciiWhitespace(line).empty()) continue;
      if (const absl::Status parsed = parser.Parse(line, &notes.emplace_back()); !parsed.ok()) {
        std::fprintf(stderr, "%s:%llu: %s\n", argv[1],
                     static_cast<unsigned long long>((*reader)->line_number()),
                     std::string(parsed.message()).c_str());
        return 1;
      }
    }
    if (notes.empty()) {
      std::fprintf(stderr, "%s: no notes\n", argv[1]);
      return 1;
    }
  } else {
    cdiscan::Note& note = notes.emplace_back();
    note.set_note_id("n1");
    note.set_encounter_id("e1");
    note.set_text(cdiscan::test::ReadFile(argv[1]));
  }
  const int iterations = std::atoi(argv[2]);
  const cdiscan::nlp::NoMeasurements no_measurements;
  const cdiscan::nlp::NoTreatments no_treatments;
  // The measurements the full scanner extracts: those the rules read. Built in every mode, so
  // that the three modes scan from the same heap: glibc's per-scan allocation costs depend on
  // it, and building this for `without_treatments` alone moved the bare scan by 1%.
  const std::unique_ptr<const cdiscan::nlp::MeasurementExtractor> rule_measurements =
      cdiscan::nlp::MeasurementExtractor::ForKeys((*library)->measurement_keys());
  const cdiscan::engine::NoteScanner scanner =
      without_extraction ? cdiscan::engine::NoteScanner(**library, no_measurements, no_treatments)
      : without_treatments
          ? cdiscan::engine::NoteScanner(**library, *rule_measurements, no_treatments)
          : cdiscan::engine::NoteScanner(**library);
  cdiscan::engine::NoteScanner::Scratch scratch;
  // Warm-up that every run does alike: RE2 builds its DFA states lazily.
  const int warm_ups = notes.size() > 1 ? 2 : 50;  // a corpus has tens to thousands of notes
  for (int i = 0; i < warm_ups; ++i) {
    for (const cdiscan::Note& note : notes) scanner.ScanPacked(note, i, &scratch);
  }
  size_t packed = 0;
  for (int i = 0; i < iterations; ++i) {
    for (const cdiscan::Note& note : notes) packed += scanner.ScanPacked(note, i, &scratch).size();
  }
  size_t bytes = 0;
  for (const cdiscan::Note& note : notes) bytes += note.text().size();
  std::printf("%zu bytes of facts per pass, %zu bytes per note\n",
              packed / (iterations > 0 ? iterations : 1), bytes / notes.size());
  return 0;
}
