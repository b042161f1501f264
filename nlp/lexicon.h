// Access to the lexicons compiled into the binary (nlp/lexicons/, see tools/embed.bzl).
//
// Example:
//   absl::StatusOr<absl::string_view> tsv = EmbeddedLexicon("context_triggers.tsv");
//
// Thread safety: the data is immutable static storage; all functions are thread-safe.
#ifndef CDISCAN_NLP_LEXICON_H_
#define CDISCAN_NLP_LEXICON_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cdiscan::nlp {

// The bytes of nlp/lexicons/<file_name>, or NotFound.
absl::StatusOr<absl::string_view> EmbeddedLexicon(absl::string_view file_name);

// One data line of a TSV lexicon: its 1-based line number and tab-separated fields. Blank lines
// and lines starting with '#' are skipped; "\r" before "\n" is dropped.
struct LexiconLine {
  int line_number = 0;
  std::vector<absl::string_view> fields;
};
std::vector<LexiconLine> ParseTsv(absl::string_view data);

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_LEXICON_H_
