// Where the layers that read a note (rule terms, measurements, treatments) put what they find.
//
// A fact is handed over as a record of views into the note and into immutable tables; the
// writer decides what to make of it:
//   - MessageFactWriter appends protobuf messages (tests, `cdiscan facts`, rule examples);
//   - engine::WireFactWriter appends the same facts in protobuf's wire encoding, which is what
//     the nightly scan keeps (it packs every note's facts as bytes). Building messages only to
//     serialize them cost a fifth of a note's scan: an arena allocation, a cleanup entry and
//     often a malloc per string field, and a copy of every string.
// Both writers must give the same bytes: engine/note_scanner_test checks that
// WireFactWriter's output equals MessageFactWriter's messages serialized.
#ifndef CDISCAN_NLP_FACT_WRITER_H_
#define CDISCAN_NLP_FACT_WRITER_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "nlp/span.h"
#include "proto/facts.pb.h"
#include "proto/note.pb.h"

namespace cdiscan::nlp {

// The fields of a MentionFact (proto/facts.proto); views are valid during the call only.
struct MentionRecord {
  Span span;               // original offsets
  absl::string_view text;  // the original text of `span`
  NoteSection section = SECTION_UNKNOWN;
  uint32_t term_list_id = 0;
  NegationStatus negation = AFFIRMED;
  cdiscan::Temporality temporality = RECENT;  // the facts enums, not nlp/assertion.h's
  cdiscan::Experiencer experiencer = PATIENT;
};

// The fields of a MeasurementFact; empty views are fields left unset.
struct MeasurementRecord {
  Span span;
  absl::string_view text;
  NoteSection section = SECTION_UNKNOWN;
  absl::string_view key;
  double value = 0;
  absl::string_view unit;
  absl::string_view time;
  uint32_t trend_position = 0;
  absl::string_view flag;
  absl::string_view qualifier;
  absl::string_view as_written;
};

// The fields of a TreatmentFact.
struct TreatmentRecord {
  Span span;
  absl::string_view text;
  NoteSection section = SECTION_UNKNOWN;
  absl::string_view key;
  NegationStatus negation = AFFIRMED;
  cdiscan::Temporality temporality = RECENT;
};

class FactWriter {
 public:
  virtual ~FactWriter() = default;
  virtual void AddMention(const MentionRecord& mention) = 0;
  virtual void AddMeasurement(const MeasurementRecord& measurement) = 0;
  virtual void AddTreatment(const TreatmentRecord& treatment) = 0;
};

// Appends messages to the given fields; a kind of fact whose field is null is an error in the
// caller and is ignored.
class MessageFactWriter final : public FactWriter {
 public:
  explicit MessageFactWriter(NoteFacts* facts)
      : mentions_(facts->mutable_mention()),
        measurements_(facts->mutable_measurement()),
        treatments_(facts->mutable_treatment()) {}
  explicit MessageFactWriter(google::protobuf::RepeatedPtrField<MentionFact>* mentions)
      : mentions_(mentions) {}
  explicit MessageFactWriter(google::protobuf::RepeatedPtrField<MeasurementFact>* measurements)
      : measurements_(measurements) {}
  explicit MessageFactWriter(google::protobuf::RepeatedPtrField<TreatmentFact>* treatments)
      : treatments_(treatments) {}

  void AddMention(const MentionRecord& mention) override;
  void AddMeasurement(const MeasurementRecord& measurement) override;
  void AddTreatment(const TreatmentRecord& treatment) override;

 private:
  google::protobuf::RepeatedPtrField<MentionFact>* mentions_ = nullptr;
  google::protobuf::RepeatedPtrField<MeasurementFact>* measurements_ = nullptr;
  google::protobuf::RepeatedPtrField<TreatmentFact>* treatments_ = nullptr;
};

// The fields of `facts` that come from the note itself, and its position `sequence` in the
// extract.
void SetNoteFields(const Note& note, uint64_t sequence, NoteFacts* facts);

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_FACT_WRITER_H_
