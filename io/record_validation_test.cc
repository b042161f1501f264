#include "io/record_validation.h"

#include "gtest/gtest.h"

namespace cdiscan::io {
namespace {

Note ValidNote() {
  Note note;
  note.set_note_id("n1");
  note.set_patient_id("p1");
  note.set_encounter_id("e1");
  note.set_text("Na 126");
  return note;
}

TEST(ValidateNoteTest, AcceptsAValidNote) {
  EXPECT_TRUE(ValidateNote(ValidNote(), RecordLimits()).ok());
}

TEST(ValidateNoteTest, NamesTheMissingField) {
  for (const char* field : {"note_id", "patient_id", "encounter_id", "text"}) {
    Note note = ValidNote();
    note.GetReflection()->ClearField(&note, note.GetDescriptor()->FindFieldByName(field));
    absl::Status status = ValidateNote(note, RecordLimits());
    ASSERT_FALSE(status.ok()) << field;
    EXPECT_EQ(status.message(), std::string("field '") + field + "': required but missing");
  }
}

TEST(ValidateNoteTest, RejectsOversizedText) {
  Note note = ValidNote();
  note.set_text(std::string(101, 'x'));
  RecordLimits limits;
  limits.max_note_bytes = 100;
  absl::Status status = ValidateNote(note, limits);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("101 bytes, over the limit of 100"), std::string::npos);
}

TEST(ValidateNoteTest, RejectsUnreadableTime) {
  Note note = ValidNote();
  note.set_authored_at("03/02/2024 6am");
  absl::Status status = ValidateNote(note, RecordLimits());
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("field 'authored_at'"), std::string::npos);
}

TEST(ValidateObservationTest, NeedsEncounterAndCode) {
  Observation observation;
  EXPECT_FALSE(ValidateObservation(observation).ok());
  observation.set_encounter_id("e1");
  EXPECT_FALSE(ValidateObservation(observation).ok());
  observation.set_code("2951-2");
  EXPECT_TRUE(ValidateObservation(observation).ok());
}

}  // namespace
}  // namespace cdiscan::io
