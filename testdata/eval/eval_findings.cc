#include "testdata/eval/eval_findings.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "engine/note_scanner.h"
#include "engine/reject_log.h"
#include "engine/scan_pipeline.h"
#include "rules/rule_evaluator.h"
#include "rules/severity_table.h"

namespace cdiscan::eval {

double EvalResult::precision() const {
  return found.empty() ? 1.0
                       : static_cast<double>(found.size() - false_positives.size()) / found.size();
}

double EvalResult::recall() const {
  return expected.empty()
             ? 1.0
             : static_cast<double>(expected.size() - false_negatives.size()) / expected.size();
}

absl::StatusOr<std::set<Triple>> ReadExpected(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot read"));
  std::set<Triple> expected;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(text, '\t');
    if (fields.size() != 3) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": want encounter<TAB>condition<TAB>kind"));
    }
    if (FindingKind_descriptor()->FindValueByName(fields[2]) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", number, ": unknown kind ", fields[2]));
    }
    expected.insert({fields[0], fields[1], fields[2]});
  }
  return expected;
}

absl::StatusOr<EvalResult> Evaluate(const rules::RuleLibrary& library, const std::string& notes,
                                    const std::string& encounters,
                                    const std::string& expected_path) {
  EvalResult result;
  ASSIGN_OR_RETURN(result.expected, ReadExpected(expected_path));
  std::ostringstream reject_messages;
  ASSIGN_OR_RETURN(std::unique_ptr<engine::RejectLog> rejects,
                   engine::RejectLog::Open(&reject_messages, ""));
  engine::NoteScanner scanner(library);
  rules::RuleEvaluator evaluator(library, rules::SeverityTable::Bundled());
  engine::ScanPipeline pipeline(scanner, evaluator, engine::ScanOptions(), rejects.get());
  RETURN_IF_ERROR(pipeline.ReadEncounters(encounters));
  RETURN_IF_ERROR(pipeline.ScanNotes(notes));
  if (pipeline.summary().notes_rejected() > 0) {
    return absl::InvalidArgumentError(absl::StrCat("eval notes rejected: ", reject_messages.str()));
  }
  RETURN_IF_ERROR(pipeline.Evaluate([&](const Finding& finding) {
    result.found.insert(
        {finding.encounter_id(), finding.condition(), FindingKind_Name(finding.kind())});
    return absl::OkStatus();
  }));
  for (const Triple& t : result.found) {
    if (!result.expected.count(t)) result.false_positives.push_back(t);
  }
  for (const Triple& t : result.expected) {
    if (!result.found.count(t)) result.false_negatives.push_back(t);
  }
  return result;
}

}  // namespace cdiscan::eval
