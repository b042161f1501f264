#include "nlp/assertion.h"

namespace cdiscan::nlp {

absl::string_view NegationName(Negation value) {
  switch (value) {
    case Negation::kAffirmed:
      return "affirmed";
    case Negation::kNegated:
      return "negated";
    case Negation::kPossible:
      return "possible";
  }
  return "affirmed";
}

absl::string_view TemporalityName(Temporality value) {
  switch (value) {
    case Temporality::kRecent:
      return "recent";
    case Temporality::kHistorical:
      return "historical";
    case Temporality::kHypothetical:
      return "hypothetical";
  }
  return "recent";
}

absl::string_view ExperiencerName(Experiencer value) {
  switch (value) {
    case Experiencer::kPatient:
      return "patient";
    case Experiencer::kOther:
      return "other";
  }
  return "patient";
}

}  // namespace cdiscan::nlp
