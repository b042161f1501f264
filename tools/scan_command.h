// `cdiscan scan`: notes (+ encounters, observations) in, findings out.
#ifndef CDISCAN_TOOLS_SCAN_COMMAND_H_
#define CDISCAN_TOOLS_SCAN_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace cdiscan::tools {

// `args` are the words after "scan". Findings go to --out (default stdout = `out`); messages
// and the run summary go to `err`. Returns an exit code from tools/exit_codes.h.
int RunScanCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace cdiscan::tools

#endif  // CDISCAN_TOOLS_SCAN_COMMAND_H_
