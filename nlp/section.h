// Sections of a clinical note ("HPI:", "PAST MEDICAL HISTORY", "1. Assessment and Plan").
//
// A mention's section changes what it means: a diagnosis under Family History is about someone
// else, under Past Medical History it is historical, under Patient Instructions hypothetical.
//
// Thread safety: SectionDetector is immutable after construction; Detect is const.
#ifndef CDISCAN_NLP_SECTION_H_
#define CDISCAN_NLP_SECTION_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "nlp/normalizer.h"
#include "nlp/span.h"

namespace cdiscan::nlp {

enum class SectionKind {
  kUnknown = 0,  // text before the first header, or under a header we do not know
  kChiefComplaint,
  kHpi,
  kPastMedicalHistory,
  kPastSurgicalHistory,
  kFamilyHistory,
  kSocialHistory,
  kMedications,
  kAllergies,
  kReviewOfSystems,
  kPhysicalExam,
  kVitals,
  kLabs,
  kImaging,
  kAssessment,
  kPlan,
  kAssessmentPlan,
  kHospitalCourse,
  kDischargeDiagnoses,
  kProblemList,
  kPatientInstructions,
  kProcedures,
};

// Canonical snake_case name used in findings and facts ("family_history").
absl::string_view SectionKindName(SectionKind kind);

struct Section {
  SectionKind kind = SectionKind::kUnknown;
  Span header;  // normalized offsets of the header text (empty for the leading unknown section)
  Span body;    // normalized offsets from after the header to the next header

  // Where the section starts: at its header, or at its body when it has none.
  uint32_t begin() const { return header.empty() ? body.begin : header.begin; }
};

class SectionDetector {
 public:
  SectionDetector();
  ~SectionDetector();
  SectionDetector(const SectionDetector&) = delete;
  SectionDetector& operator=(const SectionDetector&) = delete;

  // Appends the sections of `text` in order, covering it without gaps, to `out` (cleared first).
  void Detect(const NormalizedText& text, std::vector<Section>* out) const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_SECTION_H_
