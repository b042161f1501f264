// The bundled rule library, loaded once per process, for the tests, benchmarks and profiles
// that all want the one library the product ships (and the scanner and evaluator built from
// it must share one: RequireSameLibrary).
#ifndef CDISCAN_RULES_BUNDLED_LIBRARY_FOR_TESTS_H_
#define CDISCAN_RULES_BUNDLED_LIBRARY_FOR_TESTS_H_

#include "rules/rule_library.h"

namespace cdiscan::rules {

// Aborts, saying why, if the bundled packs do not load: nothing that uses it could run.
const RuleLibrary& BundledLibraryForTests();

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_BUNDLED_LIBRARY_FOR_TESTS_H_
