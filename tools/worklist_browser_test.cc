// End to end in a real browser: a night over the bundled sample, then the concurrent worklist
// opened from disk in headless Chromium (Debian `chromium`). Checks that the page's script
// rendered every encounter row, that an encounter opened through the URL shows its evidence
// highlighted, and takes a screenshot (kept in the test outputs; docs/worklist.png is one).
// Skipped, with a message, where /usr/bin/chromium is not installed.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tools/exit_codes.h"
#include "tools/nightly_command.h"

namespace cdiscan::tools {
namespace {

constexpr char kChromium[] = "/usr/bin/chromium";

std::string Dir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

// Runs `command` through the shell and returns its stdout.
std::string Capture(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

TEST(WorklistBrowserTest, ChromiumRendersTheSampleWorklist) {
  if (access(kChromium, X_OK) != 0) {
    GTEST_SKIP() << kChromium << " is not installed (apt-get install chromium); skipping the "
                 << "browser test";
  }
  const std::string out_dir = Dir() + "/worklists";
  std::ostringstream out, err;
  ASSERT_EQ(RunNightlyCommand({"--extract=testdata/sample/notes.jsonl",
                               "--extract=testdata/sample/encounters.jsonl",
                               "--extract=testdata/fhir/Synthetic.000.ndjson",
                               "--state=" + Dir() + "/cdi.sqlite", "--out=" + out_dir,
                               "--as-of=2026-11-21T06:00:00Z", "--quiet"},
                              out, err),
            kExitOk)
      << err.str();
  const std::string url = absl::StrCat("file://", out_dir, "/concurrent.html#open=ENC-1001");
  const std::string flags = absl::StrCat(
      "HOME=", Dir(), " ", kChromium,
      " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars");
  const std::string dom =
      Capture(absl::StrCat(flags, " --dump-dom '", url, "' 2>/dev/null"));
  ASSERT_FALSE(dom.empty()) << "chromium produced no DOM";
  // The script ran: four encounter rows were built from the embedded data.
  EXPECT_NE(dom.find(R"(data-rendered="4")"), std::string::npos) << dom.substr(0, 2000);
  EXPECT_EQ(Count(dom, R"(<tr class="enc")"), 4u);
  // ENC-1001 is open: its six pieces of evidence are highlighted in their note lines, with
  // the draft query ready to copy.
  EXPECT_NE(dom.find("<mark>Na 126 (L)</mark>, K 4.1"), std::string::npos);
  EXPECT_EQ(Count(dom, "<mark>"), 6u);
  EXPECT_NE(dom.find("Copy query"), std::string::npos);
  EXPECT_NE(dom.find("Run report — night 2026-11-21"), std::string::npos);

  const char* outputs = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  const std::string shot = absl::StrCat(outputs != nullptr ? outputs : Dir(), "/worklist.png");
  Capture(absl::StrCat(flags, " --window-size=1400,1250 --screenshot=", shot, " '", url,
                       "' 2>/dev/null"));
  std::ifstream png(shot, std::ios::binary);
  char magic[8] = {};
  png.read(magic, 8);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG") << "no screenshot at " << shot;
}

}  // namespace
}  // namespace cdiscan::tools
