// Everything the NLP layer knows about one note, in normalized coordinates.
//
// Example:
//   const NoteAnalyzer& analyzer = NoteAnalyzer::Default();
//   AnalyzedNote note;                       // reuse per thread
//   analyzer.Analyze(text, &note);
//   Assertion a = analyzer.Assess(note, mention);  // mention: normalized span
//   Span evidence = note.normalized.ToOriginal(mention.begin, mention.end);
//
// Thread safety: NoteAnalyzer is immutable and shared; AnalyzedNote is per thread (Assess,
// and so TermMatcher::Match and the extractors, write its ConText cache).
#ifndef CDISCAN_NLP_NOTE_ANALYSIS_H_
#define CDISCAN_NLP_NOTE_ANALYSIS_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "nlp/assertion.h"
#include "nlp/context.h"
#include "nlp/normalizer.h"
#include "nlp/section.h"
#include "nlp/sentence.h"
#include "nlp/span.h"

namespace cdiscan::nlp {

struct AnalyzedNote {
  NormalizedText normalized;
  std::vector<Section> sections;  // cover the normalized text, in order
  std::vector<Span> sentences;    // in order
  // Memo of ConText's per-sentence work, filled by Assess (which is logically const) and
  // cleared by Analyze. Because of it, assessing writes the note: an AnalyzedNote must not be
  // shared between threads, even for const use.
  mutable ContextCache context_cache;

  // The section containing normalized `offset` (kUnknown if none).
  SectionKind SectionAt(uint32_t offset) const;
  // The sentence containing normalized `offset`; an empty span at offset if none.
  Span SentenceAt(uint32_t offset) const;
  // The sentences plus any non-blank text between them (headers, lists the splitter left
  // out), in order, into `out` (cleared first): what a search confined to sentences must
  // cover so that nothing is missed.
  void Segments(std::vector<Span>* out) const;
};

class NoteAnalyzer {
 public:
  static const NoteAnalyzer& Default();

  NoteAnalyzer(const NoteAnalyzer&) = delete;
  NoteAnalyzer& operator=(const NoteAnalyzer&) = delete;

  void Analyze(absl::string_view original_text, AnalyzedNote* out) const;

  // Assertion of the mention at normalized span `mention`, using its sentence and section.
  Assertion Assess(const AnalyzedNote& note, Span mention) const;

 private:
  NoteAnalyzer();
  Normalizer normalizer_;
  SectionDetector sections_;
  SentenceSplitter sentences_;
  const ContextAnalyzer& context_;
};

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_NOTE_ANALYSIS_H_
