#include "engine/note_scanner.h"

#include <cstdio>
#include <utility>

#include "engine/wire_fact_writer.h"

namespace cdiscan::engine {
namespace {

// Enough for the facts of a long, dense note; a bigger one spills into blocks that the next
// reset frees.
constexpr size_t kFirstArenaBlockBytes = 256 << 10;

google::protobuf::ArenaOptions FirstBlockOptions(std::vector<char>* block) {
  google::protobuf::ArenaOptions options;
  options.initial_block = block->data();
  options.initial_block_size = block->size();
  return options;
}

// See NoteScanner::terms_and_treatments_.
std::unique_ptr<const rules::TermMatcher> WithTreatmentGate(
    const rules::TermMatcher& terms, const nlp::TreatmentExtractor& treatments) {
  if (treatments.SearchFragments().empty()) return nullptr;
  absl::StatusOr<std::unique_ptr<rules::TermMatcher>> gated =
      terms.WithGates({rules::Gate{treatments.SearchFragments()}});
  // Exactly one gate, whatever gates `terms` had: Scan reads the first gate's matches.
  if (!gated.ok()) {
    // Slower, not wrong: the treatment extractor then makes its own pass over each note.
    std::fprintf(stderr, "warning: treatments get a pass of their own: %s\n",
                 std::string(gated.status().message()).c_str());
    return nullptr;
  }
  return std::move(gated).value();
}

}  // namespace

NoteScanner::NoteScanner(const rules::RuleLibrary& library, Keep keep)
    : library_(library),
      analyzer_(nlp::NoteAnalyzer::Default()),
      rule_measurements_(keep == Keep::kRuleInputs
                             ? nlp::MeasurementExtractor::ForKeys(library.measurement_keys())
                             : nullptr),
      rule_treatments_(keep == Keep::kRuleInputs
                           ? nlp::TreatmentExtractor::ForKeys(library.treatment_keys())
                           : nullptr),
      measurements_(rule_measurements_ ? *rule_measurements_
                                       : nlp::MeasurementExtractor::Default()),
      treatments_(rule_treatments_ ? *rule_treatments_ : nlp::TreatmentExtractor::Default()),
      terms_and_treatments_(WithTreatmentGate(library.matcher(), treatments_)) {}

NoteScanner::NoteScanner(const rules::RuleLibrary& library,
                         const nlp::MeasurementExtractor& measurements,
                         const nlp::TreatmentExtractor& treatments)
    : library_(library),
      analyzer_(nlp::NoteAnalyzer::Default()),
      measurements_(measurements),
      treatments_(treatments),
      terms_and_treatments_(WithTreatmentGate(library.matcher(), treatments_)) {}

const NoteFacts& NoteScanner::Scan(const Note& note, uint64_t sequence,
                                   Scratch* scratch) const {
  if (scratch->arena == nullptr) {  // the first Scan; ScanPacked needs no arena
    scratch->first_block.resize(kFirstArenaBlockBytes);
    scratch->arena =
        std::make_unique<google::protobuf::Arena>(FirstBlockOptions(&scratch->first_block));
  }
  scratch->arena->Reset();
  NoteFacts* facts = google::protobuf::Arena::CreateMessage<NoteFacts>(scratch->arena.get());
  Scan(note, sequence, scratch, facts);
  return *facts;
}

void NoteScanner::Scan(const Note& note, uint64_t sequence, Scratch* scratch, NoteFacts* out,
                       std::vector<nlp::DroppedMeasurement>* dropped) const {
  out->Clear();
  nlp::SetNoteFields(note, sequence, out);
  nlp::MessageFactWriter writer(out);
  Extract(note, scratch, &writer, dropped);
}

const std::string& NoteScanner::ScanPacked(const Note& note, uint64_t sequence,
                                           Scratch* scratch) const {
  ScanPacked(note, sequence, scratch, &scratch->packed);
  return scratch->packed;
}

void NoteScanner::ScanPacked(const Note& note, uint64_t sequence, Scratch* scratch,
                             std::string* out) const {
  out->clear();
  WireFactWriter writer(out);
  writer.BeginNote(note);
  Extract(note, scratch, &writer, nullptr);
  writer.EndNote(sequence);
}

void NoteScanner::Extract(const Note& note, Scratch* scratch, nlp::FactWriter* out,
                          std::vector<nlp::DroppedMeasurement>* dropped) const {
  analyzer_.Analyze(note.text(), &scratch->analyzed);
  // With the treatment gate, the term pass also finds the treatment candidates.
  const bool gated = terms_and_treatments_ != nullptr;
  const rules::TermMatcher& terms = gated ? *terms_and_treatments_ : library_.matcher();
  terms.Match(note.text(), scratch->analyzed, analyzer_, out, gated ? &scratch->gates : nullptr);
  measurements_.Extract(note.text(), scratch->analyzed, out, dropped);
  if (gated) {
    // The one gate is the treatment search (WithTreatmentGate).
    treatments_.ExtractAt(note.text(), scratch->analyzed, scratch->gates.matches.front(), out);
  } else {
    treatments_.Extract(note.text(), scratch->analyzed, out);
  }
}

}  // namespace cdiscan::engine
