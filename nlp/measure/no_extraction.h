// Extractors that find nothing, for measuring the note scan without the measurement layer
// (issue #4: extraction may add at most 30% to a note's scan). NoTreatments has no search
// fragments, so a scanner built with it adds no gate to its term set pass either.
#ifndef CDISCAN_NLP_MEASURE_NO_EXTRACTION_H_
#define CDISCAN_NLP_MEASURE_NO_EXTRACTION_H_

#include <string>
#include <vector>

#include "nlp/measure/measurement_extractor.h"

namespace cdiscan::nlp {

class NoMeasurements final : public MeasurementExtractor {
 public:
  using MeasurementExtractor::Extract;
  void Extract(absl::string_view, const AnalyzedNote&, FactWriter*,
               std::vector<DroppedMeasurement>*) const override {}
};

class NoTreatments final : public TreatmentExtractor {
 public:
  using TreatmentExtractor::Extract;
  using TreatmentExtractor::ExtractAt;
  void Extract(absl::string_view, const AnalyzedNote&, FactWriter*) const override {}
  const std::vector<std::string>& SearchFragments() const override { return fragments_; }
  void ExtractAt(absl::string_view, const AnalyzedNote&, const std::vector<AlternativeMatch>&,
                 FactWriter*) const override {}

 private:
  std::vector<std::string> fragments_;
};

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_MEASURE_NO_EXTRACTION_H_
