#include "base/clinical_time.h"

#include <string>

namespace cdiscan {

std::optional<absl::Time> ParseClinicalTime(absl::string_view text) {
  if (text.empty()) return std::nullopt;
  static constexpr const char* kFormats[] = {
      "%Y-%m-%d%ET%H:%M:%E*S%Ez", "%Y-%m-%d%ET%H:%M:%E*S", "%Y-%m-%d%ET%H:%M%Ez",
      "%Y-%m-%d%ET%H:%M",         "%Y-%m-%d %H:%M:%E*S",   "%Y-%m-%d %H:%M",
      "%Y-%m-%d"};
  absl::Time time;
  std::string error;
  for (const char* format : kFormats) {
    if (absl::ParseTime(format, text, &time, &error)) return time;
  }
  return std::nullopt;
}

}  // namespace cdiscan
