// `cdiscan disposition import --state=cdi.sqlite FILE...`: reviewer dispositions into the state.
//
// FILE is CSV with a header or JSONL, with fields finding_id, disposition (QUERIED, AGREED,
// DISAGREED, NOT_CLINICALLY_SIGNIFICANT, DISMISSED), reason (required for DISMISSED), reviewer
// and at (RFC 3339; default now). A dispositioned finding is not listed again until its
// evidence changes. Importing the same file twice changes nothing.
#ifndef CDISCAN_TOOLS_DISPOSITION_COMMAND_H_
#define CDISCAN_TOOLS_DISPOSITION_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace cdiscan::tools {

// `args` are the words after "disposition". Returns an exit code from tools/exit_codes.h:
// 3 when some rows were rejected (unknown finding, bad disposition), the rest imported.
int RunDispositionCommand(const std::vector<std::string>& args, std::ostream& out,
                          std::ostream& err);

}  // namespace cdiscan::tools

#endif  // CDISCAN_TOOLS_DISPOSITION_COMMAND_H_
