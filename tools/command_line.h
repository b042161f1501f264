// Subcommand flags: "--name=value", "--name value", and boolean "--name". A flag given twice
// keeps every value (several --notes files). Unknown flags are usage errors (exit 2), so a typo
// never silently changes a nightly run.
#ifndef CDISCAN_TOOLS_COMMAND_LINE_H_
#define CDISCAN_TOOLS_COMMAND_LINE_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cdiscan::tools {

struct FlagSpec {
  std::string name;      // without dashes
  bool takes_value = true;
  std::string help;
};

class CommandLine {
 public:
  static absl::StatusOr<CommandLine> Parse(const std::vector<std::string>& args,
                                           const std::vector<FlagSpec>& specs);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  // The last value given, or `fallback`.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> GetAll(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// "  --name=VALUE   help" lines for --help output.
std::string FlagHelp(const std::vector<FlagSpec>& specs);

}  // namespace cdiscan::tools

#endif  // CDISCAN_TOOLS_COMMAND_LINE_H_
