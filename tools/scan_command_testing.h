// For tests of `cdiscan scan`: runs the command in-process and keeps what it wrote.
#ifndef CDISCAN_TOOLS_SCAN_COMMAND_TESTING_H_
#define CDISCAN_TOOLS_SCAN_COMMAND_TESTING_H_

#include <sstream>
#include <string>
#include <vector>

#include "tools/scan_command.h"

namespace cdiscan::tools {

struct ScanRun {
  int exit_code;
  std::string out;
  std::string err;
};

inline ScanRun Scan(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = RunScanCommand(args, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace cdiscan::tools

#endif  // CDISCAN_TOOLS_SCAN_COMMAND_TESTING_H_
