#include "rules/query_linter.h"

#include "absl/strings/str_cat.h"
#include "re2/re2.h"

namespace cdiscan::rules {
namespace {

// Words a compliant query never uses (Part C.4 and C.5 #4). Case-insensitive, whole words.
const RE2& BannedTerms() {
  static const RE2* const kBanned = new RE2(
      "(?i)\\b(drgs?|ms-drg|apr-drg|mccs?|ccs?|cc/mcc|reimburse\\w*|payment\\w*|pay|paid|revenue|"
      "cmi|case[- ]mix|soi|rom|severity of illness|risk of mortality|psis?|hacs?|hccs?|raf|"
      "denials?|audit\\w*|billing|bill|money|dollars?|financial\\w*|quality scores?|"
      "expected reimbursement|profile)\\b");
  return *kBanned;
}

// Leading phrasing: telling the provider what to write.
const RE2& LeadingPhrases() {
  static const RE2* const kLeading = new RE2(
      "(?i)\\b(please document|are you treating|don't forget|do not forget|"
      "would you agree|should be documented as)\\b");
  return *kLeading;
}

void CheckText(absl::string_view where, absl::string_view text, std::vector<std::string>* out) {
  const re2::StringPiece input(text.data(), text.size());
  std::string word;
  if (RE2::PartialMatch(input, BannedTerms(), &word)) {
    out->push_back(absl::StrCat(where, ": banned term \"", word,
                                "\" (queries never mention payment, DRG, CC/MCC or quality)"));
  }
  if (RE2::PartialMatch(input, LeadingPhrases(), &word)) {
    out->push_back(absl::StrCat(where, ": leading phrase \"", word, "\""));
  }
}

}  // namespace

std::vector<std::string> LintQueryText(absl::string_view text) {
  std::vector<std::string> problems;
  CheckText("query text", text, &problems);
  return problems;
}

std::vector<std::string> LintQueryTemplate(const Rule& rule) {
  std::vector<std::string> problems;
  const QueryTemplate& query = rule.query();
  if (query.question().empty()) problems.push_back("query.question: required");
  CheckText("query.question", query.question(), &problems);
  for (int i = 0; i < query.option_size(); ++i) {
    CheckText(absl::StrCat("query.option[", i, "]"), query.option(i).text(), &problems);
  }
  if (query.format() == YES_NO && rule.kind() == MISSING_DIAGNOSIS) {
    problems.push_back(
        "query.format: YES_NO is not allowed for a new diagnosis supported only by indicators "
        "(use OPEN_ENDED or MULTIPLE_CHOICE)");
  }
  if (query.format() == MULTIPLE_CHOICE && query.option_size() < 1) {
    problems.push_back("query.option: MULTIPLE_CHOICE needs at least one clinical option");
  }
  if (query.format() == QUERY_FORMAT_UNSPECIFIED) problems.push_back("query.format: required");
  return problems;
}

std::vector<std::string> LintDraftQuery(const DraftQuery& query) {
  std::vector<std::string> problems;
  // query.text quotes the record verbatim ("UO 200 cc"), so only the parts the tool wrote are
  // checked here; the question itself was linted when the rule was loaded.
  for (const std::string& option : query.options()) CheckText("query.options", option, &problems);
  if (query.format() != OPEN_ENDED) {
    bool has_other = false, has_undetermined = false;
    for (const std::string& option : query.options()) {
      has_other |= option.rfind("Other", 0) == 0;
      has_undetermined |= option == "Clinically undetermined";
    }
    if (!has_other) problems.push_back("query.options: \"Other\" missing");
    if (!has_undetermined) problems.push_back("query.options: \"Clinically undetermined\" missing");
  }
  return problems;
}

}  // namespace cdiscan::rules
