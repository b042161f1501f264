// `cdiscan scan` over the extract formats beside cdiscan JSONL: FHIR R4 Bulk NDJSON (a directory
// of resource files, base64 text/plain and text/html notes, encounters joined to patients) and
// CSV with site column names and notes that span lines.
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "base/test_files.h"
#include "gtest/gtest.h"
#include "io/csv.h"
#include "io/fhir_record.h"
#include "io/json_record.h"
#include "io/line_reader.h"
#include "proto/finding.pb.h"
#include "proto/note.pb.h"
#include "tools/exit_codes.h"
#include "tools/scan_command.h"
#include "tools/scan_command_testing.h"

namespace cdiscan::tools {
namespace {

using ::cdiscan::test::TempPath;

std::vector<Finding> ParseFindings(const std::string& jsonl) {
  std::vector<Finding> findings;
  for (absl::string_view line : absl::StrSplit(jsonl, '\n', absl::SkipEmpty())) {
    Finding finding;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &finding).ok());
    findings.push_back(finding);
  }
  return findings;
}

TEST(FhirBulkTest, SampleDirectoryScansWithZeroRejects) {
  ScanRun run = Scan({"--extract=testdata/fhir", "--threads=2"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  // 53 Synthea notes + 2 synthetic; every encounter record and patient read; the resource types
  // the rules do not use are counted, not rejected.
  EXPECT_NE(run.err.find("notes read 55, scanned 55, rejected 0"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("encounter records 54 (rejected 0)"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("patients 4"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("unused FHIR resources 99"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("other records rejected"), std::string::npos) << run.err;

  // The synthetic stay fires hyponatremia from its HTML note, its nursing note and its
  // structured sodium; offsets point into the decoded (tag-stripped) text.
  std::vector<Finding> findings = ParseFindings(run.out);
  ASSERT_EQ(findings.size(), 1u) << run.out;
  const Finding& finding = findings[0];
  EXPECT_EQ(finding.encounter_id(), "syn-e1");
  EXPECT_EQ(finding.rule_id(), "electrolytes.hyponatremia.missing_dx");
  std::ifstream in("testdata/fhir/Synthetic.000.ndjson");
  std::string line;
  io::FhirDecoder decoder;
  std::map<std::string, std::string> texts;
  while (std::getline(in, line)) {
    Note note;
    if (decoder.DecodeDocumentReference(line, &note).ok()) texts[note.note_id()] = note.text();
  }
  bool saw_observation = false;
  for (const Evidence& evidence : finding.evidence()) {
    if (!evidence.observation_id().empty()) {
      saw_observation = true;
      continue;
    }
    ASSERT_TRUE(texts.count(evidence.note_id())) << evidence.note_id();
    EXPECT_EQ(texts[evidence.note_id()].substr(evidence.begin(), evidence.end() - evidence.begin()),
              evidence.text());
  }
  EXPECT_TRUE(saw_observation);
}

TEST(FhirBulkTest, SameFindingsFromFilesOrDirectoryAndAnyThreadCount) {
  ScanRun dir = Scan({"--extract=testdata/fhir", "--threads=1"});
  ScanRun files = Scan({"--notes=testdata/fhir/DocumentReference.000.ndjson",
                        "--notes=testdata/fhir/Synthetic.000.ndjson",
                        "--encounters=testdata/fhir/Encounter.000.ndjson", "--threads=3"});
  EXPECT_EQ(dir.exit_code, kExitOk);
  EXPECT_EQ(files.exit_code, kExitOk) << files.err;
  EXPECT_EQ(dir.out, files.out);
}

// Compressed FHIR NDJSON (recognised by magic bytes, whatever the name) gives the same findings.
TEST(FhirBulkTest, GzipAndZstdInputs) {
  const std::string plain = "testdata/fhir/Synthetic.000.ndjson";
  const std::string gz = TempPath("synthetic.gz"), zst = TempPath("synthetic.data");
  ASSERT_EQ(std::system(("gzip -c " + plain + " > " + gz).c_str()), 0);
  ASSERT_EQ(std::system(("zstd -q -f -c " + plain + " > " + zst).c_str()), 0);
  ScanRun expected = Scan({"--extract=" + plain});
  ASSERT_EQ(expected.exit_code, kExitOk) << expected.err;
  ASSERT_FALSE(expected.out.empty());
  EXPECT_EQ(Scan({"--extract=" + gz}).out, expected.out);
  EXPECT_EQ(Scan({"--extract=" + zst}).out, expected.out);
}

// The sample notes (which carry "\r\n" and "\n" inside their text) written as CSV with a site's
// column names, then scanned: the findings, offsets included, are byte-identical to JSONL.
TEST(CsvExtractTest, NotesWithEmbeddedNewlinesRoundTrip) {
  absl::StatusOr<std::unique_ptr<io::LineReader>> reader =
      io::LineReader::Open("testdata/sample/notes.jsonl");
  ASSERT_TRUE(reader.ok());
  io::JsonRecordParser parser;
  const std::string csv_path = TempPath("notes.csv");
  {
    std::ofstream csv(csv_path, std::ios::binary);
    csv << io::CsvLine({"DOC_ID", "patient_id", "encounter_id", "note_type", "author_role",
                        "authored_at", "NOTE_TEXT", "site_extra"})
        << "\r\n";
    std::string line;
    int multi_line = 0;
    while ((*reader)->Next(&line)) {
      Note note;
      ASSERT_TRUE(parser.Parse(line, &note).ok());
      multi_line += note.text().find('\n') != std::string::npos;
      csv << io::CsvLine({note.note_id(), note.patient_id(), note.encounter_id(),
                          note.note_type(), AuthorRole_Name(note.author_role()),
                          note.authored_at(), note.text(), "x, \"y\""})
          << "\r\n";
    }
    ASSERT_GT(multi_line, 3);
  }
  ScanRun jsonl = Scan({"--notes=testdata/sample/notes.jsonl",
                        "--encounters=testdata/sample/encounters.jsonl"});
  ScanRun csv = Scan({"--notes=" + csv_path, "--encounters=testdata/sample/encounters.jsonl",
                      "--csv-columns=note_id=DOC_ID,text=NOTE_TEXT"});
  ASSERT_EQ(jsonl.exit_code, kExitOk) << jsonl.err;
  ASSERT_EQ(csv.exit_code, kExitOk) << csv.err;
  EXPECT_FALSE(jsonl.out.empty());
  EXPECT_EQ(csv.out, jsonl.out);
  // Auto-recognised as notes through --extract, too.
  ScanRun extract = Scan({"--extract=" + csv_path, "--extract=testdata/sample/encounters.jsonl",
                          "--csv-columns=note_id=DOC_ID,text=NOTE_TEXT"});
  EXPECT_EQ(extract.out, jsonl.out) << extract.err;
}

TEST(CsvExtractTest, BadRecordsAreRejectedWithTheirFirstLine) {
  const std::string path = TempPath("bad.csv");
  std::ofstream(path, std::ios::binary)
      << "note_id,patient_id,encounter_id,author_role,text\n"
         "n1,p1,e1,PHYSICIAN,\"two\nlines\"\n"
         "n2,p1,e1,SURGEON,text\n"
         "n3,p1,e1\n";
  ScanRun run = Scan({"--notes=" + path});
  EXPECT_EQ(run.exit_code, kExitPartial);
  EXPECT_NE(run.err.find("bad.csv:4: note rejected: field 'author_role'"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("bad.csv:5: note rejected: CSV record has 3 fields"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("notes read 3, scanned 1, rejected 2"), std::string::npos) << run.err;
}

TEST(CsvExtractTest, UnknownMappedFieldIsFatal) {
  const std::string path = TempPath("map.csv");
  std::ofstream(path) << "note_id,patient_id,encounter_id,text\nn,p,e,t\n";
  ScanRun run = Scan({"--notes=" + path, "--csv-columns=nonsense=text"});
  EXPECT_EQ(run.exit_code, kExitFatal) << run.err;
}

}  // namespace
}  // namespace cdiscan::tools
