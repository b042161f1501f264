// Lab and vital values from note text: "Na 126 (L)", "Cr 2.3 <- 0.9", "SpO2 86% on RA",
// "BP 84/46", "T 101.2 F". Values come out in the canonical unit of their key.
//
// Example:
//   const MeasurementExtractor& extractor = MeasurementExtractor::Default();
//   extractor.Extract(note.text(), analyzed, facts.mutable_measurement());
//
// Each extractor hands its facts to a FactWriter (nlp/fact_writer.h); the overloads taking a
// repeated field write protobuf messages there.
//
// Thread safety: immutable after construction; Extract is const and thread-safe.
#ifndef CDISCAN_NLP_MEASURE_MEASUREMENT_EXTRACTOR_H_
#define CDISCAN_NLP_MEASURE_MEASUREMENT_EXTRACTOR_H_

#include <string>
#include <vector>

#include <memory>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "nlp/fact_writer.h"
#include "nlp/note_analysis.h"
#include "proto/facts.pb.h"

namespace cdiscan::nlp {

// A value that looked like a measurement but was not kept, and why: "sodium 1260 mmol/L is
// outside the plausible range 90-200", "unit mg is not a unit of potassium". For `cdiscan
// facts` and for tests; rules never see dropped values.
struct DroppedMeasurement {
  std::string key;
  Span span;               // original byte offsets of the whole candidate
  std::string as_written;  // the value (and unit) as in the note
  std::string reason;
};

class MeasurementExtractor {
 public:
  // Extracts every key of the vocabulary (nlp/measure/data/analytes.textproto).
  static const MeasurementExtractor& Default();

  // Extracts only `keys`: its measurements are exactly Default()'s filtered to `keys` (its
  // dropped candidates are Default()'s, less the other keys' values it does not convert). It
  // reads the note as Default() does and leaves out the other keys' facts when it writes them:
  // skipping their aliases saved 2% of a lab-dense note's scan but could not be made to agree
  // with Default() on slash lists whose head is another key's ("na/cl=138/101/k 4.1") and
  // values that run into the next name, and the rules must see what `cdiscan facts` shows.
  // Build once, share across threads.
  static std::unique_ptr<const MeasurementExtractor> ForKeys(
      const absl::flat_hash_set<std::string>& keys);

  virtual ~MeasurementExtractor() = default;

  // Appends the measurements in the note to `out`. `original_text` is the note text that
  // `note` was analyzed from; spans in `out` index into it.
  void Extract(absl::string_view original_text, const AnalyzedNote& note,
               google::protobuf::RepeatedPtrField<MeasurementFact>* out) const {
    Extract(original_text, note, out, nullptr);
  }

  // As above; also appends candidates that were rejected (bad unit, implausible value) to
  // `dropped` when it is not null.
  void Extract(absl::string_view original_text, const AnalyzedNote& note,
               google::protobuf::RepeatedPtrField<MeasurementFact>* out,
               std::vector<DroppedMeasurement>* dropped) const {
    MessageFactWriter writer(out);
    Extract(original_text, note, &writer, dropped);
  }

  // As above, handing each measurement to `out` (nlp/fact_writer.h).
  virtual void Extract(absl::string_view original_text, const AnalyzedNote& note,
                       FactWriter* out, std::vector<DroppedMeasurement>* dropped) const = 0;
};

class TreatmentExtractor {
 public:
  // Extracts every treatment of nlp/measure/data/treatments.textproto.
  static const TreatmentExtractor& Default();

  // Extracts only `keys`; see MeasurementExtractor::ForKeys.
  static std::unique_ptr<const TreatmentExtractor> ForKeys(
      const absl::flat_hash_set<std::string>& keys);

  virtual ~TreatmentExtractor() = default;

  // Appends treatments (IV loop diuretic, vasopressor, fluid restriction...) with their
  // assertion status to `out`, searching each sentence of the note for the alternation of
  // SearchFragments().
  void Extract(absl::string_view original_text, const AnalyzedNote& note,
               google::protobuf::RepeatedPtrField<TreatmentFact>* out) const {
    MessageFactWriter writer(out);
    Extract(original_text, note, &writer);
  }
  // As above, handing each treatment to `out` (nlp/fact_writer.h).
  virtual void Extract(absl::string_view original_text, const AnalyzedNote& note,
                       FactWriter* out) const = 0;

  // The fragments whose alternation "\b(?:f0|f1|...)" has, as its non-overlapping
  // leftmost-first matches within a sentence, the candidate treatments (and the exclusions
  // that shadow some: "po vancomycin"), in order (the exclusions' fragments, then each
  // treatment's), each as it stands there ("(?:fragment)", with "\b" after a fragment that ends
  // in a letter or digit); empty if the extractor finds nothing. A caller that already runs an
  // RE2::Set over the note adds them there (a rules::TermMatcher gate, which matches as the
  // alternation does but locates each fragment on its own) and passes the matches to
  // ExtractAt, so the note is not searched twice.
  virtual const std::vector<std::string>& SearchFragments() const = 0;

  // True if a lexicon fragment might match across a sentence split, which the
  // sentence-by-sentence search would then miss; the lexicon loader refuses such fragments.
  // Splits fall at line breaks, at ". " / "! " / "? ", and at the space before an inline
  // "2. " list item (nlp/sentence.h): whitespace classes, negated classes, an unescaped "."
  // (any byte) and an escaped terminator followed by a space all might.
  static bool MayMatchAcrossSentences(absl::string_view fragment);

  // As Extract, given the matches of that alternation in `note` (normalized spans, in order),
  // each with the index in SearchFragments() of the fragment that made it (as a
  // rules::TermMatcher gate gives them).
  void ExtractAt(absl::string_view original_text, const AnalyzedNote& note,
                 const std::vector<AlternativeMatch>& matches,
                 google::protobuf::RepeatedPtrField<TreatmentFact>* out) const {
    MessageFactWriter writer(out);
    ExtractAt(original_text, note, matches, &writer);
  }
  virtual void ExtractAt(absl::string_view original_text, const AnalyzedNote& note,
                         const std::vector<AlternativeMatch>& matches, FactWriter* out) const = 0;
};

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_MEASURE_MEASUREMENT_EXTRACTOR_H_
