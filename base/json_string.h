// A JSON string literal for hand-assembled JSON (run reports, the worklist page's data). Kept in
// one place so every writer escapes the same way.
#ifndef CDISCAN_BASE_JSON_STRING_H_
#define CDISCAN_BASE_JSON_STRING_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cdiscan {

enum class JsonEscaping {
  kPlain,
  // Also escapes "<", ">" and "&", so the literal is safe inside an HTML <script> element.
  kHtmlSafe,
};

// `text` quoted and escaped as a JSON string: "\"Na 126\\n\"". Control characters become \uXXXX;
// other bytes pass through (the text is UTF-8).
std::string JsonString(absl::string_view text, JsonEscaping escaping = JsonEscaping::kPlain);

// The escaped contents without the surrounding quotes, appended to `out`.
void AppendJsonEscaped(absl::string_view text, JsonEscaping escaping, std::string* out);

}  // namespace cdiscan

#endif  // CDISCAN_BASE_JSON_STRING_H_
