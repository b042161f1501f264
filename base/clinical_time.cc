#include "base/clinical_time.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "re2/re2.h"

namespace cdiscan {
namespace {

int Year2(int year) { return year < 100 ? 2000 + year : year; }

}  // namespace

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

std::optional<absl::Time> ResolveWrittenTime(absl::string_view written, absl::Time note_time) {
  static const RE2* const kDate =
      new RE2("(\\d{1,2})/(\\d{1,2})(?:/(\\d{2,4}))?(?:\\s+(\\d{1,2}):?(\\d{2}))?");
  static const RE2* const kClock = new RE2("(\\d{1,2}):?(\\d{2})h?(?:\\s*([ap])m)?");
  const std::string w = absl::AsciiStrToLower(absl::StripAsciiWhitespace(written));
  if (w == "yesterday") return note_time - absl::Hours(24);
  if (w == "today" || w == "this morning" || w == "this am") return note_time;
  if (std::optional<absl::Time> iso = ParseClinicalTime(w)) return iso;
  const absl::CivilSecond note_civil = absl::ToCivilSecond(note_time, absl::UTCTimeZone());
  int month = 0, day = 0, hour = 0, minute = 0;
  std::string year, h, m, ampm;
  if (RE2::FullMatch(w, *kDate, &month, &day, &year, &h, &m)) {
    int y = note_civil.year();
    bool year_given = !year.empty() && absl::SimpleAtoi(year, &y);
    if (year_given) y = Year2(y);
    if (!h.empty() && (!absl::SimpleAtoi(h, &hour) || !absl::SimpleAtoi(m, &minute))) {
      return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) {
      return std::nullopt;
    }
    absl::Time t = absl::FromCivil(absl::CivilSecond(y, month, day, hour, minute, 0),
                                   absl::UTCTimeZone());
    // "12/30" in a note of January 2 is last year's.
    if (!year_given && t > note_time + absl::Hours(24)) {
      t = absl::FromCivil(absl::CivilSecond(y - 1, month, day, hour, minute, 0),
                          absl::UTCTimeZone());
    }
    return t;
  }
  if (RE2::FullMatch(w, *kClock, &hour, &minute, &ampm)) {
    if (ampm == "p" && hour < 12) hour += 12;
    if (ampm == "a" && hour == 12) hour = 0;
    if (hour > 23 || minute > 59) return std::nullopt;
    const absl::CivilDay day(note_civil);
    absl::Time t = absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), hour,
                                                     minute, 0),
                                   absl::UTCTimeZone());
    if (t > note_time) t -= absl::Hours(24);  // "at 23:00" in a note written at 07:00
    return t;
  }
  return std::nullopt;
}

}  // namespace cdiscan
