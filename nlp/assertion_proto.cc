#include "nlp/assertion_proto.h"

namespace cdiscan::nlp {

NegationStatus ToProto(Negation value) {
  switch (value) {
    case Negation::kNegated:
      return NEGATED;
    case Negation::kPossible:
      return POSSIBLE;
    case Negation::kAffirmed:
      return AFFIRMED;
  }
  return AFFIRMED;
}

cdiscan::Temporality ToProto(Temporality value) {
  switch (value) {
    case Temporality::kHistorical:
      return HISTORICAL;
    case Temporality::kHypothetical:
      return HYPOTHETICAL;
    case Temporality::kRecent:
      return RECENT;
  }
  return RECENT;
}

}  // namespace cdiscan::nlp
