// The assertion of a mention as the facts schema spells it (proto/facts.proto), for every layer
// that writes facts (term mentions, treatments).
#ifndef CDISCAN_NLP_ASSERTION_PROTO_H_
#define CDISCAN_NLP_ASSERTION_PROTO_H_

#include "nlp/assertion.h"
#include "proto/facts.pb.h"

namespace cdiscan::nlp {

NegationStatus ToProto(Negation value);
cdiscan::Temporality ToProto(Temporality value);

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_ASSERTION_PROTO_H_
