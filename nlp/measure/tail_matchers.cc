#include "nlp/measure/tail_matchers.h"

#include <array>
#include <cstdint>

namespace cdiscan::nlp::tail {
namespace {

constexpr size_t kNoMatch = absl::string_view::npos;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RE2's \w: ASCII letters, digits and '_' (bytes of multibyte characters are not word bytes).
bool IsWordByte(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// RE2's \b at `pos`, seeing the bytes before `line` and a non-word byte after it.
bool WordBoundaryAt(absl::string_view line, size_t pos) {
  const bool word_before = pos > 0 && IsWordByte(line[pos - 1]);
  const bool word_after = pos < line.size() && IsWordByte(line[pos]);
  return word_before != word_after;
}

// The literals are a few bytes long and most differ from the text in their first byte: a loop
// costs less than a call to memcmp.
bool LiteralAt(absl::string_view line, size_t pos, absl::string_view literal) {
  if (pos > line.size() || line.size() - pos < literal.size()) return false;
  for (size_t i = 0; i < literal.size(); ++i) {
    if (line[pos + i] != literal[i]) return false;
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

// " *": the position after the spaces at `pos`.
size_t SkipSpaces(absl::string_view line, size_t pos) {
  while (pos < line.size() && line[pos] == ' ') ++pos;
  return pos;
}

// "\d+": the position after the digits at `pos`, or `pos` if there are none.
size_t SkipDigits(absl::string_view line, size_t pos) {
  while (pos < line.size() && IsDigit(line[pos])) ++pos;
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
  static constexpr std::array<bool, 256> kFirstBytes = FirstBytesOf(kTimeWordStarts);
  if (!kFirstBytes[static_cast<uint8_t>(line[pos])]) return false;
  for (absl::string_view start : kTimeWordStarts) {
    if (LiteralAt(line, pos, start)) return true;
  }
  return false;
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

// The first of `literals` written at `pos`, in order: its end, or kNoMatch.
template <size_t N>
size_t FirstLiteral(absl::string_view line, size_t pos, const absl::string_view (&literals)[N]) {
  for (absl::string_view literal : literals) {
    if (LiteralAt(line, pos, literal)) return pos + literal.size();
  }
  return kNoMatch;
}

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
