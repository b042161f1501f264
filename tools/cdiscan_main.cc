// cdiscan: finds clinical documentation gaps (query opportunities) in EHR note extracts.
// Thin: subcommand dispatch only; each subcommand lives in tools/<name>_command.cc.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include "tools/context_command.h"
#include "tools/disposition_command.h"
#include "tools/exit_codes.h"
#include "tools/facts_command.h"
#include "tools/nightly_command.h"
#include "tools/rules_command.h"
#include "tools/scan_command.h"

namespace {

constexpr char kUsage[] =
    "usage: cdiscan <command> [flags]\n\n"
    "commands:\n"
    "  scan      scan a note extract and write findings (query opportunities)\n"
    "  nightly   scan tonight's extract, update finding lifecycles in the state file, write\n"
    "            the concurrent and retrospective worklists (CSV, HTML) and the run report\n"
    "  disposition import   reviewer dispositions (CSV/JSONL) into the state file\n"
    "  rules     lint | test | list the rule packs\n"
    "  facts     print the mentions, measurements and treatments found in each note (JSONL)\n"
    "  context   assertion of target phrases: TSV id, target, sentence in (file or stdin);\n"
    "            id, negation, temporality, experiencer out\n"
    "  help      this message\n\n"
    "Run 'cdiscan <command> --help' for the flags of a command.\n";

int RunContext(const std::vector<std::string>& args) {
  const bool wants_help = args.size() == 1 && (args[0] == "--help" || args[0] == "-h");
  if (args.size() > 1 || wants_help) {
    (wants_help ? std::cout : std::cerr) << "usage: cdiscan context [FILE.tsv]   (reads stdin without FILE)\n"
                 "input lines:  id<TAB>target phrase<TAB>sentence\n"
                 "output lines: id<TAB>affirmed|negated|possible<TAB>recent|historical|"
                 "hypothetical<TAB>patient|other\n";
    return wants_help ? cdiscan::tools::kExitOk : cdiscan::tools::kExitUsage;
  }
  if (args.empty() || args[0] == "-") {
    return cdiscan::tools::RunContextCommand(std::cin, std::cout, std::cerr);
  }
  std::ifstream in(args[0]);
  if (!in) {
    std::cerr << "cdiscan context: cannot open " << args[0] << "\n";
    return cdiscan::tools::kExitFatal;
  }
  return cdiscan::tools::RunContextCommand(in, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    std::cerr << kUsage;
    return cdiscan::tools::kExitUsage;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "scan") return cdiscan::tools::RunScanCommand(args, std::cout, std::cerr);
  if (command == "nightly") {
    return cdiscan::tools::RunNightlyCommand(args, std::cout, std::cerr, isatty(2) != 0);
  }
  if (command == "disposition") {
    return cdiscan::tools::RunDispositionCommand(args, std::cout, std::cerr);
  }
  if (command == "rules") return cdiscan::tools::RunRulesCommand(args, std::cout, std::cerr);
  if (command == "facts") return cdiscan::tools::RunFactsCommand(args, std::cout, std::cerr);
  if (command == "context") return RunContext(args);
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage;
    return cdiscan::tools::kExitOk;
  }
  std::cerr << "cdiscan: unknown command \"" << command << "\"\n" << kUsage;
  return cdiscan::tools::kExitUsage;
}
