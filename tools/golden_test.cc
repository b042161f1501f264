// Golden end-to-end test over testdata/sample: the findings must match
// testdata/sample/findings.golden.jsonl byte for byte, and every evidence span must slice the
// original note text exactly. Regenerate the golden (after checking the diff!) with
//   tools/regenerate_goldens.sh
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "base/test_files.h"
#include "gtest/gtest.h"
#include "io/json_record.h"
#include "proto/finding.pb.h"
#include "proto/note.pb.h"
#include "tools/exit_codes.h"
#include "tools/scan_command.h"

namespace cdiscan::tools {
namespace {

using ::cdiscan::test::ReadFile;

constexpr char kNotes[] = "testdata/sample/notes.jsonl";
constexpr char kEncounters[] = "testdata/sample/encounters.jsonl";
constexpr char kGolden[] = "testdata/sample/findings.golden.jsonl";

TEST(GoldenTest, SampleExtractMatchesGolden) {
  std::ostringstream out, err;
  ASSERT_EQ(RunScanCommand({std::string("--notes=") + kNotes,
                            std::string("--encounters=") + kEncounters, "--quiet"},
                           out, err),
            kExitOk)
      << err.str();
  EXPECT_EQ(out.str(), ReadFile(kGolden))
      << "findings changed; if intended, run tools/regenerate_goldens.sh and review the diff";
}

TEST(GoldenTest, EvidenceOffsetsSliceTheOriginalText) {
  std::map<std::string, std::string> text_by_note;
  io::JsonRecordParser parser;
  for (absl::string_view line : absl::StrSplit(ReadFile(kNotes), '\n', absl::SkipEmpty())) {
    Note note;
    ASSERT_TRUE(parser.Parse(line, &note).ok());
    text_by_note[note.note_id()] = note.text();
  }
  std::ostringstream out, err;
  ASSERT_EQ(RunScanCommand({std::string("--notes=") + kNotes, "--quiet"}, out, err), kExitOk);
  int checked = 0;
  for (absl::string_view line : absl::StrSplit(out.str(), '\n', absl::SkipEmpty())) {
    Finding finding;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &finding).ok());
    for (const Evidence& evidence : finding.evidence()) {
      if (evidence.note_id().empty()) continue;
      const std::string& text = text_by_note.at(evidence.note_id());
      ASSERT_LE(evidence.end(), text.size());
      EXPECT_EQ(text.substr(evidence.begin(), evidence.end() - evidence.begin()), evidence.text());
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace cdiscan::tools
