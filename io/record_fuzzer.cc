// Fuzz target for what reads outside bytes in io/: line splitting and JSON records of every
// input type (cdiscan Note / Encounter / Observation, FHIR Observation), plus validation.
// Invariants: no crash, no sanitizer report; a record that parses and validates has its
// required fields.
//
// With clang + libFuzzer: tools/run_fuzzer.sh io/record_fuzzer.cc 600
// With gcc: //io:record_fuzzer_test replays io/testdata/fuzz_seeds on every `bazel test`.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "base/fuzz_invariant.h"
#include "engine/timeline/observation_mapper.h"
#include "io/json_record.h"
#include "io/line_reader.h"
#include "io/record_validation.h"
#include "proto/note.pb.h"

namespace {

class MemorySource : public cdiscan::io::ByteSource {
 public:
  MemorySource(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  int64_t Read(char* buffer, size_t size) override {
    // Small, uneven reads exercise the line reader's buffer refills.
    size_t n = std::min({size, size_ - pos_, size_t{7} + pos_ % 13});
    std::memcpy(buffer, data_ + pos_, n);
    pos_ += n;
    return static_cast<int64_t>(n);
  }
  absl::Status status() const override { return absl::OkStatus(); }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cdiscan::io::LineReader reader(std::make_unique<MemorySource>(data, size), "<fuzz>");
  cdiscan::io::JsonRecordParser parser;
  cdiscan::Note note;
  cdiscan::Encounter encounter;
  cdiscan::Observation observation;
  cdiscan::io::RecordLimits limits;
  std::string line;
  size_t total = 0;
  while (reader.Next(&line)) {
    total += line.size() + 1;
    CHECK_INVARIANT(total <= size + 1);
    if (parser.Parse(line, &note).ok() && cdiscan::io::ValidateNote(note, limits).ok()) {
      CHECK_INVARIANT(!note.note_id().empty() && !note.encounter_id().empty() &&
                      !note.text().empty());
    }
    if (parser.Parse(line, &encounter).ok() && cdiscan::io::ValidateEncounter(encounter).ok()) {
      CHECK_INVARIANT(!encounter.encounter_id().empty());
    }
    (void)parser.Parse(line, &observation);
    auto fhir = cdiscan::timeline::ParseObservationLine(line);
    if (fhir.ok()) {
      for (const cdiscan::Observation& o : *fhir) (void)cdiscan::timeline::MapObservation(o);
    }
  }
  CHECK_INVARIANT(reader.status().ok());
  return 0;
}
