// Tokens of normalized note text that keep clinical units together.
//
// A clinical tokenizer must not cut "1,450", "0.9 -> 2.3", "84/46", "mg/dl", "b.i.d." or "s/p"
// into pieces: measurement extraction and ConText trigger matching both read these tokens.
//   "cr 2.3 <- 0.9 mg/dl, bp 84/46, s/p cabg, lasix 40 mg b.i.d."
//   -> cr | 2.3 <- 0.9 (kTrend) | mg/dl (kUnit) | , | bp | 84/46 (kRatio) | , | s/p | cabg | ,
//      | lasix | 40 (kNumber) | mg (kUnit) | b.i.d. | .
//
// Input is normalized text (lowercase, arrows unified to "->"/"<-", see normalizer.h); offsets
// are normalized byte offsets. Whitespace and newlines are not tokens.
//
// Example:
//   Tokenizer tokenizer;
//   std::vector<Token> tokens;  // reuse across calls
//   tokenizer.Tokenize(norm.text(), &tokens);
//
// Thread safety: Tokenizer is stateless; Tokenize is const and thread-safe.
#ifndef CDISCAN_NLP_TOKENIZER_H_
#define CDISCAN_NLP_TOKENIZER_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "nlp/span.h"

namespace cdiscan::nlp {

enum class TokenKind : uint8_t {
  kWord = 0,  // "sepsis", "s/p", "b.i.d.", "non-tender", "patient's", "covid-19"
  kNumber,    // "126", "1,450", "0.9", ".5"
  kTrend,     // "0.9 -> 2.3", "2.3 <- 0.9", "138->126", "0.9-2.3" (ranges and trends)
  kRatio,     // "84/46", "2/4"
  kUnit,      // "mg/dl", "mmol/l", "μmol/l", "%", "l/min", "mmhg": known units after a number,
              // or anywhere if they contain a slash
  kPunct,     // ",", ":", ";", "?", "(", "->", ">=", "≥" ...
};

struct Token {
  Span span;  // normalized byte offsets
  TokenKind kind = TokenKind::kWord;
};

class Tokenizer {
 public:
  // Appends the tokens of `text` to `out` (cleared first).
  void Tokenize(absl::string_view text, std::vector<Token>* out) const;

  // True if `word` (lowercase) is a unit the tokenizer keeps whole ("mg/dl", "%", "l/min").
  static bool IsUnit(absl::string_view word);
};

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_TOKENIZER_H_
