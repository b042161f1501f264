#include "nlp/measure/tail_matchers.h"

#include <array>
#include <bit>
#include <cstdint>

namespace cdiscan::nlp::tail {
namespace {

// The helpers below index the line through its data pointer once they have checked the
// position against its size: absl's string_view is built hardened here, and checking every
// index again cost about a quarter of these matchers.

constexpr size_t kNoMatch = absl::string_view::npos;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RE2's \w: ASCII letters, digits and '_' (bytes of multibyte characters are not word bytes).
bool IsWordByte(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// RE2's \b at `pos`, seeing the bytes before `line` and a non-word byte after it.
bool WordBoundaryAt(absl::string_view line, size_t pos) {
  const bool word_before = pos > 0 && IsWordByte(line.data()[pos - 1]);
  const bool word_after = pos < line.size() && IsWordByte(line.data()[pos]);
  return word_before != word_after;
}

// The literals are a few bytes long and most differ from the text in their first byte: a loop
// costs less than a call to memcmp.
bool LiteralAt(absl::string_view line, size_t pos, absl::string_view literal) {
  if (pos > line.size() || line.size() - pos < literal.size()) return false;
  const char* const at = line.data() + pos;
  for (size_t i = 0; i < literal.size(); ++i) {
    if (at[i] != literal.data()[i]) return false;
  }
  return true;
}

// The first bytes of `literals`, as a table: a byte none of them starts with costs one load.
template <size_t N>
constexpr std::array<bool, 256> FirstBytesOf(const absl::string_view (&literals)[N]) {
  std::array<bool, 256> first{};
  for (absl::string_view literal : literals) first[static_cast<uint8_t>(literal[0])] = true;
  return first;
}

// Per byte, which of `literals` (at most 32) start with it, as bits in their order: at a byte, a
// matcher tries only those, still in order, rather than every literal of a long list.
template <size_t N>
constexpr std::array<uint32_t, 256> LiteralsByFirstByte(const absl::string_view (&literals)[N]) {
  static_assert(N <= 32, "one bit per literal");
  std::array<uint32_t, 256> by_byte{};
  for (size_t i = 0; i < N; ++i) by_byte[static_cast<uint8_t>(literals[i][0])] |= uint32_t{1} << i;
  return by_byte;
}

// The literals of `by_byte` that start with the byte at `pos` (none past the line), as bits.
uint32_t LiteralsStartingAt(const std::array<uint32_t, 256>& by_byte, absl::string_view line,
                            size_t pos) {
  return pos < line.size() ? by_byte[static_cast<uint8_t>(line.data()[pos])] : 0;
}

// " *": the position after the spaces at `pos`.
size_t SkipSpaces(absl::string_view line, size_t pos) {
  while (pos < line.size() && line.data()[pos] == ' ') ++pos;
  return pos;
}

// "\d+": the position after the digits at `pos`, or `pos` if there are none.
size_t SkipDigits(absl::string_view line, size_t pos) {
  while (pos < line.size() && IsDigit(line.data()[pos])) ++pos;
  return pos;
}

// "(?:a|b|c)\b" at `pos`, alternatives tried in order as RE2's leftmost-first semantics do: the
// end of the first literal written at `pos` and followed by a word boundary, or kNoMatch.
template <size_t N>
size_t FirstLiteralBeforeBoundary(absl::string_view line, size_t pos,
                                  const absl::string_view (&literals)[N]) {
  for (absl::string_view literal : literals) {
    if (LiteralAt(line, pos, literal) && WordBoundaryAt(line, pos + literal.size())) {
      return pos + literal.size();
    }
  }
  return kNoMatch;
}

// The first of `literals` written at `pos`, in order: its end, or kNoMatch.
template <size_t N>
size_t FirstLiteral(absl::string_view line, size_t pos, const absl::string_view (&literals)[N]) {
  for (absl::string_view literal : literals) {
    if (LiteralAt(line, pos, literal)) return pos + literal.size();
  }
  return kNoMatch;
}

// ---- kTimePattern's filter ----

// Leads of kTimePattern's group 2.
constexpr absl::string_view kTimeLeads[] = {"on", "at", "@", "from", "dated", "drawn", "in", "of"};

// A prefix of every word alternative of kTimePattern's group 3 ("jan" of "january", "pre" of
// "pre-op" and "preop").
constexpr absl::string_view kTimeWordStarts[] = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    "on admission", "at admission", "on presentation", "on arrival", "in the ed",
    "this morning", "this am", "yesterday", "today", "overnight", "last night", "pre", "post",
};

// False only if kTimePattern's group 3 cannot start at `pos`. Its numeric alternatives start
// with one or two digits and a "/" or ":" ("3/12", "14:30"), or with exactly four digits
// ("2024-03-12", "0600"); its word alternatives with one of kTimeWordStarts.
bool TimeValueMayStartAt(absl::string_view line, size_t pos) {
  if (pos >= line.size()) return false;
  if (IsDigit(line[pos])) {
    const size_t digits_end = SkipDigits(line, pos);
    const size_t digits = digits_end - pos;
    if (digits == 4) return true;
    return digits <= 2 && digits_end < line.size() &&
           (line[digits_end] == '/' || line[digits_end] == ':');
  }
  static constexpr auto kByFirstByte = LiteralsByFirstByte(kTimeWordStarts);
  for (uint32_t c = LiteralsStartingAt(kByFirstByte, line, pos); c != 0; c &= c - 1) {
    if (LiteralAt(line, pos, kTimeWordStarts[std::countr_zero(c)])) return true;
  }
  return false;
}

// ---- kTimePattern ----
//
// Each alternative of group 3 lists the ends it can reach at a place in RE2's order of
// preference (greedy parts longest first, optional parts taken first) and takes the first that
// its trailing \b, if any, accepts: nothing after group 3 can fail (" *(\)|\])?"), so that is
// the alternative's match. Runs of spaces are only ever taken whole, because what follows them
// is never a space.

// The byte at `pos`, or NUL past the line (no part of the pattern matches a NUL).
char ByteAt(absl::string_view line, size_t pos) {
  return pos < line.size() ? line.data()[pos] : '\0';
}

// True if exactly the `count` bytes from `pos` are digits (what follows is not looked at).
bool DigitsAt(absl::string_view line, size_t pos, size_t count) {
  if (pos > line.size() || line.size() - pos < count) return false;
  for (size_t i = 0; i < count; ++i) {
    if (!IsDigit(line.data()[pos + i])) return false;
  }
  return true;
}

// A few candidate ends in order of preference.
class Ends {
 public:
  void Add(size_t end) { ends_[size_++] = end; }
  const size_t* begin() const { return ends_; }
  const size_t* end() const { return ends_ + size_; }

 private:
  size_t ends_[8];
  size_t size_ = 0;
};

// "\d{1,2}" at `pos`: two digits, then one.
Ends OneOrTwoDigits(absl::string_view line, size_t pos) {
  Ends ends;
  if (DigitsAt(line, pos, 2)) ends.Add(pos + 2);
  if (DigitsAt(line, pos, 1)) ends.Add(pos + 1);
  return ends;
}

// " +\d{1,2}:?\d{2}" at `pos` (the clock after a date), ends in order.
Ends ClockAfterDate(absl::string_view line, size_t pos) {
  Ends ends;
  if (ByteAt(line, pos) != ' ') return ends;
  for (size_t hour_end : OneOrTwoDigits(line, SkipSpaces(line, pos))) {
    if (ByteAt(line, hour_end) == ':' && DigitsAt(line, hour_end + 1, 2)) ends.Add(hour_end + 3);
    if (DigitsAt(line, hour_end, 2)) ends.Add(hour_end + 2);
  }
  return ends;
}

// "\d{1,2}/\d{1,2}(?:/\d{2,4})?(?: +\d{1,2}:?\d{2})?\b"
size_t MatchSlashDate(absl::string_view line, size_t pos) {
  for (size_t month_end : OneOrTwoDigits(line, pos)) {
    if (ByteAt(line, month_end) != '/') continue;
    for (size_t day_end : OneOrTwoDigits(line, month_end + 1)) {
      Ends with_year;
      if (ByteAt(line, day_end) == '/') {
        for (size_t digits = 4; digits >= 2; --digits) {
          if (DigitsAt(line, day_end + 1, digits)) with_year.Add(day_end + 1 + digits);
        }
      }
      with_year.Add(day_end);
      for (size_t date_end : with_year) {
        for (size_t end : ClockAfterDate(line, date_end)) {
          if (WordBoundaryAt(line, end)) return end;
        }
        if (WordBoundaryAt(line, date_end)) return date_end;
      }
    }
  }
  return kNoMatch;
}

// "\d{1,2}:\d{2}(?: *[ap]m)?"
size_t MatchClock(absl::string_view line, size_t pos) {
  for (size_t hour_end : OneOrTwoDigits(line, pos)) {
    if (ByteAt(line, hour_end) != ':' || !DigitsAt(line, hour_end + 1, 2)) continue;
    const size_t end = hour_end + 3;
    const size_t meridiem = SkipSpaces(line, end);
    const char c = ByteAt(line, meridiem);
    if ((c == 'a' || c == 'p') && ByteAt(line, meridiem + 1) == 'm') return meridiem + 2;
    return end;
  }
  return kNoMatch;
}

// "\d{4}-\d{2}-\d{2}(?:t\d{2}:\d{2}(?::\d{2})?)?"
size_t MatchIsoDate(absl::string_view line, size_t pos) {
  if (!DigitsAt(line, pos, 4) || ByteAt(line, pos + 4) != '-' || !DigitsAt(line, pos + 5, 2) ||
      ByteAt(line, pos + 7) != '-' || !DigitsAt(line, pos + 8, 2)) {
    return kNoMatch;
  }
  const size_t date_end = pos + 10;
  if (ByteAt(line, date_end) != 't' || !DigitsAt(line, date_end + 1, 2) ||
      ByteAt(line, date_end + 3) != ':' || !DigitsAt(line, date_end + 4, 2)) {
    return date_end;
  }
  const size_t clock_end = date_end + 6;
  if (ByteAt(line, clock_end) == ':' && DigitsAt(line, clock_end + 1, 2)) return clock_end + 3;
  return clock_end;
}

constexpr absl::string_view kMonths[] = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept",
    "sep", "oct", "nov", "dec",
};

// "(?:<month>)\.?(?: +\d{1,2}(?:st|nd|rd|th)?)?(?:,? +\d{4})?\b"
size_t MatchMonthDate(absl::string_view line, size_t pos) {
  static constexpr auto kByFirstByte = LiteralsByFirstByte(kMonths);
  static constexpr absl::string_view kOrdinals[] = {"st", "nd", "rd", "th"};
  for (uint32_t c = LiteralsStartingAt(kByFirstByte, line, pos); c != 0; c &= c - 1) {
    const absl::string_view month = kMonths[std::countr_zero(c)];
    if (!LiteralAt(line, pos, month)) continue;
    const size_t month_end = pos + month.size();
    Ends with_dot;
    if (ByteAt(line, month_end) == '.') with_dot.Add(month_end + 1);
    with_dot.Add(month_end);
    for (size_t name_end : with_dot) {
      Ends with_day;
      if (ByteAt(line, name_end) == ' ') {
        for (size_t day_end : OneOrTwoDigits(line, SkipSpaces(line, name_end))) {
          if (FirstLiteral(line, day_end, kOrdinals) != kNoMatch) with_day.Add(day_end + 2);
          with_day.Add(day_end);
        }
      }
      with_day.Add(name_end);
      for (size_t day_end : with_day) {
        // ",? +\d{4}": without the comma " +" would start at it, so it is taken when written.
        const size_t spaces = ByteAt(line, day_end) == ',' ? day_end + 1 : day_end;
        if (ByteAt(line, spaces) == ' ') {
          const size_t year = SkipSpaces(line, spaces);
          if (DigitsAt(line, year, 4) && WordBoundaryAt(line, year + 4)) return year + 4;
        }
        if (WordBoundaryAt(line, day_end)) return day_end;
      }
    }
  }
  return kNoMatch;
}

// "\d{4}h?\b"
size_t MatchFourDigits(absl::string_view line, size_t pos) {
  if (!DigitsAt(line, pos, 4)) return kNoMatch;
  if (ByteAt(line, pos + 4) == 'h' && WordBoundaryAt(line, pos + 5)) return pos + 5;
  if (WordBoundaryAt(line, pos + 4)) return pos + 4;
  return kNoMatch;
}

// The words of group 3, "pre-?op" and "post-?op" tried with their "-" first.
constexpr absl::string_view kTimeWords[] = {
    "on admission", "at admission", "on presentation", "on arrival", "in the ed", "this morning",
    "this am", "yesterday", "today", "overnight", "last night", "pre-op", "preop", "post-op",
    "postop",
};

// Group 3 at `pos`: its alternatives in order.
size_t MatchTimeValue(absl::string_view line, size_t pos) {
  if (IsDigit(ByteAt(line, pos))) {
    for (size_t (*alternative)(absl::string_view, size_t) :
         {MatchSlashDate, MatchClock, MatchIsoDate}) {
      const size_t end = alternative(line, pos);
      if (end != kNoMatch) return end;
    }
    return MatchFourDigits(line, pos);
  }
  const size_t end = MatchMonthDate(line, pos);
  if (end != kNoMatch) return end;
  static constexpr auto kByFirstByte = LiteralsByFirstByte(kTimeWords);
  for (uint32_t c = LiteralsStartingAt(kByFirstByte, line, pos); c != 0; c &= c - 1) {
    const absl::string_view word = kTimeWords[std::countr_zero(c)];
    if (LiteralAt(line, pos, word)) return pos + word.size();
  }
  return kNoMatch;
}

// ---- kOxygenPattern ----

constexpr absl::string_view kOxygenLeads[] = {"on", "at", "via", "while on", "with", "w/"};

// "lpm|l/min|liters?|l", "liters?" tried with its "s" first.
constexpr absl::string_view kFlowUnits[] = {"lpm", "l/min", "liters", "liter", "l"};

// The devices after a flow ("4L NC"), "face ?mask" tried with its space first.
constexpr absl::string_view kFlowDevices[] = {
    "nc", "nasal cannula", "hfnc", "high flow nasal cannula", "high flow", "hf", "nrb",
    "non-rebreather", "face mask", "facemask", "fm", "simple mask", "venturi mask", "venturi",
    "vm", "oxymizer", "o2",
};

// The devices after a percentage ("40% FiO2").
constexpr absl::string_view kPercentDevices[] = {
    "fio2", "venturi", "vm", "face mask", "facemask", "hfnc", "high flow", "bipap", "cpap", "vent",
};

// Supports written as words alone; "high[- ]flow" is either spelling.
constexpr absl::string_view kSupportWords[] = {
    "hfnc", "high flow nasal cannula", "high-flow", "high flow", "bipap", "cpap", "nippv", "niv",
    "nrb", "non-rebreather", "nasal cannula", "nc", "mechanical ventilation", "ventilator", "vent",
    "trach collar", "face mask", "facemask",
};

// "\d+(?:\.\d+)? *(?:lpm|l/min|liters?|l)(?: *(?:via)? *(?:<flow device>))?\b" at `pos`.
// Backtracking into the number or the spaces never helps (what follows starts with neither a
// digit nor a space), so only the unit and the optional device are tried in turn.
size_t MatchFlow(absl::string_view line, size_t pos) {
  size_t p = SkipDigits(line, pos);
  if (p == pos) return kNoMatch;
  if (p + 1 < line.size() && line[p] == '.' && IsDigit(line[p + 1])) p = SkipDigits(line, p + 1);
  p = SkipSpaces(line, p);
  for (absl::string_view unit : kFlowUnits) {
    if (!LiteralAt(line, p, unit)) continue;
    const size_t unit_end = p + unit.size();
    const size_t device = SkipSpaces(line, unit_end);
    if (LiteralAt(line, device, "via")) {
      const size_t end =
          FirstLiteralBeforeBoundary(line, SkipSpaces(line, device + 3), kFlowDevices);
      if (end != kNoMatch) return end;
    }
    const size_t end = FirstLiteralBeforeBoundary(line, device, kFlowDevices);
    if (end != kNoMatch) return end;
    if (WordBoundaryAt(line, unit_end)) return unit_end;
  }
  return kNoMatch;
}

// "\d+ *% *(?:<percent device>)\b" at `pos`.
size_t MatchPercent(absl::string_view line, size_t pos) {
  const size_t digits_end = SkipDigits(line, pos);
  if (digits_end == pos) return kNoMatch;
  const size_t percent = SkipSpaces(line, digits_end);
  if (!LiteralAt(line, percent, "%")) return kNoMatch;
  return FirstLiteralBeforeBoundary(line, SkipSpaces(line, percent + 1), kPercentDevices);
}

// kOxygenPattern's group followed by "\b", at `pos`: its alternatives in order.
size_t MatchSupport(absl::string_view line, size_t pos) {
  static constexpr absl::string_view kRoomAir[] = {"room air", "ra"};
  size_t end = FirstLiteralBeforeBoundary(line, pos, kRoomAir);
  if (end != kNoMatch) return end;
  if (pos < line.size() && IsDigit(line[pos])) {
    end = MatchFlow(line, pos);
    if (end != kNoMatch) return end;
    return MatchPercent(line, pos);
  }
  return FirstLiteralBeforeBoundary(line, pos, kSupportWords);
}

// ---- kEarlierPattern, kArrowPattern, kRefRangePattern ----

// kEarlierPattern's phrases, "vs\.?" tried with its dot first.
constexpr absl::string_view kEarlierPhrases[] = {
    "up from a baseline of", "from a baseline of", "baseline of", "baseline is", "baseline was",
    "baseline", "bl", "previously", "prior", "prev", "was", "up from", "down from",
    "improved from", "increased from", "decreased from", "rose from", "dropped from",
    "compared to", "compared with", "versus", "vs.", "vs", "from",
};

// kArrowPattern's symbols, and the words it takes after an optional comma.
constexpr absl::string_view kArrowSymbols[] = {
    "-->", "->", "=>", "\xe2\x86\x92", "<--", "<-", "\xe2\x86\x90", ">",
};
constexpr absl::string_view kArrowWords[] = {
    "now", "then", "currently", "today", "repeat", "recheck", "repeated", "rechecked",
    "improved to", "up to", "down to", "increased to", "decreased to", "this am", "this morning",
};

// kRefRangePattern's labels, each optional part tried with its text first.
constexpr absl::string_view kRefRangeLabels[] = {
    "reference range", "reference", "ref range", "ref", "normal range", "normal", "nl", "range",
};

// "\d+(?:\.\d+)?" at `pos`: its end, or kNoMatch. Giving back a digit or the decimals never
// helps the patterns that use it: the next byte they need is neither a digit nor a ".".
size_t MatchDecimal(absl::string_view line, size_t pos) {
  size_t p = SkipDigits(line, pos);
  if (p == pos) return kNoMatch;
  if (p + 1 < line.size() && line[p] == '.' && IsDigit(line[p + 1])) p = SkipDigits(line, p + 1);
  return p;
}

// kRefRangePattern after its label: "\d+(?:\.\d+)? *- *\d+(?:\.\d+)? *(?:\)|\])?" at `pos`.
size_t MatchRangeValues(absl::string_view line, size_t pos) {
  size_t p = MatchDecimal(line, pos);
  if (p == kNoMatch) return kNoMatch;
  p = SkipSpaces(line, p);
  if (!LiteralAt(line, p, "-")) return kNoMatch;
  p = MatchDecimal(line, SkipSpaces(line, p + 1));
  if (p == kNoMatch) return kNoMatch;
  p = SkipSpaces(line, p);
  if (p < line.size() && (line[p] == ')' || line[p] == ']')) ++p;
  return p;
}

}  // namespace

size_t MatchEarlier(absl::string_view line, size_t pos) {
  // " *" then the optional opener: giving back a space or the opener leaves a byte no phrase
  // starts with, so the opener is taken whenever it is there.
  size_t p = SkipSpaces(line, pos);
  if (p < line.size() && (line[p] == '(' || line[p] == '[' || line[p] == ',' || line[p] == ';')) {
    p = SkipSpaces(line, p + 1);
  }
  size_t end = FirstLiteralBeforeBoundary(line, p, kEarlierPhrases);
  if (end == kNoMatch) return kNoMatch;
  while (end < line.size() && (line[end] == ' ' || line[end] == ':')) ++end;
  return end;
}

size_t MatchArrow(absl::string_view line, size_t pos) {
  const size_t p = SkipSpaces(line, pos);
  size_t end = FirstLiteral(line, p, kArrowSymbols);
  // ",? *(?:words)": with the comma if there is one; without it the words would start at the
  // comma, which none does.
  if (end == kNoMatch) {
    const size_t word = LiteralAt(line, p, ",") ? SkipSpaces(line, p + 1) : p;
    end = FirstLiteral(line, word, kArrowWords);
  }
  if (end == kNoMatch && LiteralAt(line, p, "to")) end = p + 2;
  if (end == kNoMatch) return kNoMatch;
  return SkipSpaces(line, end);
}

size_t MatchRefRange(absl::string_view line, size_t pos) {
  size_t p = SkipSpaces(line, pos);
  if (p < line.size() && (line[p] == '(' || line[p] == '[')) p = SkipSpaces(line, p + 1);
  // The optional label, each in turn, then none: a label that the values do not follow gives
  // way to the next, as RE2 backtracks.
  for (absl::string_view label : kRefRangeLabels) {
    if (!LiteralAt(line, p, label)) continue;
    size_t q = SkipSpaces(line, p + label.size());
    if (LiteralAt(line, q, ":")) q = SkipSpaces(line, q + 1);
    const size_t end = MatchRangeValues(line, q);
    if (end != kNoMatch) return end;
  }
  return MatchRangeValues(line, p);
}

TimeMatch MatchTime(absl::string_view line, size_t pos) {
  TimeMatch match;
  // " *(\(|\[)? *": the opener is taken when written (without it the rest would start at it,
  // which nothing does).
  size_t p = SkipSpaces(line, pos);
  if (p < line.size() && (line[p] == '(' || line[p] == '[')) {
    match.open = true;
    p = SkipSpaces(line, p + 1);
  }
  // "(<lead>)? *": the lead written at `p` first (no lead is a prefix of another), then none.
  size_t time_end = kNoMatch;
  for (absl::string_view lead : kTimeLeads) {
    if (!LiteralAt(line, p, lead)) continue;
    const size_t time_begin = SkipSpaces(line, p + lead.size());
    time_end = MatchTimeValue(line, time_begin);
    if (time_end != kNoMatch) {
      match.lead = line.substr(p, lead.size());
      match.time_begin = time_begin;
    }
    break;
  }
  if (time_end == kNoMatch) {
    time_end = MatchTimeValue(line, p);
    if (time_end == kNoMatch) return match;
    match.time_begin = p;
  }
  match.time_end = time_end;
  // " *(\)|\])?"
  match.end = SkipSpaces(line, time_end);
  if (match.end < line.size() && (line[match.end] == ')' || line[match.end] == ']')) {
    match.close = true;
    ++match.end;
  }
  return match;
}

bool TimeMayMatchAt(absl::string_view line, size_t pos) {
  // " *(\(|\[)? *": giving back a space or the opener leaves a byte no later part starts with.
  size_t p = SkipSpaces(line, pos);
  if (p < line.size() && (line[p] == '(' || line[p] == '[')) p = SkipSpaces(line, p + 1);
  // Group 2 is optional: the time may start here, or after one of the leads.
  if (TimeValueMayStartAt(line, p)) return true;
  static constexpr std::array<bool, 256> kLeadFirstBytes = FirstBytesOf(kTimeLeads);
  if (p >= line.size() || !kLeadFirstBytes[static_cast<uint8_t>(line[p])]) return false;
  for (absl::string_view lead : kTimeLeads) {
    if (LiteralAt(line, p, lead) && TimeValueMayStartAt(line, SkipSpaces(line, p + lead.size()))) {
      return true;
    }
  }
  return false;
}

OxygenMatch MatchOxygen(absl::string_view line, size_t pos) {
  // "[ ,]*": giving back a space or comma leaves a byte that neither a lead nor the support
  // starts with, so the longest run is the only one that can match.
  while (pos < line.size() && (line[pos] == ' ' || line[pos] == ',')) ++pos;
  // The optional lead, each in turn, then none. At most one lead is written at `pos`; " *"
  // takes every space because no support starts with one.
  OxygenMatch match;
  for (absl::string_view lead : kOxygenLeads) {
    if (!LiteralAt(line, pos, lead)) continue;
    match.support_begin = SkipSpaces(line, pos + lead.size());
    match.end = MatchSupport(line, match.support_begin);
    if (match.end != kNoMatch) return match;
    break;
  }
  match.support_begin = pos;
  match.end = MatchSupport(line, pos);
  return match;
}

}  // namespace cdiscan::nlp::tail
