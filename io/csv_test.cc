#include "io/csv.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "base/test_files.h"
#include "gtest/gtest.h"
#include "io/record_source.h"
#include "proto/note.pb.h"

namespace cdiscan::io {
namespace {

struct SplitCase {
  std::string record;
  std::vector<std::string> fields;
};

TEST(SplitCsvRecordTest, Rfc4180) {
  const std::vector<SplitCase> cases = {
      {"a,b,c", {"a", "b", "c"}},
      {"", {""}},
      {"a,,c,", {"a", "", "c", ""}},
      {"\"a,b\",c", {"a,b", "c"}},
      {"\"say \"\"hi\"\"\",x", {"say \"hi\"", "x"}},
      {"\"line1\nline2\",z", {"line1\nline2", "z"}},
      {"\"\",\"\"", {"", ""}},
  };
  for (const SplitCase& c : cases) {
    std::vector<std::string> fields;
    ASSERT_TRUE(SplitCsvRecord(c.record, &fields).ok()) << c.record;
    EXPECT_EQ(fields, c.fields) << c.record;
  }
}

TEST(SplitCsvRecordTest, MalformedRecordsAreErrors) {
  for (const char* bad : {"\"open", "\"a\"b,c", "a\"b,c"}) {
    std::vector<std::string> fields;
    EXPECT_FALSE(SplitCsvRecord(bad, &fields).ok()) << bad;
  }
}

TEST(CsvEscapeTest, RoundTripsThroughSplit) {
  const std::vector<std::string> fields = {"plain", "with,comma", "quote\"inside",
                                           "multi\nline\ntext", " padded ", ""};
  std::vector<std::string> back;
  ASSERT_TRUE(SplitCsvRecord(CsvLine(fields), &back).ok());
  EXPECT_EQ(back, fields);
  EXPECT_EQ(CsvEscape("plain"), "plain");
  EXPECT_EQ(CsvEscape("a\"b"), "\"a\"\"b\"");
}

TEST(CsvRecordReaderTest, RecordsSpanLinesAndKeepTheirFirstLineNumber) {
  const std::string path =
      test::WriteTempFile("spans.csv", "id,text\n1,\"first\nsecond\n\"\"third\"\"\"\n2,single\n");
  auto lines = LineReader::Open(path);
  ASSERT_TRUE(lines.ok());
  CsvRecordReader reader(lines->get());
  std::string record;
  std::vector<std::pair<uint64_t, std::string>> got;
  while (reader.Next(&record)) got.emplace_back(reader.line_number(), record);
  ASSERT_TRUE(reader.status().ok());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[1].first, 2u);
  EXPECT_EQ(got[1].second, "1,\"first\nsecond\n\"\"third\"\"\"");
  EXPECT_EQ(got[2].first, 5u);
}

TEST(CsvRecordReaderTest, UnclosedQuoteAtEndIsAnError) {
  const std::string path = test::WriteTempFile("open.csv", "id,text\n1,\"never closed\nmore\n");
  auto lines = LineReader::Open(path);
  ASSERT_TRUE(lines.ok());
  CsvRecordReader reader(lines->get());
  std::string record;
  while (reader.Next(&record)) {
  }
  EXPECT_FALSE(reader.status().ok());
}

TEST(CsvMessageDecoderTest, MapsSiteColumnsAndEnums) {
  auto columns = ParseCsvColumns("note_id=DOC_ID, text=NOTE_TEXT,author_role=Role");
  ASSERT_TRUE(columns.ok());
  auto decoder = CsvMessageDecoder::Create(
      Note::descriptor(), {"DOC_ID", "patient_id", "encounter_id", "Role", "NOTE_TEXT", "extra"},
      *columns);
  ASSERT_TRUE(decoder.ok()) << decoder.status();
  EXPECT_TRUE(decoder->HasField("text"));
  Note note;
  ASSERT_TRUE(decoder->Decode({"N1", "P1", "E1", "physician", "Na 126", "ignored"}, &note).ok());
  EXPECT_EQ(note.note_id(), "N1");
  EXPECT_EQ(note.author_role(), PHYSICIAN);
  EXPECT_EQ(note.text(), "Na 126");

  absl::Status bad_role = decoder->Decode({"N1", "P1", "E1", "SURGEON", "x", ""}, &note);
  EXPECT_NE(bad_role.message().find("author_role"), std::string::npos);
  EXPECT_FALSE(decoder->Decode({"N1", "P1"}, &note).ok());  // wrong field count
  EXPECT_FALSE(decoder->Decode({"N1", "P1", "E1", "", "\xff\xfe", ""}, &note).ok());
}

TEST(CsvMessageDecoderTest, MappingToAnUnknownFieldIsAnError) {
  auto columns = ParseCsvColumns("notefield=X");
  ASSERT_TRUE(columns.ok());
  EXPECT_FALSE(CsvMessageDecoder::Create(Note::descriptor(), {"X"}, *columns).ok());
  EXPECT_FALSE(ParseCsvColumns("no_equals_sign").ok());
}

TEST(RecordSourceTest, RecognisesFormatAndKindFromContent) {
  struct Case {
    std::string content;
    RecordFormat format;
    RecordKind kind;
  };
  const std::vector<Case> cases = {
      {"{\"note_id\":\"a\",\"text\":\"x\"}\n", RecordFormat::kJsonl, RecordKind::kNote},
      {"{\"encounter_id\":\"e\"}\n", RecordFormat::kJsonl, RecordKind::kEncounter},
      {"{\"resourceType\":\"Patient\",\"id\":\"p\"}\n", RecordFormat::kFhirNdjson,
       RecordKind::kAuto},
      {"note_id,patient_id,encounter_id,text\n1,2,3,x\n", RecordFormat::kCsv, RecordKind::kNote},
      {"encounter_id,admit_time\nE,2026-01-01\n", RecordFormat::kCsv, RecordKind::kEncounter},
      {"observation_id,encounter_id,code,value\nO,E,2951-2,126\n", RecordFormat::kCsv,
       RecordKind::kObservation},
      // Not JSON and not a header of known fields: read as (bad) JSONL so it is rejected.
      {"this is not json\n", RecordFormat::kJsonl, RecordKind::kNote},
  };
  int i = 0;
  for (const Case& c : cases) {
    const std::string path = test::WriteTempFile("kind" + std::to_string(i++), c.content);
    auto source = RecordSource::Open(path, RecordKind::kAuto, {});
    ASSERT_TRUE(source.ok()) << source.status();
    EXPECT_EQ((*source)->format(), c.format) << c.content;
    EXPECT_EQ((*source)->kind(), c.kind) << c.content;
    std::string record;
    EXPECT_TRUE((*source)->Next(&record));
  }
}

TEST(RecordSourceTest, DirectoryIsItsSortedRegularFiles) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/dir";
  ASSERT_EQ(std::system(("mkdir -p " + dir + "/sub").c_str()), 0);
  std::ofstream(dir + "/b.ndjson") << "{}\n";
  std::ofstream(dir + "/a.ndjson") << "{}\n";
  std::ofstream(dir + "/.hidden") << "{}\n";
  auto files = ExpandExtractPath(dir);
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(*files, (std::vector<std::string>{dir + "/a.ndjson", dir + "/b.ndjson"}));
  EXPECT_FALSE(ExpandExtractPath(dir + "/missing").ok());
}

}  // namespace
}  // namespace cdiscan::io
