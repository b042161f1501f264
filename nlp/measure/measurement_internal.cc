#include "nlp/measure/measurement_internal.h"

#include <algorithm>
#include <array>
#include <string>

#include "nlp/section.h"

namespace cdiscan::nlp::internal {
namespace {

// More than there are section kinds; a kind beyond it (none today) is named the slow way.
constexpr int kCachedSectionKinds = 64;

}  // namespace

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
  if (it->kind == SectionKind::kUnknown) return;
  // Every fact carries its section's name: copy it from a string made once per kind rather
  // than look the name up and build a temporary for each fact.
  static const std::array<std::string, kCachedSectionKinds>* const kNames = [] {
    auto* names = new std::array<std::string, kCachedSectionKinds>();
    for (int i = 0; i < kCachedSectionKinds; ++i) {
      (*names)[i] = std::string(SectionKindName(static_cast<SectionKind>(i)));
    }
    return names;
  }();
  const int kind = static_cast<int>(it->kind);
  if (kind >= 0 && kind < kCachedSectionKinds) {
    span->set_section((*kNames)[kind]);
  } else {
    span->set_section(std::string(SectionKindName(it->kind)));
  }
}

}  // namespace cdiscan::nlp::internal
