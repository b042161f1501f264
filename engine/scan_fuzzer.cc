// Fuzz target for the note scan, which reads outside bytes (note text): analysis, every rule
// term and the treatment gate in one RE2::Set pass, ConText with its per-note cache, every
// measurement and treatment, and the facts as JSON.
// Invariants: no crash, no sanitizer report; every span is inside the note and quotes it
// exactly; a note's facts do not depend on the note scanned before it; the JSON printer either
// declines or writes protobuf's bytes.
//
// With clang + libFuzzer: tools/run_fuzzer.sh //engine:scan_fuzzer 600 engine/testdata/fuzz_seeds
// With gcc: //engine:scan_fuzzer_test replays engine/testdata/fuzz_seeds on every `bazel test`.
#include <cstdint>
#include <string>

#include "base/fuzz_invariant.h"
#include "engine/note_scanner.h"
#include "google/protobuf/util/json_util.h"
#include "io/proto_json.h"
#include "rules/bundled_library_for_tests.h"

namespace {

const cdiscan::engine::NoteScanner& Scanner() {
  static const cdiscan::engine::NoteScanner* const kScanner = new cdiscan::engine::NoteScanner(
      cdiscan::rules::BundledLibraryForTests(), cdiscan::engine::NoteScanner::Keep::kEverything);
  return *kScanner;
}

void CheckSpan(const std::string& text, const cdiscan::TextSpan& span) {
  CHECK_INVARIANT(span.begin() <= span.end());
  CHECK_INVARIANT(span.end() <= text.size());
  CHECK_INVARIANT(span.text() == text.substr(span.begin(), span.end() - span.begin()));
}

void CheckJson(const cdiscan::NoteFacts& facts) {
  std::string ours;
  if (!cdiscan::io::AppendProtoJson(facts, &ours)) return;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string theirs;
  CHECK_INVARIANT(google::protobuf::util::MessageToJsonString(facts, &theirs, options).ok());
  CHECK_INVARIANT(ours == theirs);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const cdiscan::engine::NoteScanner& scanner = Scanner();
  static cdiscan::engine::NoteScanner::Scratch scratch;
  cdiscan::Note note;
  note.set_note_id("n");
  note.set_text(std::string(reinterpret_cast<const char*>(data), size));
  const std::string first = scanner.Scan(note, 0, &scratch).SerializeAsString();

  cdiscan::Note other;  // a different note in between: nothing of it may leak into the next
  other.set_text("No fever. Na 126. Continue IV lasix.\n" + note.text().substr(0, 64));
  scanner.Scan(other, 1, &scratch);

  const cdiscan::NoteFacts& facts = scanner.Scan(note, 0, &scratch);
  CHECK_INVARIANT(facts.SerializeAsString() == first);
  // The nightly scan's packed facts are those messages, serialized (engine/wire_fact_writer).
  CHECK_INVARIANT(scanner.ScanPacked(note, 0, &scratch) == first);
  for (const cdiscan::MentionFact& m : facts.mention()) CheckSpan(note.text(), m.span());
  for (const cdiscan::MeasurementFact& m : facts.measurement()) CheckSpan(note.text(), m.span());
  for (const cdiscan::TreatmentFact& t : facts.treatment()) CheckSpan(note.text(), t.span());
  CheckJson(facts);
  return 0;
}
