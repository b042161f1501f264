// Turns one note into its small facts: analyze (normalize, sections, sentences), match every
// rule term and every treatment phrase in one RE2::Set pass with assertion, extract
// measurements.
//
// Example:
//   NoteScanner scanner(library);            // shared by all threads
//   NoteScanner::Scratch scratch;            // one per thread, reused across notes
//   const NoteFacts& facts = scanner.Scan(note, sequence, &scratch);  // until the next Scan
//   const std::string& packed = scanner.ScanPacked(note, sequence, &scratch);  // serialized
//
// Thread safety: Scan is const and thread-safe; a Scratch belongs to one thread.
#ifndef CDISCAN_ENGINE_NOTE_SCANNER_H_
#define CDISCAN_ENGINE_NOTE_SCANNER_H_

#include <memory>
#include <vector>

#include "google/protobuf/arena.h"

#include "nlp/measure/measurement_extractor.h"
#include "nlp/note_analysis.h"
#include "proto/facts.pb.h"
#include "proto/note.pb.h"
#include "rules/rule_library.h"

namespace cdiscan::engine {

class NoteScanner {
 public:
  struct Scratch {
    nlp::AnalyzedNote analyzed;
    // The facts of the last Scan live on `arena` (made by the first Scan; ScanPacked needs
    // none), which is reset at the start of the next one. Its first block is kept across
    // resets, so scanning many notes to messages allocates nothing per mention.
    std::vector<char> first_block;
    std::unique_ptr<google::protobuf::Arena> arena;
    rules::GateMatches gates;
    std::string packed;  // ScanPacked's output
  };

  // What Scan extracts. kRuleInputs: only the measurement and treatment keys some rule uses
  // (the nightly scan: the packed facts hold only what can matter); kEverything: all of
  // them (`cdiscan facts`).
  enum class Keep { kRuleInputs, kEverything };

  explicit NoteScanner(const rules::RuleLibrary& library, Keep keep = Keep::kRuleInputs);
  // With given extractors (benchmarks measure the scan with and without extraction).
  NoteScanner(const rules::RuleLibrary& library, const nlp::MeasurementExtractor& measurements,
              const nlp::TreatmentExtractor& treatments);

  // The facts of `note`; `sequence` is its position in the extract. They belong to `scratch`
  // and stay valid until its next Scan.
  const NoteFacts& Scan(const Note& note, uint64_t sequence, Scratch* scratch) const;

  // As above, into `out` (cleared first), for callers that keep the facts; and the values that
  // looked like measurements but were not kept, with why, into `dropped` when it is not null
  // (`cdiscan facts --dropped`).
  void Scan(const Note& note, uint64_t sequence, Scratch* scratch, NoteFacts* out,
            std::vector<nlp::DroppedMeasurement>* dropped = nullptr) const;

  // The same facts serialized (NoteFacts wire format, byte for byte what SerializeToString
  // gives), written without building the messages: the nightly scan keeps facts packed, and
  // this is several times cheaper per fact. Valid until `scratch`'s next scan.
  const std::string& ScanPacked(const Note& note, uint64_t sequence, Scratch* scratch) const;
  // As above, into `out` (cleared first).
  void ScanPacked(const Note& note, uint64_t sequence, Scratch* scratch, std::string* out) const;

  const rules::RuleLibrary& library() const { return library_; }

 private:
  // Analyzes the note into `scratch` and hands its facts to `out`: mentions, then
  // measurements, then treatments.
  void Extract(const Note& note, Scratch* scratch, nlp::FactWriter* out,
               std::vector<nlp::DroppedMeasurement>* dropped) const;

  const rules::RuleLibrary& library_;
  const nlp::NoteAnalyzer& analyzer_;
  // Set for kRuleInputs; the defaults serve kEverything.
  std::unique_ptr<const nlp::MeasurementExtractor> rule_measurements_;
  std::unique_ptr<const nlp::TreatmentExtractor> rule_treatments_;
  const nlp::MeasurementExtractor& measurements_;
  const nlp::TreatmentExtractor& treatments_;
  // The library's term patterns with the treatment search added as a gate, so that one
  // RE2::Set pass serves both; null if there is nothing to add (or it could not be built, when
  // the treatment extractor searches the note itself).
  std::unique_ptr<const rules::TermMatcher> terms_and_treatments_;
};

}  // namespace cdiscan::engine

#endif  // CDISCAN_ENGINE_NOTE_SCANNER_H_
