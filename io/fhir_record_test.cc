#include "io/fhir_record.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace cdiscan::io {
namespace {

std::string DocumentReference(const std::string& content_type, const std::string& text,
                              const std::string& type_display = "Progress note",
                              const std::string& author = "Dr. A Smith") {
  return absl::StrCat(
      R"({"resourceType":"DocumentReference","id":"doc-1","subject":{"reference":"Patient/p-1"},)",
      R"("date":"2026-11-18T09:12:00.123-05:00","type":{"coding":[{"system":"http://loinc.org","code":"11506-3","display":")",
      type_display, R"("}]},"author":[{"reference":"Practitioner/9","display":")", author,
      R"("}],"content":[{"attachment":{"contentType":")", content_type, R"(","data":")",
      absl::Base64Escape(text),
      R"("}}],"context":{"encounter":[{"reference":"Encounter/e-1"}]}})");
}

TEST(FhirDecoderTest, DocumentReferenceWithPlainText) {
  FhirDecoder decoder;
  Note note;
  ASSERT_TRUE(decoder
                  .DecodeDocumentReference(
                      DocumentReference("text/plain; charset=utf-8", "LABS:\nNa 126 (L)\n"), &note)
                  .ok());
  EXPECT_EQ(note.note_id(), "doc-1");
  EXPECT_EQ(note.patient_id(), "p-1");
  EXPECT_EQ(note.encounter_id(), "e-1");
  EXPECT_EQ(note.note_type(), "Progress note");
  EXPECT_EQ(note.authored_at(), "2026-11-18T09:12:00.123-05:00");
  EXPECT_EQ(note.author_role(), PHYSICIAN);
  EXPECT_EQ(note.text(), "LABS:\nNa 126 (L)\n");
  auto type = decoder.ResourceType(DocumentReference("text/plain", "x"));
  ASSERT_TRUE(type.ok());
  EXPECT_EQ(*type, "DocumentReference");
}

TEST(FhirDecoderTest, AuthorRoleInference) {
  struct Case {
    std::string type_display, author;
    AuthorRole role;
  };
  const std::vector<Case> cases = {
      {"Nursing note", "Dr. X", NURSE},
      {"Nurse practitioner Progress note", "Y", NURSE_PRACTITIONER},
      {"Nutrition note", "Z", DIETITIAN},
      {"Physical therapy note", "Z", THERAPIST},
      {"Progress note", "Dr. Q", PHYSICIAN},
      {"Progress note", "Q Jones", AUTHOR_ROLE_UNSPECIFIED},
  };
  FhirDecoder decoder;
  for (const Case& c : cases) {
    Note note;
    ASSERT_TRUE(decoder
                    .DecodeDocumentReference(
                        DocumentReference("text/plain", "x", c.type_display, c.author), &note)
                    .ok());
    EXPECT_EQ(note.author_role(), c.role) << c.type_display << " / " << c.author;
  }
}

TEST(FhirDecoderTest, HtmlAttachmentBecomesText) {
  FhirDecoder decoder;
  Note note;
  ASSERT_TRUE(decoder
                  .DecodeDocumentReference(
                      DocumentReference("text/html",
                                        "<html><style>p{}</style><p>Na &lt; 130</p><p>A&amp;P: "
                                        "low&nbsp;sodium<br>done &#233;</p></html>"),
                      &note)
                  .ok());
  EXPECT_EQ(note.text(), "Na < 130\nA&P: low sodium\ndone \xC3\xA9\n");
}

TEST(FhirDecoderTest, BadDocumentsAreErrorsNamingTheElement) {
  FhirDecoder decoder;
  Note note;
  absl::Status no_text = decoder.DecodeDocumentReference(
      DocumentReference("application/pdf", "%PDF"), &note);
  EXPECT_NE(no_text.message().find("content"), std::string::npos);
  std::string bad_base64 = DocumentReference("text/plain", "x");
  bad_base64.replace(bad_base64.find("\"data\":\"") + 8, 1, "*");
  EXPECT_FALSE(decoder.DecodeDocumentReference(bad_base64, &note).ok());
  EXPECT_FALSE(decoder.DecodeDocumentReference("not json", &note).ok());
  EXPECT_FALSE(decoder.DecodeDocumentReference(
      DocumentReference("text/plain", "\xff\xfe bad utf8"), &note).ok());
}

TEST(FhirDecoderTest, EncounterAndPatient) {
  FhirDecoder decoder;
  Encounter encounter;
  ASSERT_TRUE(decoder
                  .DecodeEncounter(
                      R"({"resourceType":"Encounter","id":"e-1","class":{"code":"IMP"},)"
                      R"("subject":{"reference":"Patient/p-1"},"period":{"start":"2026-11-18T08:00:00Z"},)"
                      R"("serviceProvider":{"display":"General"},"location":[{"location":{"display":"4 West"}}]})",
                      &encounter)
                  .ok());
  EXPECT_EQ(encounter.patient_class(), INPATIENT);
  EXPECT_EQ(encounter.patient_id(), "p-1");
  EXPECT_EQ(encounter.discharge_time(), "");
  EXPECT_EQ(encounter.unit(), "4 West");
  EXPECT_EQ(encounter.facility(), "General");
  EXPECT_FALSE(decoder
                   .DecodeEncounter(R"({"resourceType":"Encounter","id":"e","class":{"code":"XYZ"}})",
                                    &encounter)
                   .ok());
  FhirPatient patient;
  ASSERT_TRUE(decoder
                  .DecodePatient(
                      R"({"resourceType":"Patient","id":"p-1","gender":"female","birthDate":"1948-11-19"})",
                      &patient)
                  .ok());
  EXPECT_EQ(patient.sex, "female");
  EXPECT_EQ(AgeAt(patient.birth_date, "2026-11-18T08:00:00Z"), 77);
  EXPECT_EQ(AgeAt(patient.birth_date, "2026-11-19T08:00:00Z"), 78);
  EXPECT_EQ(AgeAt("", "2026-11-19"), 0);
}

TEST(FhirReferenceIdTest, StripsPrefixes) {
  EXPECT_EQ(FhirReferenceId("Patient/123"), "123");
  EXPECT_EQ(FhirReferenceId("urn:uuid:abc"), "abc");
  EXPECT_EQ(FhirReferenceId("xyz"), "xyz");
}

}  // namespace
}  // namespace cdiscan::io
