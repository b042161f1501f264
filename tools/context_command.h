// `cdiscan context`: ConText assertion evaluation over TSV sentences.
//
// Input lines:  id <TAB> target phrase <TAB> sentence
// Output lines: id <TAB> negation <TAB> temporality <TAB> experiencer
// with negation affirmed|negated|possible, temporality recent|historical|hypothetical and
// experiencer patient|other. The target is found in the sentence case-insensitively (after the
// same normalization the scanner uses), preferring a whole-word occurrence. Blank lines and lines
// starting with '#' are skipped. A line without three fields or whose target is not in its
// sentence is reported on `err` with its line number, gets no output line, and the run goes on.
//
// Example:
//   std::istringstream in("1\tpneumonia\tNo evidence of pneumonia.\n");
//   RunContextCommand(in, std::cout, std::cerr);  // prints "1\tnegated\trecent\tpatient"
//
// Thread safety: independent calls may run concurrently.
#ifndef CDISCAN_TOOLS_CONTEXT_COMMAND_H_
#define CDISCAN_TOOLS_CONTEXT_COMMAND_H_

#include <istream>
#include <ostream>

namespace cdiscan::tools {

// Returns the process exit code: 0 if every record was processed, 1 if some were bad.
int RunContextCommand(std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace cdiscan::tools

#endif  // CDISCAN_TOOLS_CONTEXT_COMMAND_H_
