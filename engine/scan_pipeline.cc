#include "engine/scan_pipeline.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "base/clinical_time.h"
#include "io/json_record.h"
#include "io/line_reader.h"
#include "engine/timeline/observation_mapper.h"

namespace cdiscan::engine {

// Per-worker scratch, reused across batches so scanning does not allocate per note.
struct ScanPipeline::WorkerState {
  io::JsonRecordParser parser;
  Note note;
  NoteScanner::Scratch scratch;
};

// Lines of one file scanned together; merged in input order.
struct ScanPipeline::Batch {
  std::string path;
  uint64_t first_sequence = 0;
  std::vector<std::string> lines;
  std::vector<uint64_t> line_numbers;
  // Per line: the facts, or the reason it was rejected.
  std::vector<NoteFacts> facts;
  std::vector<std::string> errors;
  absl::Notification done;
};

ScanPipeline::ScanPipeline(const NoteScanner& scanner, const rules::RuleEvaluator& evaluator,
                           ScanOptions options, RejectLog* rejects)
    : scanner_(scanner), evaluator_(evaluator), options_(options), rejects_(rejects) {
  options_.threads = std::max(1, options_.threads);
  for (int i = 0; i < options_.threads; ++i) workers_.push_back(std::make_unique<WorkerState>());
  if (options_.threads > 1) pool_ = std::make_unique<ThreadPool>(options_.threads);
}

ScanPipeline::~ScanPipeline() = default;

void ScanPipeline::ScanBatch(Batch* batch, int worker) {
  WorkerState& state = *workers_[worker];
  const size_t n = batch->lines.size();
  batch->facts.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (!batch->errors[i].empty()) continue;
    absl::Status status = state.parser.Parse(batch->lines[i], &state.note);
    if (status.ok()) status = io::ValidateNote(state.note, options_.limits);
    if (!status.ok()) {
      batch->errors[i] = std::string(status.message());
      continue;
    }
    scanner_.Scan(state.note, batch->first_sequence + i, &state.scratch, &batch->facts[i]);
    // The note text is not needed any more; only the rejected lines are kept verbatim.
    batch->lines[i].clear();
    batch->lines[i].shrink_to_fit();
  }
  batch->done.Notify();
}

void ScanPipeline::MergeBatch(Batch* batch) {
  for (size_t i = 0; i < batch->lines.size(); ++i) {
    summary_.set_notes_read(summary_.notes_read() + 1);
    if (!batch->errors[i].empty()) {
      summary_.set_notes_rejected(summary_.notes_rejected() + 1);
      rejects_->Reject(batch->path, batch->line_numbers[i], "note", batch->errors[i],
                       batch->lines[i]);
      continue;
    }
    NoteFacts& facts = batch->facts[i];
    if (!note_ids_.insert(facts.note_id()).second) {
      summary_.set_notes_rejected(summary_.notes_rejected() + 1);
      // The line itself was released after scanning; the reject file gets its identity.
      rejects_->Reject(batch->path, batch->line_numbers[i], "note",
                       absl::StrCat("field 'note_id': duplicate \"", facts.note_id(),
                                    "\" (the first occurrence is kept)"),
                       absl::StrCat("{\"note_id\":\"", facts.note_id(), "\",\"encounter_id\":\"",
                                    facts.encounter_id(), "\",\"duplicate\":true}"));
      continue;
    }
    summary_.set_notes_scanned(summary_.notes_scanned() + 1);
    rules::EncounterRecord& record = encounters_[facts.encounter_id()];
    if (record.encounter_id.empty()) {
      record.encounter_id = facts.encounter_id();
      record.patient_id = facts.patient_id();
    }
    record.notes.push_back(std::move(facts));
  }
}

absl::Status ScanPipeline::ScanNotes(const std::string& path) {
  absl::StatusOr<std::unique_ptr<io::LineReader>> opened = io::LineReader::Open(path);
  if (!opened.ok()) return opened.status();
  io::LineReader& reader = **opened;
  // The longest acceptable line: the note limit plus room for the other fields and escaping.
  const size_t max_line = options_.limits.max_note_bytes * 2 + (64 << 10);
  std::deque<std::unique_ptr<Batch>> in_flight;
  const size_t max_in_flight = static_cast<size_t>(options_.threads) * 2;

  auto new_batch = [&] {
    auto batch = std::make_unique<Batch>();
    batch->path = reader.path();
    return batch;
  };
  auto submit = [&](std::unique_ptr<Batch> batch) {
    batch->first_sequence = next_sequence_;
    next_sequence_ += batch->lines.size();
    if (pool_ == nullptr) {
      ScanBatch(batch.get(), 0);
      MergeBatch(batch.get());
      return;
    }
    Batch* raw = batch.get();
    pool_->Schedule([this, raw](int worker) { ScanBatch(raw, worker); });
    in_flight.push_back(std::move(batch));
    while (in_flight.size() > max_in_flight) {
      in_flight.front()->done.WaitForNotification();
      MergeBatch(in_flight.front().get());
      in_flight.pop_front();
    }
  };

  std::unique_ptr<Batch> batch = new_batch();
  std::string line;
  while (reader.Next(&line)) {
    if (absl::StripAsciiWhitespace(line).empty()) continue;  // blank lines are not records
    summary_.set_note_bytes(summary_.note_bytes() + line.size());
    // A line far over the note limit is not worth parsing; it is rejected in input order with
    // the rest of its batch.
    batch->errors.push_back(
        line.size() > max_line
            ? absl::StrCat("line is ", line.size(), " bytes; a note may have at most ",
                           options_.limits.max_note_bytes, " bytes of text (--max_note_bytes)")
            : std::string());
    batch->lines.push_back(std::move(line));
    batch->line_numbers.push_back(reader.line_number());
    line = std::string();
    if (batch->lines.size() >= options_.batch_lines) {
      submit(std::move(batch));
      batch = new_batch();
    }
  }
  if (!batch->lines.empty()) submit(std::move(batch));
  while (!in_flight.empty()) {
    in_flight.front()->done.WaitForNotification();
    MergeBatch(in_flight.front().get());
    in_flight.pop_front();
  }
  return reader.status();
}

absl::Status ScanPipeline::ReadEncounters(const std::string& path) {
  absl::StatusOr<std::unique_ptr<io::LineReader>> opened = io::LineReader::Open(path);
  if (!opened.ok()) return opened.status();
  io::LineReader& reader = **opened;
  io::JsonRecordParser parser;
  Encounter encounter;
  std::string line;
  while (reader.Next(&line)) {
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    summary_.set_encounter_records_read(summary_.encounter_records_read() + 1);
    absl::Status status = parser.Parse(line, &encounter);
    if (status.ok()) status = io::ValidateEncounter(encounter);
    if (status.ok() && !encounter_ids_.insert(encounter.encounter_id()).second) {
      status = absl::InvalidArgumentError(absl::StrCat(
          "field 'encounter_id': duplicate \"", encounter.encounter_id(), "\""));
    }
    if (!status.ok()) {
      summary_.set_encounter_records_rejected(summary_.encounter_records_rejected() + 1);
      rejects_->Reject(reader.path(), reader.line_number(), "encounter", status.message(), line);
      continue;
    }
    rules::EncounterRecord& record = encounters_[encounter.encounter_id()];
    record.encounter_id = encounter.encounter_id();
    if (record.patient_id.empty()) record.patient_id = encounter.patient_id();
    record.encounter = encounter;
  }
  return reader.status();
}

absl::Status ScanPipeline::ReadObservations(const std::string& path) {
  absl::StatusOr<std::unique_ptr<io::LineReader>> opened = io::LineReader::Open(path);
  if (!opened.ok()) return opened.status();
  io::LineReader& reader = **opened;
  std::string line;
  while (reader.Next(&line)) {
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    summary_.set_observations_read(summary_.observations_read() + 1);
    // A line is a cdiscan Observation or a FHIR R4 Observation (a blood-pressure panel gives
    // one observation per component).
    absl::StatusOr<std::vector<Observation>> parsed = timeline::ParseObservationLine(line);
    absl::Status status = parsed.status();
    std::vector<std::pair<std::string, double>> mapped;
    if (status.ok()) {
      for (const Observation& observation : *parsed) {
        status = io::ValidateObservation(observation);
        if (!status.ok()) break;
        absl::StatusOr<timeline::MappedObservation> key = timeline::MapObservation(observation);
        // A code the vocabulary does not know is no rule's business; a known code with a wrong
        // unit or an implausible value is bad data and is rejected.
        if (!key.ok() && !absl::IsNotFound(key.status())) {
          status = absl::InvalidArgumentError(
              absl::StrCat("observation ", observation.code(), ": ", key.status().message()));
          break;
        }
        mapped.emplace_back(key.ok() ? key->key : "", key.ok() ? key->value : 0.0);
      }
    }
    if (!status.ok()) {
      summary_.set_observations_rejected(summary_.observations_rejected() + 1);
      rejects_->Reject(reader.path(), reader.line_number(), "observation", status.message(),
                       line);
      continue;
    }
    for (size_t i = 0; i < parsed->size(); ++i) {
      Observation& observation = (*parsed)[i];
      rules::EncounterRecord& record = encounters_[observation.encounter_id()];
      if (record.encounter_id.empty()) {
        record.encounter_id = observation.encounter_id();
        record.patient_id = observation.patient_id();
      }
      record.observations.push_back(std::move(observation));
      record.observation_keys.push_back(std::move(mapped[i].first));
      record.observation_values.push_back(mapped[i].second);
    }
  }
  return reader.status();
}

namespace {

// Orders notes by time (unknown times first, as they cannot be placed), then extract position.
void SortNotes(std::vector<NoteFacts>* notes) {
  std::vector<std::pair<absl::Time, size_t>> keys(notes->size());
  for (size_t i = 0; i < notes->size(); ++i) {
    std::optional<absl::Time> time = ParseClinicalTime((*notes)[i].authored_at());
    keys[i] = {time.value_or(absl::InfinitePast()), i};
  }
  std::vector<size_t> order(notes->size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (keys[a].first != keys[b].first) return keys[a].first < keys[b].first;
    return (*notes)[a].sequence() < (*notes)[b].sequence();
  });
  std::vector<NoteFacts> sorted;
  sorted.reserve(notes->size());
  for (size_t i : order) sorted.push_back(std::move((*notes)[i]));
  *notes = std::move(sorted);
}

}  // namespace

absl::Status ScanPipeline::Evaluate(const std::function<absl::Status(const Finding&)>& sink) {
  std::vector<Finding> findings;
  for (auto& [id, record] : encounters_) {
    if (record.notes.empty()) continue;
    summary_.set_encounters(summary_.encounters() + 1);
    SortNotes(&record.notes);
    findings.clear();
    evaluator_.Evaluate(record, &findings);
    for (const Finding& finding : findings) {
      summary_.set_findings(summary_.findings() + 1);
      absl::Status status = sink(finding);
      if (!status.ok()) return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace cdiscan::engine
