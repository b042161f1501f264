#include "io/json_record.h"

#include <string>

#include "gtest/gtest.h"
#include "proto/note.pb.h"

namespace cdiscan::io {
namespace {

TEST(JsonRecordParserTest, ReadsANote) {
  JsonRecordParser parser;
  Note note;
  ASSERT_TRUE(parser
                  .Parse(R"({"note_id":"n1","patient_id":"p","encounter_id":"e",)"
                         R"("author_role":"PHYSICIAN","authored_at":"2024-03-02T06:10:00Z",)"
                         R"("text":"Na 126\nplan: \"fluid restriction\"","extra_column":[1,2]})",
                         &note)
                  .ok());
  EXPECT_EQ(note.note_id(), "n1");
  EXPECT_EQ(note.author_role(), PHYSICIAN);
  EXPECT_EQ(note.text(), "Na 126\nplan: \"fluid restriction\"");
}

TEST(JsonRecordParserTest, AcceptsCamelCaseAndNumericStrings) {
  JsonRecordParser parser;
  Encounter encounter;
  ASSERT_TRUE(parser.Parse(R"({"encounterId":"e1","age":"71","patient_class":"INPATIENT"})",
                           &encounter).ok());
  EXPECT_EQ(encounter.encounter_id(), "e1");
  EXPECT_EQ(encounter.age(), 71);
  EXPECT_EQ(encounter.patient_class(), INPATIENT);
}

TEST(JsonRecordParserTest, NullAndEmptyEnumMeanUnset) {
  JsonRecordParser parser;
  Note note;
  ASSERT_TRUE(parser.Parse(R"({"note_id":null,"author_role":""})", &note).ok());
  EXPECT_EQ(note.author_role(), AUTHOR_ROLE_UNSPECIFIED);
}

struct BadRecord {
  std::string json;
  std::string message;
};

class BadRecordTest : public testing::TestWithParam<BadRecord> {};

TEST_P(BadRecordTest, NamesTheProblem) {
  JsonRecordParser parser;
  Note note;
  absl::Status status = parser.Parse(GetParam().json, &note);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find(GetParam().message), std::string::npos) << status.message();
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadRecordTest,
    testing::Values(
        BadRecord{R"({"note_id":"n1",)", "malformed JSON"},
        BadRecord{R"(not json)", "malformed JSON"},
        BadRecord{R"(["an","array"])", "malformed JSON"},
        BadRecord{R"({"note_id":"n1"} trailing)", "malformed JSON"},
        BadRecord{R"({"author_role":"SURGEON"})",
                  "field 'author_role': unknown value \"SURGEON\"; expected one of PHYSICIAN"},
        BadRecord{R"({"note_id":42})", "field 'note_id': expected a string, got a number"},
        BadRecord{R"({"note_id":{"a":1}})", "field 'note_id': expected a string, got an object"},
        BadRecord{"{\"text\":\"bad \xff\xfe bytes\"}", "invalid UTF-8"}));

TEST(JsonRecordParserTest, WholeNumbersOnlyForIntegers) {
  JsonRecordParser parser;
  Encounter encounter;
  absl::Status status = parser.Parse(R"({"age":71.5})", &encounter);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("field 'age'"), std::string::npos);
}

TEST(JsonRecordParserTest, ReusableAfterAnError) {
  JsonRecordParser parser;
  Note note;
  EXPECT_FALSE(parser.Parse("{", &note).ok());
  EXPECT_TRUE(parser.Parse(R"({"note_id":"ok"})", &note).ok());
  EXPECT_EQ(note.note_id(), "ok");
}

}  // namespace
}  // namespace cdiscan::io
