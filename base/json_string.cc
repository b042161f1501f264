#include "base/json_string.h"

#include "absl/strings/str_format.h"

namespace cdiscan {

void AppendJsonEscaped(absl::string_view text, JsonEscaping escaping, std::string* out) {
  const bool html = escaping == JsonEscaping::kHtmlSafe;
  for (unsigned char c : text) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      case '<': *out += html ? "\\u003c" : "<"; break;
      case '>': *out += html ? "\\u003e" : ">"; break;
      case '&': *out += html ? "\\u0026" : "&"; break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
}

std::string JsonString(absl::string_view text, JsonEscaping escaping) {
  std::string out = "\"";
  AppendJsonEscaped(text, escaping, &out);
  out.push_back('"');
  return out;
}

}  // namespace cdiscan
