#include "tools/context_command.h"

#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "nlp/assertion.h"
#include "nlp/context.h"
#include "nlp/normalizer.h"
#include "nlp/span.h"

namespace cdiscan::tools {
namespace {

bool IsWordByte(char c) {
  return absl::ascii_isalnum(c) || static_cast<unsigned char>(c) >= 0x80;
}

// The first occurrence of `target` in `sentence` that is not glued to a word on either side,
// else the first occurrence at all; npos if none.
size_t FindTarget(absl::string_view sentence, absl::string_view target) {
  size_t first = absl::string_view::npos;
  for (size_t at = sentence.find(target); at != absl::string_view::npos;
       at = sentence.find(target, at + 1)) {
    if (first == absl::string_view::npos) first = at;
    const size_t end = at + target.size();
    const bool left_ok = at == 0 || !IsWordByte(sentence[at - 1]) || !IsWordByte(target.front());
    const bool right_ok =
        end == sentence.size() || !IsWordByte(sentence[end]) || !IsWordByte(target.back());
    if (left_ok && right_ok) return at;
  }
  return first;
}

}  // namespace

int RunContextCommand(std::istream& in, std::ostream& out, std::ostream& err) {
  const nlp::ContextAnalyzer& context = nlp::ContextAnalyzer::Default();
  nlp::Normalizer normalizer;
  nlp::NormalizedText sentence_norm;
  nlp::NormalizedText target_norm;
  std::string line;
  std::string buffer;  // output is written in blocks: one stream call per line is slow
  buffer.reserve(1 << 16);
  int64_t line_number = 0;
  int64_t bad = 0;
  while (std::getline(in, line)) {
    ++line_number;
    absl::string_view view(line);
    if (!view.empty() && view.back() == '\r') view.remove_suffix(1);
    if (view.empty() || view.front() == '#') continue;
    const size_t tab1 = view.find('\t');
    const size_t tab2 = tab1 == absl::string_view::npos ? tab1 : view.find('\t', tab1 + 1);
    if (tab2 == absl::string_view::npos) {
      err << "context: line " << line_number
          << ": expected id<TAB>target<TAB>sentence, record skipped\n";
      ++bad;
      continue;
    }
    const absl::string_view id = view.substr(0, tab1);
    const absl::string_view target = view.substr(tab1 + 1, tab2 - tab1 - 1);
    const absl::string_view sentence = view.substr(tab2 + 1);
    normalizer.Normalize(sentence, &sentence_norm);
    normalizer.Normalize(absl::StripAsciiWhitespace(target), &target_norm);
    const size_t at = target_norm.text().empty()
                          ? absl::string_view::npos
                          : FindTarget(sentence_norm.text(), target_norm.text());
    if (at == absl::string_view::npos) {
      err << "context: line " << line_number << ": target '" << target
          << "' not found in the sentence, record skipped\n";
      ++bad;
      continue;
    }
    const nlp::Span span{static_cast<uint32_t>(at),
                         static_cast<uint32_t>(at + target_norm.text().size())};
    const nlp::Assertion a = context.Assess(sentence_norm.text(), span);
    absl::StrAppend(&buffer, id, "\t", nlp::NegationName(a.negation), "\t",
                    nlp::TemporalityName(a.temporality), "\t",
                    nlp::ExperiencerName(a.experiencer), "\n");
    if (buffer.size() > (1 << 16) - 256) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  out.flush();
  if (bad > 0) {
    err << "context: " << bad << " of " << line_number << " lines skipped\n";
    return 1;
  }
  return 0;
}

}  // namespace cdiscan::tools
