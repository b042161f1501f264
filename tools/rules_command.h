// `cdiscan rules lint|test|list [--rules=DIR]`: check rule packs, run their examples, list them.
#ifndef CDISCAN_TOOLS_RULES_COMMAND_H_
#define CDISCAN_TOOLS_RULES_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace cdiscan::tools {

int RunRulesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace cdiscan::tools

#endif  // CDISCAN_TOOLS_RULES_COMMAND_H_
