// The synthetic corpus the scan benchmarks run over (the foundation benchmark, BM_ScanNote):
// 300 notes from a fixed seed, every third one a ~250-byte nursing note, the rest physician
// notes of about 1 KB. scan_profile counts instructions over the same notes.
#ifndef CDISCAN_ENGINE_BENCHMARK_CORPUS_H_
#define CDISCAN_ENGINE_BENCHMARK_CORPUS_H_

#include <string>
#include <vector>

#include "proto/note.pb.h"
#include "tools/synthetic_notes.h"

namespace cdiscan::engine {

inline std::vector<Note> BenchmarkCorpus() {
  tools::SyntheticNotes writer(7);
  std::vector<Note> notes;
  for (int i = 0; i < 300; ++i) {
    Note note;
    note.set_note_id(std::to_string(i));
    note.set_encounter_id("e");
    note.set_patient_id("p");
    note.set_author_role(i % 3 == 1 ? NURSE : PHYSICIAN);
    note.set_text(i % 3 == 1 ? writer.Nursing() : writer.Physician(1));
    notes.push_back(std::move(note));
  }
  return notes;
}

}  // namespace cdiscan::engine

#endif  // CDISCAN_ENGINE_BENCHMARK_CORPUS_H_
