#include "rules/bundled_library_for_tests.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace cdiscan::rules {

const RuleLibrary& BundledLibraryForTests() {
  static const RuleLibrary* const kLibrary = [] {
    absl::StatusOr<std::unique_ptr<const RuleLibrary>> library = RuleLibrary::LoadBundled();
    if (!library.ok()) {
      std::fprintf(stderr, "bundled rule packs: %s\n", library.status().ToString().c_str());
      std::abort();
    }
    return library->release();
  }();
  return *kLibrary;
}

}  // namespace cdiscan::rules
