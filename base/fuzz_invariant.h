// CHECK_INVARIANT for fuzz targets: aborts with the failed condition, so a crash report says
// which invariant broke. Header-only, so Bazel-free fuzzer builds (nlp/run_fuzzer.sh) can use
// it with -I. alone.
#ifndef CDISCAN_BASE_FUZZ_INVARIANT_H_
#define CDISCAN_BASE_FUZZ_INVARIANT_H_

#include <cstdio>
#include <cstdlib>

#define CHECK_INVARIANT(cond)                                                     \
  do {                                                                            \
    if (!(cond)) {                                                                \
      std::fprintf(stderr, "invariant failed at line %d: %s\n", __LINE__, #cond); \
      std::abort();                                                               \
    }                                                                             \
  } while (0)

#endif  // CDISCAN_BASE_FUZZ_INVARIANT_H_
