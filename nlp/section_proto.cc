#include "nlp/section_proto.h"

namespace cdiscan::nlp {

// The two enums share their numbers, so conversion is a cast; these keep them in step.
static_assert(static_cast<int>(SectionKind::kUnknown) == SECTION_UNKNOWN);
static_assert(static_cast<int>(SectionKind::kFamilyHistory) == SECTION_FAMILY_HISTORY);
static_assert(static_cast<int>(SectionKind::kAssessmentPlan) == SECTION_ASSESSMENT_PLAN);
static_assert(static_cast<int>(SectionKind::kProcedures) == SECTION_PROCEDURES);
static_assert(NoteSection_MAX == SECTION_PROCEDURES, "a section kind missing in nlp/section.h");

NoteSection ToProto(SectionKind kind) { return static_cast<NoteSection>(kind); }

absl::string_view SectionName(NoteSection section) {
  if (!NoteSection_IsValid(section)) return SectionKindName(SectionKind::kUnknown);
  return SectionKindName(static_cast<SectionKind>(section));
}

}  // namespace cdiscan::nlp
