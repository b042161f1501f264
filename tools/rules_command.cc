#include "tools/rules_command.h"

#include <memory>

#include "absl/strings/str_format.h"
#include "engine/rule_examples.h"
#include "rules/rule_evaluator.h"
#include "rules/rule_library.h"
#include "rules/severity_table.h"
#include "tools/command_line.h"
#include "tools/exit_codes.h"

namespace cdiscan::tools {
namespace {

const std::vector<FlagSpec>& RulesFlags() {
  static const auto* const kFlags = new std::vector<FlagSpec>{
      {"rules", true, "directory of *.textproto rule packs (default: the bundled packs)"},
      {"help", false, "this help"},
  };
  return *kFlags;
}

void PrintUsage(std::ostream& os) {
  os << "usage: cdiscan rules lint|test|list [--rules=DIR]\n\n"
        "  lint   load and validate every pack; report every authoring error with file:line:col\n"
        "  test   run every example of every rule (must fire / must stay silent)\n"
        "  list   one line per rule: id, condition, kind, status, source\n\nflags:\n"
     << FlagHelp(RulesFlags());
}

int List(const rules::RuleLibrary& library, std::ostream& out) {
  for (size_t i = 0; i < library.rules().size(); ++i) {
    const Rule& rule = library.rules()[i];
    out << absl::StrFormat("%-48s %-26s %-20s %-12s %s\n", rule.id(), rule.condition(),
                           FindingKind_Name(rule.kind()), RuleStatus_Name(rule.status()),
                           library.SourceOf(i));
  }
  return kExitOk;
}

int Test(const rules::RuleLibrary& library, std::ostream& out, std::ostream& err) {
  rules::RuleEvaluator evaluator(library, rules::SeverityTable::Bundled());
  int failed = 0, total = 0;
  for (const engine::ExampleResult& result : engine::RunRuleExamples(evaluator)) {
    ++total;
    if (result.passed()) continue;
    ++failed;
    err << "FAIL " << result.rule_id << " / \"" << result.example << "\": expected "
        << (result.should_fire ? "to fire, was silent: " : "silence, fired: ") << result.detail
        << "\n";
  }
  out << (total - failed) << " passed, " << failed << " failed\n";
  return failed == 0 ? kExitOk : kExitFatal;
}

}  // namespace

int RunRulesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<CommandLine> flags = CommandLine::Parse(args, RulesFlags());
  if (!flags.ok()) {
    err << "cdiscan rules: " << flags.status().message() << "\n";
    PrintUsage(err);
    return kExitUsage;
  }
  if (flags->Has("help")) {
    PrintUsage(out);
    return kExitOk;
  }
  if (flags->positional().size() != 1) {
    PrintUsage(err);
    return kExitUsage;
  }
  const std::string& verb = flags->positional()[0];
  if (verb != "lint" && verb != "test" && verb != "list") {
    err << "cdiscan rules: unknown verb \"" << verb << "\"\n";
    PrintUsage(err);
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<const rules::RuleLibrary>> library =
      flags->Has("rules") ? rules::RuleLibrary::LoadDirectory(flags->Get("rules"))
                          : rules::RuleLibrary::LoadBundled();
  if (!library.ok()) {
    err << library.status().message() << "\n";
    return kExitFatal;
  }
  if (verb == "lint") {
    out << "ok: " << (*library)->rules().size() << " rules in " << (*library)->version() << "\n";
    return kExitOk;
  }
  if (verb == "list") return List(**library, out);
  return Test(**library, out, err);
}

}  // namespace cdiscan::tools
