#include "nlp/note_analysis.h"

#include <algorithm>

namespace cdiscan::nlp {

SectionKind AnalyzedNote::SectionAt(uint32_t offset) const {
  // Sections are in order and cover the text: binary search on the start of each.
  auto it = std::upper_bound(sections.begin(), sections.end(), offset,
                             [](uint32_t o, const Section& s) { return o < s.begin(); });
  if (it == sections.begin()) return SectionKind::kUnknown;
  return std::prev(it)->kind;
}

Span AnalyzedNote::SentenceAt(uint32_t offset) const {
  auto it = std::upper_bound(sentences.begin(), sentences.end(), offset,
                             [](uint32_t o, const Span& s) { return o < s.begin; });
  if (it != sentences.begin()) {
    const Span& s = *std::prev(it);
    if (s.Contains(offset)) return s;
  }
  return Span{offset, offset};
}

void AnalyzedNote::Segments(std::vector<Span>* out) const {
  out->clear();
  const std::string& text = normalized.text();
  uint32_t covered = 0;
  auto add_gap = [&](uint32_t begin, uint32_t end) {
    for (uint32_t i = begin; i < end; ++i) {
      if (text[i] != ' ' && text[i] != '\n') {
        out->push_back({begin, end});
        return;
      }
    }
  };
  for (const Span& sentence : sentences) {
    if (sentence.begin < covered) continue;  // defensive: overlapping spans
    add_gap(covered, sentence.begin);
    out->push_back(sentence);
    covered = sentence.end;
  }
  add_gap(covered, static_cast<uint32_t>(text.size()));
}

const NoteAnalyzer& NoteAnalyzer::Default() {
  static const NoteAnalyzer* const analyzer = new NoteAnalyzer();
  return *analyzer;
}

NoteAnalyzer::NoteAnalyzer() : context_(ContextAnalyzer::Default()) {}

void NoteAnalyzer::Analyze(absl::string_view original_text, AnalyzedNote* out) const {
  out->context_cache.Clear();
  normalizer_.Normalize(original_text, &out->normalized);
  sections_.Detect(out->normalized, &out->sections);
  sentences_.Split(out->normalized, &out->sentences);
}

Assertion NoteAnalyzer::Assess(const AnalyzedNote& note, Span mention) const {
  const std::string& text = note.normalized.text();
  const uint32_t size = static_cast<uint32_t>(text.size());
  mention.begin = std::min(mention.begin, size);
  mention.end = std::clamp(mention.end, mention.begin, size);
  Span sentence = note.SentenceAt(mention.begin);
  if (sentence.empty()) sentence = mention;
  // A mention running past its sentence end is judged in its first sentence.
  sentence.end = std::max(sentence.end, std::min(mention.end, size));
  Span target{mention.begin - sentence.begin, mention.end - sentence.begin};
  absl::string_view sentence_text =
      absl::string_view(text).substr(sentence.begin, sentence.size());
  return context_.AssessInSection(sentence_text, target, note.SectionAt(mention.begin),
                                  &note.context_cache);
}

}  // namespace cdiscan::nlp
