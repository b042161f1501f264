// Process exit codes of every cdiscan subcommand, so schedulers can tell outcomes apart.
#ifndef CDISCAN_TOOLS_EXIT_CODES_H_
#define CDISCAN_TOOLS_EXIT_CODES_H_

namespace cdiscan::tools {

inline constexpr int kExitOk = 0;        // everything read, nothing rejected
inline constexpr int kExitFatal = 1;     // the run could not complete (I/O, bad rules)
inline constexpr int kExitUsage = 2;     // bad command line
inline constexpr int kExitPartial = 3;   // completed, but some input records were rejected

}  // namespace cdiscan::tools

#endif  // CDISCAN_TOOLS_EXIT_CODES_H_
