#include "engine/scan_pipeline.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include <zstd.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "base/clinical_time.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "io/json_record.h"
#include "io/line_reader.h"
#include "engine/timeline/observation_mapper.h"

namespace cdiscan::engine {

// Per-worker scratch, reused across batches so scanning does not allocate per note.
struct ScanPipeline::WorkerState {
  io::JsonRecordParser parser;
  io::FhirDecoder fhir;
  std::vector<std::string> csv_fields;
  Note note;
  NoteScanner::Scratch scratch;
};

namespace {

enum class ItemType : uint8_t { kNote, kEncounter, kObservation, kPatient, kIgnored };

// Observations of a record with, per observation, its measurement key ("" when the code is not
// in the vocabulary) and canonical value.
struct ObservationItem {
  std::vector<Observation> observations;
  std::vector<std::pair<std::string, double>> mapped;
};

absl::Status MapObservations(ObservationItem* item) {
  for (const Observation& observation : item->observations) {
    if (absl::Status s = io::ValidateObservation(observation); !s.ok()) return s;
    absl::StatusOr<timeline::MappedObservation> key = timeline::MapObservation(observation);
    // A code the vocabulary does not know is no rule's business; a known code with a wrong
    // unit or an implausible value is bad data and is rejected.
    if (!key.ok() && !absl::IsNotFound(key.status())) {
      return absl::InvalidArgumentError(
          absl::StrCat("observation ", observation.code(), ": ", key.status().message()));
    }
    item->mapped.emplace_back(key.ok() ? key->key : "", key.ok() ? key->value : 0.0);
  }
  return absl::OkStatus();
}

}  // namespace

// Records of one file decoded (and notes scanned) together; merged in input order.
struct ScanPipeline::Batch {
  std::string path;
  io::RecordFormat format = io::RecordFormat::kJsonl;
  io::RecordKind kind = io::RecordKind::kNote;
  const io::CsvMessageDecoder* csv = nullptr;
  uint64_t first_sequence = 0;
  uint64_t file_bytes = 0;  // bytes of the file read when the batch was cut
  std::vector<std::string> lines;
  std::vector<uint64_t> line_numbers;
  // Per record: what it turned out to be and its decoded form, or the reason it was rejected.
  std::vector<ItemType> types;
  std::vector<std::string> reject_kinds;
  // Per note, what the merge needs of its facts; the facts themselves are serialized by the
  // worker (see packed_notes_).
  struct NoteIds {
    std::string note_id;
    std::string encounter_id;
    std::string patient_id;
  };
  std::vector<NoteIds> note_ids;
  std::vector<std::string> packed;
  std::vector<std::unique_ptr<Encounter>> encounters;
  std::vector<std::unique_ptr<ObservationItem>> observations;
  std::vector<std::unique_ptr<io::FhirPatient>> patients;
  std::vector<std::string> errors;
  absl::Notification done;
};

void RequireSameLibrary(const NoteScanner& scanner, const rules::RuleEvaluator& evaluator,
                        const char* where) {
  if (&scanner.library() == &evaluator.library()) return;
  std::fprintf(stderr, "%s: the note scanner and the rule evaluator use different rule "
               "libraries\n", where);
  std::abort();
}

ScanPipeline::ScanPipeline(const NoteScanner& scanner, const rules::RuleEvaluator& evaluator,
                           ScanOptions options, RejectLog* rejects)
    : scanner_(scanner), evaluator_(evaluator), options_(options), rejects_(rejects) {
  RequireSameLibrary(scanner, evaluator, "ScanPipeline");
  options_.threads = std::max(1, options_.threads);
  for (int i = 0; i < options_.threads; ++i) workers_.push_back(std::make_unique<WorkerState>());
  if (options_.threads > 1) pool_ = std::make_unique<ThreadPool>(options_.threads);
}

ScanPipeline::~ScanPipeline() = default;

namespace {

// Decodes one record into a Note, whatever the format. `type` is set for FHIR resources.
absl::Status DecodeNoteRecord(io::RecordFormat format, const io::CsvMessageDecoder* csv,
                              absl::string_view raw, io::JsonRecordParser* parser,
                              io::FhirDecoder* fhir, std::vector<std::string>* fields,
                              Note* note) {
  switch (format) {
    case io::RecordFormat::kJsonl:
      return parser->Parse(raw, note);
    case io::RecordFormat::kCsv:
      if (absl::Status s = io::SplitCsvRecord(raw, fields); !s.ok()) return s;
      return csv->Decode(*fields, note);
    case io::RecordFormat::kFhirNdjson:
      return fhir->DecodeDocumentReference(raw, note);
  }
  return absl::InternalError("unknown format");
}

}  // namespace

void ScanPipeline::ScanBatch(Batch* batch, int worker) {
  WorkerState& state = *workers_[worker];
  const size_t n = batch->lines.size();
  batch->types.assign(n, ItemType::kNote);
  batch->reject_kinds.assign(n, std::string(io::RecordKindName(batch->kind)));
  batch->note_ids.resize(n);
  batch->packed.resize(n);
  batch->encounters.resize(n);
  batch->observations.resize(n);
  batch->patients.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const std::string& raw = batch->lines[i];
    io::RecordKind kind = batch->kind;
    absl::Status status;
    if (batch->format == io::RecordFormat::kFhirNdjson) {
      absl::StatusOr<std::string> type = state.fhir.ResourceType(raw);
      if (!type.ok()) {
        batch->reject_kinds[i] = "FHIR resource";
        if (batch->errors[i].empty()) batch->errors[i] = std::string(type.status().message());
        continue;
      }
      if (*type == "DocumentReference") {
        kind = io::RecordKind::kNote;
      } else if (*type == "Encounter") {
        kind = io::RecordKind::kEncounter;
      } else if (*type == "Observation") {
        kind = io::RecordKind::kObservation;
      } else if (*type == "Patient") {
        batch->types[i] = ItemType::kPatient;
        batch->reject_kinds[i] = "patient";
        if (!batch->errors[i].empty()) continue;
        batch->patients[i] = std::make_unique<io::FhirPatient>();
        status = state.fhir.DecodePatient(raw, batch->patients[i].get());
        if (!status.ok()) batch->errors[i] = std::string(status.message());
        continue;
      } else {
        // Condition, Procedure, MedicationRequest...: not used by the rules yet.
        batch->types[i] = ItemType::kIgnored;
        batch->reject_kinds[i] = *type;
        continue;
      }
      batch->reject_kinds[i] = std::string(io::RecordKindName(kind));
    }
    if (!batch->errors[i].empty()) {
      if (kind != io::RecordKind::kNote) {
        batch->types[i] = kind == io::RecordKind::kEncounter ? ItemType::kEncounter
                                                             : ItemType::kObservation;
      }
      continue;
    }
    switch (kind) {
      case io::RecordKind::kEncounter: {
        batch->types[i] = ItemType::kEncounter;
        auto encounter = std::make_unique<Encounter>();
        if (batch->format == io::RecordFormat::kJsonl) {
          status = state.parser.Parse(raw, encounter.get());
        } else if (batch->format == io::RecordFormat::kCsv) {
          status = io::SplitCsvRecord(raw, &state.csv_fields);
          if (status.ok()) status = batch->csv->Decode(state.csv_fields, encounter.get());
        } else {
          status = state.fhir.DecodeEncounter(raw, encounter.get());
        }
        if (status.ok()) status = io::ValidateEncounter(*encounter);
        if (status.ok()) batch->encounters[i] = std::move(encounter);
        break;
      }
      case io::RecordKind::kObservation: {
        batch->types[i] = ItemType::kObservation;
        auto item = std::make_unique<ObservationItem>();
        if (batch->format == io::RecordFormat::kCsv) {
          Observation observation;
          status = io::SplitCsvRecord(raw, &state.csv_fields);
          if (status.ok()) status = batch->csv->Decode(state.csv_fields, &observation);
          if (status.ok()) item->observations.push_back(std::move(observation));
        } else {
          // A line is a cdiscan Observation or a FHIR R4 Observation (a blood-pressure panel
          // gives one observation per component).
          absl::StatusOr<std::vector<Observation>> parsed = timeline::ParseObservationLine(raw);
          status = parsed.status();
          if (status.ok()) item->observations = std::move(*parsed);
        }
        if (status.ok()) status = MapObservations(item.get());
        if (status.ok()) batch->observations[i] = std::move(item);
        break;
      }
      case io::RecordKind::kNote:
      case io::RecordKind::kAuto: {
        status = DecodeNoteRecord(batch->format, batch->csv, raw, &state.parser, &state.fhir,
                                  &state.csv_fields, &state.note);
        if (status.ok()) status = io::ValidateNote(state.note, options_.limits);
        if (status.ok()) {
          // Packed straight from the scan: no messages are built only to be serialized.
          scanner_.ScanPacked(state.note, batch->first_sequence + i, &state.scratch,
                              &batch->packed[i]);
          batch->note_ids[i] = {state.note.note_id(), state.note.encounter_id(),
                                state.note.patient_id()};
        }
        break;
      }
    }
    if (!status.ok()) {
      batch->errors[i] = std::string(status.message());
      continue;
    }
    // The record is decoded; only rejected records are kept verbatim.
    batch->lines[i].clear();
    batch->lines[i].shrink_to_fit();
  }
  batch->done.Notify();
}

void ScanPipeline::MergeEncounter(Batch* batch, size_t i) {
  summary_.set_encounter_records_read(summary_.encounter_records_read() + 1);
  std::string error = batch->errors[i];
  if (error.empty() && !encounter_ids_.insert(batch->encounters[i]->encounter_id()).second) {
    error = absl::StrCat("field 'encounter_id': duplicate \"",
                         batch->encounters[i]->encounter_id(), "\"");
  }
  if (!error.empty()) {
    summary_.set_encounter_records_rejected(summary_.encounter_records_rejected() + 1);
    rejects_->Reject(batch->path, batch->line_numbers[i], batch->reject_kinds[i], error,
                     batch->lines[i]);
    return;
  }
  Encounter& encounter = *batch->encounters[i];
  rules::EncounterRecord& record = encounters_[encounter.encounter_id()];
  record.encounter_id = encounter.encounter_id();
  if (record.patient_id.empty()) record.patient_id = encounter.patient_id();
  record.encounter = std::move(encounter);
}

void ScanPipeline::MergeObservations(Batch* batch, size_t i) {
  summary_.set_observations_read(summary_.observations_read() + 1);
  if (!batch->errors[i].empty()) {
    summary_.set_observations_rejected(summary_.observations_rejected() + 1);
    rejects_->Reject(batch->path, batch->line_numbers[i], batch->reject_kinds[i],
                     batch->errors[i], batch->lines[i]);
    return;
  }
  ObservationItem& item = *batch->observations[i];
  for (size_t k = 0; k < item.observations.size(); ++k) {
    Observation& observation = item.observations[k];
    rules::EncounterRecord& record = encounters_[observation.encounter_id()];
    if (record.encounter_id.empty()) {
      record.encounter_id = observation.encounter_id();
      record.patient_id = observation.patient_id();
    }
    record.observations.push_back(std::move(observation));
    record.observation_keys.push_back(std::move(item.mapped[k].first));
    record.observation_values.push_back(item.mapped[k].second);
  }
}

void ScanPipeline::MergeBatch(Batch* batch) {
  for (size_t i = 0; i < batch->lines.size(); ++i) {
    switch (batch->types[i]) {
      case ItemType::kEncounter:
        MergeEncounter(batch, i);
        continue;
      case ItemType::kObservation:
        MergeObservations(batch, i);
        continue;
      case ItemType::kIgnored:
        summary_.set_records_ignored(summary_.records_ignored() + 1);
        continue;
      case ItemType::kPatient:
        if (!batch->errors[i].empty()) {
          summary_.set_other_records_rejected(summary_.other_records_rejected() + 1);
          rejects_->Reject(batch->path, batch->line_numbers[i], batch->reject_kinds[i],
                           batch->errors[i], batch->lines[i]);
        } else {
          summary_.set_patients_read(summary_.patients_read() + 1);
          patients_[batch->patients[i]->patient_id] = std::move(*batch->patients[i]);
        }
        continue;
      case ItemType::kNote:
        break;
    }
    if (batch->reject_kinds[i] == "FHIR resource") {
      summary_.set_other_records_rejected(summary_.other_records_rejected() + 1);
      rejects_->Reject(batch->path, batch->line_numbers[i], batch->reject_kinds[i],
                       batch->errors[i], batch->lines[i]);
      continue;
    }
    summary_.set_notes_read(summary_.notes_read() + 1);
    if (!batch->errors[i].empty()) {
      summary_.set_notes_rejected(summary_.notes_rejected() + 1);
      rejects_->Reject(batch->path, batch->line_numbers[i], "note", batch->errors[i],
                       batch->lines[i]);
      continue;
    }
    const Batch::NoteIds& ids = batch->note_ids[i];
    if (!note_ids_.Insert(ids.note_id)) {
      summary_.set_notes_rejected(summary_.notes_rejected() + 1);
      // The line itself was released after scanning; the reject file gets its identity.
      rejects_->Reject(batch->path, batch->line_numbers[i], "note",
                       absl::StrCat("field 'note_id': duplicate \"", ids.note_id,
                                    "\" (the first occurrence is kept)"),
                       absl::StrCat("{\"note_id\":\"", ids.note_id, "\",\"encounter_id\":\"",
                                    ids.encounter_id, "\",\"duplicate\":true}"));
      continue;
    }
    summary_.set_notes_scanned(summary_.notes_scanned() + 1);
    rules::EncounterRecord& record = encounters_[ids.encounter_id];
    if (record.encounter_id.empty()) {
      record.encounter_id = ids.encounter_id;
      record.patient_id = ids.patient_id;
    }
    // Kept serialized, length-prefixed, one string per encounter: a parsed NoteFacts costs
    // several times its wire size in allocations, and it is only needed again when its
    // encounter is evaluated.
    PackedNotes& packed = packed_notes_[ids.encounter_id];
    const std::string& bytes = batch->packed[i];
    {
      google::protobuf::io::StringOutputStream stream(&packed.pending);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.WriteVarint32(static_cast<uint32_t>(bytes.size()));
      coded.WriteRaw(bytes.data(), static_cast<int>(bytes.size()));
    }
    CountPending(&packed);
    // Facts repeat keys, units, term texts and ids, so zstd shrinks them. Small chunks keep
    // the uncompressed tail of each open encounter small, and the budget keeps them all so.
    if (packed.pending.size() >= kPackChunkBytes) Seal(&packed);
    if (pending_bytes_ > options_.max_pending_bytes) SealLargestPending();
  }
  if (options_.progress) options_.progress(batch->file_bytes, summary_.notes_read());
}

absl::Status ScanPipeline::ScanNotes(const std::string& path) {
  return ReadFile(path, io::RecordKind::kNote);
}
absl::Status ScanPipeline::ReadEncounters(const std::string& path) {
  return ReadFile(path, io::RecordKind::kEncounter);
}
absl::Status ScanPipeline::ReadObservations(const std::string& path) {
  return ReadFile(path, io::RecordKind::kObservation);
}
absl::Status ScanPipeline::ReadExtract(const std::string& path) {
  return ReadFile(path, io::RecordKind::kAuto);
}

absl::Status ScanPipeline::ReadFile(const std::string& path, io::RecordKind kind) {
  absl::StatusOr<std::vector<std::string>> files = io::ExpandExtractPath(path);
  if (!files.ok()) return files.status();
  for (const std::string& file : *files) {
    absl::StatusOr<std::unique_ptr<io::RecordSource>> opened =
        io::RecordSource::Open(file, kind, options_.csv_columns);
    if (!opened.ok()) return opened.status();
    io::RecordSource& source = **opened;
    // The longest acceptable record: the note limit plus room for the other fields, escaping
    // and base64.
    const size_t max_line = options_.limits.max_note_bytes * 2 + (64 << 10);
    std::deque<std::unique_ptr<Batch>> in_flight;
    const size_t max_in_flight = static_cast<size_t>(options_.threads) * 2;

    auto new_batch = [&] {
      auto batch = std::make_unique<Batch>();
      batch->path = source.path();
      batch->format = source.format();
      batch->kind = source.kind() == io::RecordKind::kAuto ? io::RecordKind::kNote
                                                            : source.kind();
      batch->csv = source.csv_decoder();
      return batch;
    };
    auto submit = [&](std::unique_ptr<Batch> batch) {
      batch->first_sequence = next_sequence_;
      batch->file_bytes = source.bytes_read();
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
    while (source.Next(&line)) {
      if (source.kind() == io::RecordKind::kNote || source.format() != io::RecordFormat::kJsonl) {
        summary_.set_note_bytes(summary_.note_bytes() + line.size());
      }
      // A record far over the note limit is not worth parsing; it is rejected in input order
      // with the rest of its batch.
      batch->errors.push_back(
          line.size() > max_line
              ? absl::StrCat("line is ", line.size(), " bytes; a note may have at most ",
                             options_.limits.max_note_bytes, " bytes of text (--max_note_bytes)")
              : std::string());
      batch->lines.push_back(std::move(line));
      batch->line_numbers.push_back(source.line_number());
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
    if (absl::Status s = source.status(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ScanPipeline::ForEachNote(const std::string& path,
                                       const io::CsvColumnMap& csv_columns,
                                       const absl::flat_hash_set<std::string>& note_ids,
                                       const std::function<void(const Note&)>& fn) {
  if (path == "-") {
    return absl::FailedPreconditionError("stdin cannot be read a second time for snippets");
  }
  absl::StatusOr<std::vector<std::string>> files = io::ExpandExtractPath(path);
  if (!files.ok()) return files.status();
  io::JsonRecordParser parser;
  io::FhirDecoder fhir;
  std::vector<std::string> fields;
  Note note;
  for (const std::string& file : *files) {
    absl::StatusOr<std::unique_ptr<io::RecordSource>> opened =
        io::RecordSource::Open(file, io::RecordKind::kAuto, csv_columns);
    if (!opened.ok()) return opened.status();
    io::RecordSource& source = **opened;
    if (source.format() != io::RecordFormat::kFhirNdjson &&
        source.kind() != io::RecordKind::kNote) {
      continue;
    }
    std::string record;
    while (source.Next(&record)) {
      if (source.format() == io::RecordFormat::kFhirNdjson) {
        // Cheap pre-filter before the JSON parse and base64 decoding.
        if (record.find("\"DocumentReference\"") == std::string::npos) continue;
        absl::StatusOr<std::string> type = fhir.ResourceType(record);
        if (!type.ok() || *type != "DocumentReference") continue;
      }
      if (!DecodeNoteRecord(source.format(), source.csv_decoder(), record, &parser, &fhir,
                            &fields, &note)
               .ok()) {
        continue;
      }
      if (note_ids.contains(note.note_id())) fn(note);
    }
    if (absl::Status s = source.status(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

void ScanPipeline::JoinPatients() {
  if (patients_.empty()) return;
  for (auto& [id, record] : encounters_) {
    if (!record.encounter.has_value()) continue;
    Encounter& encounter = *record.encounter;
    auto patient = patients_.find(encounter.patient_id());
    if (patient == patients_.end()) continue;
    if (encounter.sex().empty()) encounter.set_sex(patient->second.sex);
    if (encounter.age() == 0) {
      encounter.set_age(io::AgeAt(patient->second.birth_date, encounter.admit_time()));
    }
  }
}

namespace {

// The thread's zstd contexts, kept from call to call: ZSTD_compress and ZSTD_decompress make and
// initialize a fresh one per call, which on the nightly path cost about as much as the
// compression itself (a frame is a few KB). Null if zstd could not allocate one; callers then
// fall back to those calls.
ZSTD_CCtx* CompressionContext() {
  thread_local const std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> context(
      ZSTD_createCCtx(), ZSTD_freeCCtx);
  return context.get();
}

ZSTD_DCtx* DecompressionContext() {
  thread_local const std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> context(
      ZSTD_createDCtx(), ZSTD_freeDCtx);
  return context.get();
}

}  // namespace

void ScanPipeline::Seal(PackedNotes* packed) {
  std::string& pending = packed->pending;
  if (pending.empty()) return;
  std::string frame(ZSTD_compressBound(pending.size()), '\0');
  ZSTD_CCtx* context = CompressionContext();
  // Level 1: every frame is compressed on the driving thread, where level 3 cost 3% of a
  // night's wall time for frames 5% smaller.
  constexpr int kLevel = 1;
  const size_t size =
      context != nullptr
          ? ZSTD_compressCCtx(context, frame.data(), frame.size(), pending.data(),
                              pending.size(), kLevel)
          : ZSTD_compress(frame.data(), frame.size(), pending.data(), pending.size(), kLevel);
  if (ZSTD_isError(size)) {
    frame = std::move(pending);  // kept as is; marked by a zero byte
    frame.insert(frame.begin(), '\0');
  } else {
    frame.resize(size);
  }
  std::string().swap(pending);
  CountPending(packed);
  KeepFrame(std::move(frame), &packed->frames.emplace_back());
}

void ScanPipeline::KeepFrame(std::string frame, Frame* out) {
  if (frame_bytes_in_memory_ + frame.size() > options_.max_frame_bytes_in_memory &&
      !spill_failed_ && options_.spill_dir != ScanOptions::kNoSpill) {
    absl::Status status;
    if (spill_ == nullptr) {
      absl::StatusOr<std::unique_ptr<FrameSpill>> made = FrameSpill::Create(options_.spill_dir);
      if (made.ok()) {
        spill_ = std::move(made).value();
      } else {
        status = made.status();
      }
    }
    if (spill_ != nullptr) {
      absl::StatusOr<uint64_t> at = spill_->Append(frame);
      if (at.ok()) {
        out->spill_offset = *at;
        out->spill_size = frame.size();
        summary_.set_facts_spilled_bytes(summary_.facts_spilled_bytes() + frame.size());
        return;
      }
      status = at.status();
    }
    // Not fatal: the facts are safe in memory, which may run short on a very large night.
    spill_failed_ = true;
    std::fprintf(stderr, "cdiscan: keeping packed facts in memory: %s\n",
                 std::string(status.message()).c_str());
  }
  frame.shrink_to_fit();
  frame_bytes_in_memory_ += frame.size();
  out->bytes = std::move(frame);
}

void ScanPipeline::CountPending(PackedNotes* packed) {
  // By capacity, which is what a tail holds (a growing string doubles it); an empty string's
  // own buffer is not counted.
  const size_t now = packed->pending.empty() ? 0 : packed->pending.capacity();
  pending_bytes_ = pending_bytes_ - packed->counted + now;
  packed->counted = now;
}

void ScanPipeline::SealLargestPending() {
  // The largest tails first, down to half the budget: they compress best, and the many small
  // tails of a night with many open encounters are left to grow into frames worth making.
  std::vector<std::pair<size_t, PackedNotes*>> tails;
  for (auto& [id, packed] : packed_notes_) {
    if (packed.counted > 0) tails.emplace_back(packed.counted, &packed);
  }
  std::sort(tails.begin(), tails.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [size, packed] : tails) {
    if (pending_bytes_ <= options_.max_pending_bytes / 2) break;
    Seal(packed);
  }
}

std::vector<NoteFacts>& ScanPipeline::RecycledFacts() {
  thread_local std::vector<NoteFacts> recycled;
  return recycled;
}

void ScanPipeline::Recycle(std::vector<NoteFacts>* notes) {
  std::vector<NoteFacts>& recycled = RecycledFacts();
  for (NoteFacts& facts : *notes) {
    if (recycled.size() >= kMaxRecycledFacts) break;
    // A message keeps the capacity of the largest note parsed into it: an outsized note's
    // facts are freed rather than kept for the rest of the night.
    if (facts.mention_size() + facts.measurement_size() + facts.treatment_size() >
        kMaxFactsPerRecycledNote) {
      continue;
    }
    recycled.push_back(std::move(facts));
  }
  std::vector<NoteFacts>().swap(*notes);
}

void ScanPipeline::ReleaseRecycledFacts() { std::vector<NoteFacts>().swap(RecycledFacts()); }

absl::Status ScanPipeline::Unpack(PackedNotes* packed, std::vector<NoteFacts>* notes) const {
  std::string bytes;
  std::string spilled;
  for (const Frame& stored : packed->frames) {
    if (stored.spill_size > 0) {
      if (absl::Status read = spill_->Read(stored.spill_offset, stored.spill_size, &spilled);
          !read.ok()) {
        return read;
      }
    }
    const std::string& frame = stored.spill_size > 0 ? spilled : stored.bytes;
    if (!frame.empty() && frame[0] == '\0') {
      bytes.append(frame, 1, std::string::npos);
      continue;
    }
    const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
      return absl::InternalError("scan pipeline: packed note facts are corrupt");
    }
    const size_t at = bytes.size();
    bytes.resize(at + size);
    ZSTD_DCtx* context = DecompressionContext();
    const size_t done =
        context != nullptr
            ? ZSTD_decompressDCtx(context, bytes.data() + at, size, frame.data(), frame.size())
            : ZSTD_decompress(bytes.data() + at, size, frame.data(), frame.size());
    if (ZSTD_isError(done)) {
      return absl::InternalError("scan pipeline: packed note facts do not decompress");
    }
  }
  bytes += packed->pending;
  PackedNotes().Swap(packed);
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  input.SetTotalBytesLimit(std::numeric_limits<int>::max());
  uint32_t size = 0;
  std::vector<NoteFacts>& recycled = RecycledFacts();
  while (input.ReadVarint32(&size)) {
    // A recycled message keeps its repeated fields and their facts' own strings, which parsing
    // refills. (Not each fact's span: clearing a heap message deletes its submessages.)
    if (recycled.empty()) {
      notes->emplace_back();
    } else {
      notes->push_back(std::move(recycled.back()));
      recycled.pop_back();
    }
    NoteFacts& facts = notes->back();
    google::protobuf::io::CodedInputStream::Limit limit = input.PushLimit(static_cast<int>(size));
    if (!facts.ParseFromCodedStream(&input) || !input.ConsumedEntireMessage()) {
      return absl::InternalError("scan pipeline: packed note facts do not parse");
    }
    input.PopLimit(limit);
  }
  return absl::OkStatus();
}

bool ScanPipeline::HasNotes(const std::string& encounter_id) const {
  auto record = encounters_.find(encounter_id);
  return packed_notes_.contains(encounter_id) || evaluated_.contains(encounter_id) ||
         (record != encounters_.end() && !record->second.notes.empty());
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
  return EvaluateAll(nullptr, &sink, nullptr);
}

absl::Status ScanPipeline::EvaluateRendered(
    const Renderer& render, const std::function<absl::Status(const std::string&)>& write) {
  return EvaluateAll(&render, nullptr, &write);
}

// Exactly one of `sink` and (`render`, `write`) is set.
absl::Status ScanPipeline::EvaluateAll(
    const Renderer* render, const std::function<absl::Status(const Finding&)>* sink,
    const std::function<absl::Status(const std::string&)>* write) {
  JoinPatients();
  // Encounters are unpacked and evaluated on the pool, a sliding window of them at a time, and
  // their findings handed to the sink in encounter_id order, as the scan merges batches.
  struct Job {
    const std::string* id;
    rules::EncounterRecord* record;
    PackedNotes packed;
    std::vector<Finding> findings;
    std::vector<std::string> rendered;  // with `render`: one per finding
    absl::Status status;
    absl::Notification done;
  };
  auto run = [this, render](Job* job) {
    job->status = Unpack(&job->packed, &job->record->notes);
    if (job->status.ok()) {
      SortNotes(&job->record->notes);
      evaluator_.Evaluate(*job->record, &job->findings);
    }
    for (size_t i = 0; render != nullptr && job->status.ok() && i < job->findings.size(); ++i) {
      absl::StatusOr<std::string> bytes = (*render)(job->findings[i]);
      if (!bytes.ok()) {
        job->status = bytes.status();
      } else {
        job->rendered.push_back(std::move(bytes).value());
      }
    }
    // Findings carry copies of what they quote, so the facts can go now, on this worker, for
    // its next encounter to parse into. A failed job keeps them (HasNotes stays true).
    if (release_after_evaluate_ && job->status.ok()) Recycle(&job->record->notes);
    job->done.Notify();
  };
  const size_t total = packed_notes_.size();
  const size_t max_in_flight = static_cast<size_t>(options_.threads) * 8;
  size_t done = 0;
  std::deque<std::unique_ptr<Job>> in_flight;
  auto finish_front = [&]() -> absl::Status {
    std::unique_ptr<Job> job = std::move(in_flight.front());
    in_flight.pop_front();
    job->done.WaitForNotification();
    if (!job->status.ok()) return job->status;
    summary_.set_encounters(summary_.encounters() + 1);
    for (size_t i = 0; i < job->findings.size(); ++i) {
      summary_.set_findings(summary_.findings() + 1);
      absl::Status status =
          sink != nullptr ? (*sink)(job->findings[i]) : (*write)(job->rendered[i]);
      if (!status.ok()) return status;
    }
    evaluated_.insert(*job->id);
    if (options_.evaluate_progress && (++done % 64 == 0 || done == total)) {
      options_.evaluate_progress(done, total);
    }
    return absl::OkStatus();
  };
  absl::Status status;
  for (auto& [id, record] : encounters_) {
    auto packed = packed_notes_.find(id);
    if (packed == packed_notes_.end()) continue;
    auto job = std::make_unique<Job>();
    job->id = &id;
    job->record = &record;
    // The packed copy is released as it is unpacked; record.notes stays for encounters()
    // unless release_after_evaluate is set.
    job->packed.Swap(&packed->second);
    packed_notes_.erase(packed);
    for (const Frame& frame : job->packed.frames) frame_bytes_in_memory_ -= frame.bytes.size();
    pending_bytes_ -= job->packed.counted;
    Job* raw = job.get();
    in_flight.push_back(std::move(job));
    if (pool_ == nullptr) {
      run(raw);
    } else {
      pool_->Schedule([run, raw](int) { run(raw); });
    }
    while (status.ok() && in_flight.size() > (pool_ == nullptr ? 0 : max_in_flight)) {
      status = finish_front();
    }
    if (!status.ok()) break;
  }
  while (!in_flight.empty()) {
    // Even after an error every scheduled job must finish before its record goes away.
    if (status.ok()) {
      status = finish_front();
    } else {
      in_flight.front()->done.WaitForNotification();
      in_flight.pop_front();
    }
  }
  // Without a pool the jobs ran here; the night's next phases need not carry their facts.
  if (pool_ == nullptr) ReleaseRecycledFacts();
  return status;
}

}  // namespace cdiscan::engine
