#include "nlp/measure/measurement_internal.h"

#include <algorithm>

#include "nlp/section.h"
#include "nlp/section_proto.h"

namespace cdiscan::nlp::internal {
void SetSection(const AnalyzedNote& note, uint32_t offset, TextSpan* span) {
  // Sections are in order and cover the text: the last one starting at or before `offset`.
  const std::vector<Section>& sections = note.sections;
  auto it = std::upper_bound(sections.begin(), sections.end(), offset,
                             [](uint32_t off, const Section& s) {
                               const uint32_t start = s.header.empty() ? s.body.begin
                                                                       : s.header.begin;
                               return off < start;
                             });
  if (it == sections.begin()) return;
  --it;
  span->set_section(ToProto(it->kind));
}

}  // namespace cdiscan::nlp::internal
