#include "nlp/lexicon.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/embedded_file.h"

namespace cdiscan {
extern const EmbeddedFile kNlpLexicons[];
}  // namespace cdiscan

namespace cdiscan::nlp {

absl::StatusOr<absl::string_view> EmbeddedLexicon(absl::string_view file_name) {
  for (const EmbeddedFile* f = kNlpLexicons; f->path != nullptr; ++f) {
    absl::string_view path(f->path);
    // Paths are workspace-relative ("nlp/lexicons/x.tsv"); match on the last component so an
    // external-repository prefix does not matter.
    if (absl::EndsWith(path, absl::StrCat("/", file_name)) || path == file_name) {
      return absl::string_view(f->data, f->size);
    }
  }
  return absl::NotFoundError(absl::StrCat("no embedded lexicon named ", file_name));
}

std::vector<LexiconLine> ParseTsv(absl::string_view data) {
  std::vector<LexiconLine> lines;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(data, '\n')) {
    ++number;
    absl::ConsumeSuffix(&line, "\r");
    if (absl::StripAsciiWhitespace(line).empty() || absl::StartsWith(line, "#")) continue;
    LexiconLine parsed;
    parsed.line_number = number;
    parsed.fields = absl::StrSplit(line, '\t');
    lines.push_back(std::move(parsed));
  }
  return lines;
}

}  // namespace cdiscan::nlp
