#include "engine/note_scanner.h"

namespace cdiscan::engine {

namespace {

// Removes the elements whose key is not in `keys`, keeping order.
template <typename Fact>
void KeepKeys(const absl::flat_hash_set<std::string>& keys,
              google::protobuf::RepeatedPtrField<Fact>* facts) {
  int kept = 0;
  for (int i = 0; i < facts->size(); ++i) {
    if (!keys.contains(facts->Get(i).key())) continue;
    if (kept != i) facts->SwapElements(kept, i);
    ++kept;
  }
  facts->DeleteSubrange(kept, facts->size() - kept);
}

}  // namespace

NoteScanner::NoteScanner(const rules::RuleLibrary& library, Keep keep,
                         const nlp::NoteAnalyzer& analyzer,
                         const nlp::MeasurementExtractor& measurements,
                         const nlp::TreatmentExtractor& treatments)
    : library_(library),
      keep_(keep),
      analyzer_(analyzer),
      measurements_(measurements),
      treatments_(treatments) {}

void NoteScanner::Scan(const Note& note, uint64_t sequence, Scratch* scratch,
                       NoteFacts* out) const {
  out->Clear();
  out->set_note_id(note.note_id());
  out->set_patient_id(note.patient_id());
  out->set_encounter_id(note.encounter_id());
  out->set_note_type(note.note_type());
  out->set_author_role(note.author_role());
  out->set_authored_at(note.authored_at());
  out->set_sequence(sequence);
  analyzer_.Analyze(note.text(), &scratch->analyzed);
  library_.matcher().Match(note.text(), scratch->analyzed, analyzer_, out->mutable_mention());
  measurements_.Extract(note.text(), scratch->analyzed, out->mutable_measurement());
  treatments_.Extract(note.text(), scratch->analyzed, out->mutable_treatment());
  if (keep_ == Keep::kRuleInputs) {
    KeepKeys(library_.measurement_keys(), out->mutable_measurement());
    KeepKeys(library_.treatment_keys(), out->mutable_treatment());
  }
}

}  // namespace cdiscan::engine
