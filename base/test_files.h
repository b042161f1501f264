// Files for tests: a scratch directory (Bazel's TEST_TMPDIR), writing and reading whole files.
// Test-only (testonly = True in BUILD).
#ifndef CDISCAN_BASE_TEST_FILES_H_
#define CDISCAN_BASE_TEST_FILES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace cdiscan::test {

// $TEST_TMPDIR, or /tmp outside Bazel.
std::string TempDir();
// TempDir()/name.
std::string TempPath(absl::string_view name);
// Writes `bytes` to TempPath(name) and returns that path.
std::string WriteTempFile(absl::string_view name, absl::string_view bytes);
// Writes `bytes` to `path` (binary, truncating).
void WriteFile(const std::string& path, absl::string_view bytes);
// The whole file; empty if it cannot be read.
std::string ReadFile(const std::string& path);

}  // namespace cdiscan::test

#endif  // CDISCAN_BASE_TEST_FILES_H_
