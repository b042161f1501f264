// Turns one note into its small facts: analyze (normalize, sections, sentences), match every
// rule term in one RE2::Set pass with assertion, extract measurements and treatments.
//
// Example:
//   NoteScanner scanner(library);            // shared by all threads
//   NoteScanner::Scratch scratch;            // one per thread, reused across notes
//   NoteFacts facts;
//   scanner.Scan(note, &scratch, &facts);
//
// Thread safety: Scan is const and thread-safe; a Scratch belongs to one thread.
#ifndef CDISCAN_ENGINE_NOTE_SCANNER_H_
#define CDISCAN_ENGINE_NOTE_SCANNER_H_

#include <memory>

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
  };

  // What Scan extracts. kRuleInputs: only the measurement and treatment keys some rule uses
  // (the nightly scan: less work, and memory holds only what can matter); kEverything: all of
  // them (`cdiscan facts`).
  enum class Keep { kRuleInputs, kEverything };

  explicit NoteScanner(const rules::RuleLibrary& library, Keep keep = Keep::kRuleInputs);
  // With given extractors (benchmarks measure the scan with and without extraction).
  NoteScanner(const rules::RuleLibrary& library, const nlp::MeasurementExtractor& measurements,
              const nlp::TreatmentExtractor& treatments);

  // Fills `out` (cleared first) with the facts of `note`; `sequence` is its position in the
  // extract.
  void Scan(const Note& note, uint64_t sequence, Scratch* scratch, NoteFacts* out) const;

 private:
  const rules::RuleLibrary& library_;
  const nlp::NoteAnalyzer& analyzer_;
  // Set for kRuleInputs; the defaults serve kEverything.
  std::unique_ptr<const nlp::MeasurementExtractor> rule_measurements_;
  std::unique_ptr<const nlp::TreatmentExtractor> rule_treatments_;
  const nlp::MeasurementExtractor& measurements_;
  const nlp::TreatmentExtractor& treatments_;
};

}  // namespace cdiscan::engine

#endif  // CDISCAN_ENGINE_NOTE_SCANNER_H_
