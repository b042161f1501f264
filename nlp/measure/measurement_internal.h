// Helpers shared by the measurement and treatment extractors. Not part of the API.
#ifndef CDISCAN_NLP_MEASURE_MEASUREMENT_INTERNAL_H_
#define CDISCAN_NLP_MEASURE_MEASUREMENT_INTERNAL_H_

#include <cstdint>

#include "nlp/note_analysis.h"
#include "proto/facts.pb.h"

namespace cdiscan::nlp::internal {

// Sets span->section to the canonical name of the section containing normalized
// `offset`; leaves it empty when the note has no sections or the section is unknown.
void SetSection(const AnalyzedNote& note, uint32_t offset, TextSpan* span);

}  // namespace cdiscan::nlp::internal

#endif  // CDISCAN_NLP_MEASURE_MEASUREMENT_INTERNAL_H_
