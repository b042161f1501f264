// A span's section as the facts schema spells it (proto/facts.proto NoteSection), and back to
// the snake-case name that findings and worklists show ("family_history").
#ifndef CDISCAN_NLP_SECTION_PROTO_H_
#define CDISCAN_NLP_SECTION_PROTO_H_

#include "absl/strings/string_view.h"
#include "nlp/section.h"
#include "proto/facts.pb.h"

namespace cdiscan::nlp {

NoteSection ToProto(SectionKind kind);

// "family_history"; "unknown" for SECTION_UNKNOWN and for numbers this build does not know.
absl::string_view SectionName(NoteSection section);

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_SECTION_PROTO_H_
