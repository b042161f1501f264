// cdiscan: finds clinical documentation gaps (query opportunities) in EHR note extracts.
// Thin: subcommand dispatch only; each subcommand lives in tools/<name>_command.cc.
#include <iostream>
#include <string>
#include <vector>

#include "tools/exit_codes.h"
#include "tools/rules_command.h"
#include "tools/scan_command.h"

namespace {

constexpr char kUsage[] =
    "usage: cdiscan <command> [flags]\n\n"
    "commands:\n"
    "  scan      scan a note extract and write findings (query opportunities)\n"
    "  rules     lint | test | list the rule packs\n"
    "  help      this message\n\n"
    "Run 'cdiscan <command> --help' for the flags of a command.\n";

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
  if (command == "rules") return cdiscan::tools::RunRulesCommand(args, std::cout, std::cerr);
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage;
    return cdiscan::tools::kExitOk;
  }
  std::cerr << "cdiscan: unknown command \"" << command << "\"\n" << kUsage;
  return cdiscan::tools::kExitUsage;
}
