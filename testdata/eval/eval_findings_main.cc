// Prints precision and recall of the rule library on testdata/eval, with every miss.
//   bazel run //testdata/eval:eval_findings -- [--rules=DIR] [NOTES ENCOUNTERS EXPECTED]
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "rules/rule_library.h"
#include "testdata/eval/eval_findings.h"

int main(int argc, char** argv) {
  std::string rules_dir;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (absl::StartsWith(arg, "--rules=")) {
      rules_dir = arg.substr(8);
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.empty()) {
    // Under `bazel run` the data files are in the runfiles tree; BUILD_WORKSPACE_DIRECTORY is
    // the source tree.
    const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
    const std::string base = std::string(workspace ? workspace : ".") + "/testdata/eval/";
    paths = {base + "notes.jsonl", base + "encounters.jsonl", base + "expected.tsv"};
  }
  if (paths.size() != 3) {
    std::cerr << "usage: eval_findings [--rules=DIR] [NOTES ENCOUNTERS EXPECTED]\n";
    return 2;
  }
  auto library = rules_dir.empty() ? cdiscan::rules::RuleLibrary::LoadBundled()
                                   : cdiscan::rules::RuleLibrary::LoadDirectory(rules_dir);
  if (!library.ok()) {
    std::cerr << library.status() << "\n";
    return 1;
  }
  auto result = cdiscan::eval::Evaluate(**library, paths[0], paths[1], paths[2]);
  if (!result.ok()) {
    std::cerr << result.status() << "\n";
    return 1;
  }
  std::cout << absl::StrFormat("expected %d, found %d, precision %.3f, recall %.3f\n",
                               result->expected.size(), result->found.size(),
                               result->precision(), result->recall());
  for (const auto& [encounter, condition, kind] : result->false_positives) {
    std::cout << "false positive\t" << encounter << "\t" << condition << "\t" << kind << "\n";
  }
  for (const auto& [encounter, condition, kind] : result->false_negatives) {
    std::cout << "missed\t" << encounter << "\t" << condition << "\t" << kind << "\n";
  }
  return 0;
}
