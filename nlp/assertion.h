// The assertion status of a mention (ConText): is it affirmed, negated or only possible; is it
// current, historical or hypothetical; is it about the patient or someone else.
#ifndef CDISCAN_NLP_ASSERTION_H_
#define CDISCAN_NLP_ASSERTION_H_

#include "absl/strings/string_view.h"

namespace cdiscan::nlp {

enum class Negation { kAffirmed = 0, kNegated, kPossible };
enum class Temporality { kRecent = 0, kHistorical, kHypothetical };
enum class Experiencer { kPatient = 0, kOther };

struct Assertion {
  Negation negation = Negation::kAffirmed;
  Temporality temporality = Temporality::kRecent;
  Experiencer experiencer = Experiencer::kPatient;

  // Affirmed or possible (inpatient coding treats "probable X" as X), current, the patient.
  bool DocumentsCurrentCondition() const {
    return negation != Negation::kNegated && temporality == Temporality::kRecent &&
           experiencer == Experiencer::kPatient;
  }
  friend bool operator==(const Assertion& a, const Assertion& b) {
    return a.negation == b.negation && a.temporality == b.temporality &&
           a.experiencer == b.experiencer;
  }
};

// "affirmed" | "negated" | "possible", "recent" | "historical" | "hypothetical",
// "patient" | "other": the values annotated assertion corpora use.
absl::string_view NegationName(Negation value);
absl::string_view TemporalityName(Temporality value);
absl::string_view ExperiencerName(Experiencer value);

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_ASSERTION_H_
