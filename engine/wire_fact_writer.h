// Writes a note's facts straight into protobuf's wire encoding of NoteFacts: the bytes
// NoteFacts::SerializeToString would give for the same facts, without building the messages.
// The nightly scan keeps every note's facts packed as bytes, so this is all it needs
// (nlp/fact_writer.h says why it matters).
//
//   WireFactWriter writer(&packed);   // appends to `packed`
//   writer.BeginNote(note);           // the note's own fields
//   ... extractors call writer.AddMention / AddMeasurement / AddTreatment ...
//   writer.EndNote(sequence);
//
// Facts must come in field order: all mentions, then measurements, then treatments (the order
// the note scanner produces them in), which is the order protobuf serializes them in.
#ifndef CDISCAN_ENGINE_WIRE_FACT_WRITER_H_
#define CDISCAN_ENGINE_WIRE_FACT_WRITER_H_

#include <cstdint>
#include <string>

#include "nlp/fact_writer.h"
#include "proto/note.pb.h"

namespace cdiscan::engine {

class WireFactWriter final : public nlp::FactWriter {
 public:
  explicit WireFactWriter(std::string* out) : out_(out) {}

  void BeginNote(const Note& note);
  void EndNote(uint64_t sequence);

  void AddMention(const nlp::MentionRecord& mention) override;
  void AddMeasurement(const nlp::MeasurementRecord& measurement) override;
  void AddTreatment(const nlp::TreatmentRecord& treatment) override;

 private:
  std::string* out_;
};

}  // namespace cdiscan::engine

#endif  // CDISCAN_ENGINE_WIRE_FACT_WRITER_H_
