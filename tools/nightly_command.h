// `cdiscan nightly`: scan tonight's extract, reconcile with the state store, write the
// worklists and the run report.
#ifndef CDISCAN_TOOLS_NIGHTLY_COMMAND_H_
#define CDISCAN_TOOLS_NIGHTLY_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace cdiscan::tools {

// `args` are the words after "nightly". Messages and the progress line go to `err` (note text
// never does: only ids and counts). Returns an exit code from tools/exit_codes.h.
// `err_is_terminal` selects the live progress line (\r-updated) over quiet logs.
int RunNightlyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                      bool err_is_terminal = false);

}  // namespace cdiscan::tools

#endif  // CDISCAN_TOOLS_NIGHTLY_COMMAND_H_
