#include "nlp/section.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "nlp/lexicon.h"

namespace cdiscan::nlp {
namespace {

constexpr std::pair<absl::string_view, SectionKind> kKindNames[] = {
    {"unknown", SectionKind::kUnknown},
    {"chief_complaint", SectionKind::kChiefComplaint},
    {"hpi", SectionKind::kHpi},
    {"past_medical_history", SectionKind::kPastMedicalHistory},
    {"past_surgical_history", SectionKind::kPastSurgicalHistory},
    {"family_history", SectionKind::kFamilyHistory},
    {"social_history", SectionKind::kSocialHistory},
    {"medications", SectionKind::kMedications},
    {"allergies", SectionKind::kAllergies},
    {"review_of_systems", SectionKind::kReviewOfSystems},
    {"physical_exam", SectionKind::kPhysicalExam},
    {"vitals", SectionKind::kVitals},
    {"labs", SectionKind::kLabs},
    {"imaging", SectionKind::kImaging},
    {"assessment", SectionKind::kAssessment},
    {"plan", SectionKind::kPlan},
    {"assessment_plan", SectionKind::kAssessmentPlan},
    {"hospital_course", SectionKind::kHospitalCourse},
    {"discharge_diagnoses", SectionKind::kDischargeDiagnoses},
    {"problem_list", SectionKind::kProblemList},
    {"patient_instructions", SectionKind::kPatientInstructions},
    {"procedures", SectionKind::kProcedures},
    // A header we recognise that ends the previous section but has no kind of its own.
    {"other", SectionKind::kUnknown},
};

// Headers are short; a longer prefix before a colon is prose ("The patient was told: ...").
constexpr size_t kMaxHeaderLength = 60;

inline bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Decoration that Lookup trims from the end of a header ("HISTORY ==", "[PLAN]").
inline bool IsTrailingDecoration(char c) {
  return c == ' ' || c == '-' || c == '=' || c == ':' || c == ']' || c == '_';
}

// Skips list numbering and decoration before a header: "1.", "2)", "iv.", "#", "-", "*", "=".
size_t SkipNumbering(absl::string_view t, size_t p, size_t end) {
  size_t q = p;
  while (q < end && absl::ascii_isdigit(t[q])) ++q;
  if (q == p) {
    while (q < end && (t[q] == 'i' || t[q] == 'v' || t[q] == 'x') && q - p < 4) ++q;
  }
  if (q > p && q + 1 < end && (t[q] == '.' || t[q] == ')') && IsBlank(t[q + 1])) {
    p = q + 1;
  }
  while (p < end && (IsBlank(t[p]) || t[p] == '#' || t[p] == '-' || t[p] == '*' ||
                     t[p] == '=' || t[p] == '_' || t[p] == '[')) {
    ++p;
  }
  return p;
}

}  // namespace

absl::string_view SectionKindName(SectionKind kind) {
  // kKindNames lists the kinds in enum order, so this is the common answer (the measurement
  // extractor asks for every fact); the loop is the fallback.
  const size_t index = static_cast<size_t>(kind);
  if (index < std::size(kKindNames) && kKindNames[index].second == kind) {
    return kKindNames[index].first;
  }
  for (const auto& [name, value] : kKindNames) {
    if (value == kind) return name;
  }
  return "unknown";
}

struct SectionDetector::Impl {
  absl::flat_hash_map<std::string, SectionKind> headers;
  // Bytes that no header has and that Lookup neither collapses nor trims: a line whose header
  // candidate holds one ("sodium 128 (l)", "bedside, questions answered.") is not a header, which
  // HeaderAt sees at that byte instead of building and hashing a lookup key for every line.
  std::array<bool, 256> rules_out_header{};

  // Fills rules_out_header from the headers.
  void IndexHeaderBytes() {
    rules_out_header.fill(true);
    for (const auto& [phrase, kind] : headers) {
      for (char c : phrase) rules_out_header[static_cast<unsigned char>(c)] = false;
    }
    for (int c = 0; c < 256; ++c) {
      if (IsBlank(static_cast<char>(c)) || IsTrailingDecoration(static_cast<char>(c))) {
        rules_out_header[c] = false;
      }
    }
  }

  // Looks up `candidate` with runs of spaces collapsed and surrounding decoration trimmed.
  // REQUIRES: candidate.size() <= kMaxHeaderLength.
  bool Lookup(absl::string_view candidate, SectionKind* kind) const {
    char key[kMaxHeaderLength];
    size_t size = 0;
    for (char c : candidate.substr(0, kMaxHeaderLength)) {
      if (IsBlank(c)) {
        if (size > 0 && key[size - 1] != ' ') key[size++] = ' ';
      } else {
        key[size++] = c;
      }
    }
    while (size > 0 && IsTrailingDecoration(key[size - 1])) --size;
    if (size == 0) return false;
    auto it = headers.find(absl::string_view(key, size));
    if (it == headers.end()) return false;
    *kind = it->second;
    return true;
  }

  // If the line [begin, end) starts with a known header, sets its kind and its span (from the
  // line start, numbering included, through the colon).
  bool HeaderAt(absl::string_view t, size_t begin, size_t end, Span* header,
                SectionKind* kind) const {
    size_t p = SkipNumbering(t, begin, end);
    if (p >= end) return false;
    const size_t limit = std::min(end, p + kMaxHeaderLength);
    // The candidate is either [p, colon) or, without a colon there, the whole line from p; it
    // holds every byte before the colon or limit, so a byte no header has settles it.
    for (size_t colon = p; colon < limit; ++colon) {
      const char c = t[colon];
      if (c == ':') {
        if (Lookup(t.substr(p, colon - p), kind)) {
          *header = Span{static_cast<uint32_t>(begin), static_cast<uint32_t>(colon + 1)};
          return true;
        }
        return false;
      }
      if (rules_out_header[static_cast<unsigned char>(c)]) return false;
    }
    // A header alone on its line, without a colon ("PAST MEDICAL HISTORY").
    size_t e = end;
    while (e > p && IsBlank(t[e - 1])) --e;
    if (e - p > kMaxHeaderLength) return false;
    if (Lookup(t.substr(p, e - p), kind)) {
      *header = Span{static_cast<uint32_t>(begin), static_cast<uint32_t>(e)};
      return true;
    }
    return false;
  }
};

SectionDetector::SectionDetector() : impl_(new Impl) {
  absl::StatusOr<absl::string_view> data = EmbeddedLexicon("section_headers.tsv");
  if (!data.ok()) return;  // no headers known: every note is one unknown section
  for (const LexiconLine& line : ParseTsv(*data)) {
    if (line.fields.size() < 2) continue;
    for (const auto& [name, value] : kKindNames) {
      if (name == line.fields[1]) {
        impl_->headers.emplace(std::string(line.fields[0]), value);
        break;
      }
    }
  }
  impl_->IndexHeaderBytes();
}

SectionDetector::~SectionDetector() { delete impl_; }

void SectionDetector::Detect(const NormalizedText& text, std::vector<Section>* out) const {
  out->clear();
  absl::string_view t = text.text();
  const uint32_t n = static_cast<uint32_t>(t.size());
  if (n == 0) return;
  Section current;  // the leading unknown section
  size_t line_begin = 0;
  while (line_begin < n) {
    // memchr directly: absl::string_view::find is an out-of-line call around it.
    const void* newline = std::memchr(t.data() + line_begin, '\n', n - line_begin);
    const size_t line_end =
        newline != nullptr ? static_cast<size_t>(static_cast<const char*>(newline) - t.data()) : n;
    Span header;
    SectionKind kind;
    if (impl_->HeaderAt(t, line_begin, line_end, &header, &kind)) {
      current.body.end = header.begin;
      if (!(current.header.empty() && current.body.empty())) out->push_back(current);
      current.kind = kind;
      current.header = header;
      current.body.begin = header.end;
    }
    line_begin = line_end + 1;
  }
  current.body.end = n;
  out->push_back(current);
}

}  // namespace cdiscan::nlp
