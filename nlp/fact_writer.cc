#include "nlp/fact_writer.h"

#include <string>

namespace cdiscan::nlp {
namespace {

void SetSpan(Span span, absl::string_view text, NoteSection section, TextSpan* out) {
  out->set_begin(span.begin);
  out->set_end(span.end);
  out->set_text(std::string(text));
  out->set_section(section);
}

}  // namespace

void MessageFactWriter::AddMention(const MentionRecord& mention) {
  if (mentions_ == nullptr) return;
  MentionFact* fact = mentions_->Add();
  SetSpan(mention.span, mention.text, mention.section, fact->mutable_span());
  fact->set_term_list_id(mention.term_list_id);
  fact->set_negation(mention.negation);
  fact->set_temporality(mention.temporality);
  fact->set_experiencer(mention.experiencer);
}

void MessageFactWriter::AddMeasurement(const MeasurementRecord& measurement) {
  if (measurements_ == nullptr) return;
  MeasurementFact* fact = measurements_->Add();
  SetSpan(measurement.span, measurement.text, measurement.section, fact->mutable_span());
  fact->set_key(std::string(measurement.key));
  fact->set_value(measurement.value);
  fact->set_unit(std::string(measurement.unit));
  // Optional strings only when present: setting an empty one still allocates it.
  if (!measurement.time.empty()) fact->set_time(std::string(measurement.time));
  fact->set_trend_position(measurement.trend_position);
  if (!measurement.flag.empty()) fact->set_flag(std::string(measurement.flag));
  if (!measurement.qualifier.empty()) fact->set_qualifier(std::string(measurement.qualifier));
  fact->set_as_written(std::string(measurement.as_written));
}

void MessageFactWriter::AddTreatment(const TreatmentRecord& treatment) {
  if (treatments_ == nullptr) return;
  TreatmentFact* fact = treatments_->Add();
  SetSpan(treatment.span, treatment.text, treatment.section, fact->mutable_span());
  fact->set_key(std::string(treatment.key));
  fact->set_negation(treatment.negation);
  fact->set_temporality(treatment.temporality);
}

void SetNoteFields(const Note& note, uint64_t sequence, NoteFacts* facts) {
  facts->set_note_id(note.note_id());
  facts->set_patient_id(note.patient_id());
  facts->set_encounter_id(note.encounter_id());
  facts->set_note_type(note.note_type());
  facts->set_author_role(note.author_role());
  facts->set_authored_at(note.authored_at());
  facts->set_sequence(sequence);
}

}  // namespace cdiscan::nlp
