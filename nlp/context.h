// ConText assertion: decides negation, temporality and experiencer of a target mention from
// trigger phrases in its sentence (pre / post / pseudo / terminate, with scope limits, clause
// boundaries and list propagation) and from the section it is in.
//
// Trigger lexicons are data (nlp/lexicons/), compiled once into the analyzer.
//
// Example:
//   const ContextAnalyzer& context = ContextAnalyzer::Default();
//   Assertion a = context.Assess(sentence_text, target_in_sentence);
//
// Thread safety: immutable after construction; Assess is const and thread-safe.
#ifndef CDISCAN_NLP_CONTEXT_H_
#define CDISCAN_NLP_CONTEXT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlp/assertion.h"
#include "nlp/section.h"
#include "nlp/span.h"

namespace cdiscan::nlp {

// Per-sentence work (tokens, trigger candidates) kept for the assessments of one note, which
// revisit the same sentences. Sentences are identified by where they are in memory, so Clear()
// it whenever the text they point into changes (NoteAnalyzer does, per note). Used with another
// analyzer, it starts afresh.
// Thread safety: not thread-safe; one per thread (assessing writes it).
class ContextCache {
 public:
  ContextCache();
  ~ContextCache();
  ContextCache(ContextCache&&) noexcept;
  ContextCache& operator=(ContextCache&&) noexcept;

  void Clear();

 private:
  friend class ContextAnalyzer;
  struct Impl;
  // The entries, for the analyzer `owner` (an entry holds that analyzer's trigger ids).
  Impl& Get(const void* owner);
  std::unique_ptr<Impl> impl_;
};

class ContextAnalyzer {
 public:
  // The analyzer built from the bundled lexicons. Built once, on first use.
  static const ContextAnalyzer& Default();

  // An analyzer from a trigger lexicon in the format of nlp/lexicons/context_triggers.tsv.
  // Errors name the line of the first malformed entry.
  static absl::StatusOr<std::unique_ptr<ContextAnalyzer>> Create(absl::string_view lexicon_tsv);

  ~ContextAnalyzer();
  ContextAnalyzer(const ContextAnalyzer&) = delete;
  ContextAnalyzer& operator=(const ContextAnalyzer&) = delete;

  // `sentence` is normalized text (see Normalizer); `target` indexes into it.
  Assertion Assess(absl::string_view sentence, Span target) const;

  // As Assess, then applies what the section implies (family history -> other; past history ->
  // historical; patient instructions -> hypothetical) where the sentence itself says nothing.
  // With a `cache`, each sentence is prepared once (see ContextCache).
  Assertion AssessInSection(absl::string_view sentence, Span target, SectionKind section,
                            ContextCache* cache = nullptr) const;

 private:
  struct Impl;
  explicit ContextAnalyzer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_CONTEXT_H_
