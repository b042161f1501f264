// The scan driver: stream extract files -> parse and scan each note on a thread pool -> group the
// small facts by encounter (notes of one encounter may be anywhere in the extract) -> evaluate
// the rules per encounter -> hand findings to a sink in a deterministic order.
//
// Output is byte-identical for any thread count: batches of lines are scanned in parallel but
// merged in input order, encounters are evaluated in encounter_id order, and notes within an
// encounter are ordered by (authored_at, position in the extract).
//
// Memory: note text lives only while its batch is scanned; what is kept per note is its
// NoteFacts (ids, mentions, measurements, treatments), serialized and zstd-compressed until its
// encounter is evaluated (a parsed proto costs several times its wire size), in memory up to a
// budget and in a spill file beyond it (ScanOptions::max_frame_bytes_in_memory).
//
// Formats (io/record_source.h): cdiscan JSONL, FHIR R4 Bulk NDJSON and CSV, plain, gzip or
// zstd, a directory of files, or stdin. The reading thread only cuts the input into raw records
// (a JSONL/NDJSON line, a CSV record that may span lines) with their file:line; workers decode
// them (JSON, base64, HTML, CSV fields) and scan notes. FHIR Patients are joined to encounters
// by subject for age and sex before evaluation.
//
// Example:
//   ScanPipeline pipeline(scanner, evaluator, options, &reject_log);
//   RETURN_IF_ERROR(pipeline.ReadEncounters("encounters.jsonl"));
//   RETURN_IF_ERROR(pipeline.ScanNotes("notes.jsonl.gz"));
//   RETURN_IF_ERROR(pipeline.Evaluate([&](const Finding& f) { return writer->Write(f); }));
//
// Thread safety: one pipeline is driven by one thread; it owns its worker pool.
#ifndef CDISCAN_ENGINE_SCAN_PIPELINE_H_
#define CDISCAN_ENGINE_SCAN_PIPELINE_H_

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "engine/frame_spill.h"
#include "engine/note_scanner.h"
#include "engine/reject_log.h"
#include "engine/seen_ids.h"
#include "engine/thread_pool.h"
#include "io/csv.h"
#include "io/fhir_record.h"
#include "io/record_source.h"
#include "io/record_validation.h"
#include "proto/finding.pb.h"
#include "rules/encounter_record.h"
#include "rules/rule_evaluator.h"

namespace cdiscan::engine {

// Facts name term lists by their number in the library that scanned the note
// (MentionFact.term_list_id), so the rules that read them must come from the same library; a
// mismatch would credit mentions to the wrong rules. Aborts, naming `where`, if they do not.
// (ScanPipeline is handed the two separately; rule examples build the scanner from the
// evaluator's library.)
void RequireSameLibrary(const NoteScanner& scanner, const rules::RuleEvaluator& evaluator,
                        const char* where);

struct ScanOptions {
  int threads = 1;
  io::RecordLimits limits;
  // Lines per unit of parallel work; large enough to amortise scheduling, small enough that
  // in-flight text stays a few MB.
  size_t batch_lines = 64;
  // Site-specific CSV column names (io/csv.h).
  io::CsvColumnMap csv_columns;
  // Called from the driving thread after each merged batch, with the (decompressed) bytes read
  // so far in the current file and the notes read in the run; for progress lines.
  std::function<void(uint64_t file_bytes, uint64_t notes_read)> progress;
  // Called from the driving thread during Evaluate, every 64 encounters and at the end.
  std::function<void(size_t encounters_done, size_t encounters_total)> evaluate_progress;
  // Memory for the packed facts held until their encounters are evaluated, so that it does not
  // grow with the extract: compressed frames beyond `max_frame_bytes_in_memory` go to a spill
  // file (FrameSpill) in `spill_dir` ("" for $TMPDIR, else /tmp; kNoSpill keeps them all in
  // memory), and when the uncompressed tails of the open encounters hold more than
  // `max_pending_bytes` (string capacity), the largest are compressed until they are back to
  // half of it. A budget of 0 spills every frame, or compresses after every note (tests). If
  // the spill file cannot be made or written, frames stay in memory and the run says so once
  // on stderr.
  size_t max_frame_bytes_in_memory = size_t{64} << 20;
  size_t max_pending_bytes = size_t{64} << 20;
  std::string spill_dir;
  static constexpr const char* kNoSpill = "none";
};

class ScanPipeline {
 public:
  ScanPipeline(const NoteScanner& scanner, const rules::RuleEvaluator& evaluator,
               ScanOptions options, RejectLog* rejects);
  ~ScanPipeline();

  // Each returns a non-OK status only for a fatal problem (the file cannot be opened or read);
  // bad records are rejected through the RejectLog and counted.
  // A path may be a file, a directory (its regular files, sorted) or "-" (stdin). The flag's
  // kind applies to cdiscan JSONL and CSV; FHIR resources are used by their own type.
  absl::Status ReadEncounters(const std::string& path);
  absl::Status ReadObservations(const std::string& path);
  absl::Status ScanNotes(const std::string& path);
  // Notes, encounters, patients and observations in any mix (kind recognised per file).
  absl::Status ReadExtract(const std::string& path);

  // Re-reads notes (no scanning) and calls `fn` for each note whose id is in `note_ids`, in
  // input order. The worklist uses it to cut evidence snippets: note text is never held for the
  // whole run, so it is read a second time, only for notes that carry evidence. Stdin cannot be
  // re-read: returns FailedPrecondition for "-".
  static absl::Status ForEachNote(const std::string& path, const io::CsvColumnMap& csv_columns,
                                  const absl::flat_hash_set<std::string>& note_ids,
                                  const std::function<void(const Note&)>& fn);

  // Evaluates every encounter that has at least one scanned note, in encounter_id order.
  absl::Status Evaluate(const std::function<absl::Status(const Finding&)>& sink);

  // As Evaluate, but each finding is first turned into output bytes by `render` on the worker
  // threads (rendering JSON costs about as much as evaluating the rules), and `write` gets the
  // bytes in encounter_id order. `render` must be thread-safe.
  using Renderer = std::function<absl::StatusOr<std::string>(const Finding&)>;
  absl::Status EvaluateRendered(const Renderer& render,
                                const std::function<absl::Status(const std::string&)>& write);

  // Facts per encounter, for `cdiscan facts` and tests. Until Evaluate, an encounter's notes
  // are held serialized (see HasNotes); Evaluate unpacks them into `notes`.
  const std::map<std::string, rules::EncounterRecord>& encounters() const { return encounters_; }
  bool HasNotes(const std::string& encounter_id) const;
  // Evaluates like Evaluate but frees each encounter's notes once its findings are made (on
  // the worker, before the sink sees them: a sink must use only the Finding), so the peak
  // memory of a big night stays that of the packed facts (`cdiscan nightly`).
  void set_release_after_evaluate(bool release) { release_after_evaluate_ = release; }
  const RunSummary& summary() const { return summary_; }
  // Bytes of packed facts in memory, compressed and not (by capacity): what the budgets of
  // ScanOptions bound while notes are scanned; 0 once every encounter is evaluated.
  size_t packed_bytes_in_memory() const { return frame_bytes_in_memory_ + pending_bytes_; }

 private:
  struct Batch;
  absl::Status ReadFile(const std::string& path, io::RecordKind kind);
  void ScanBatch(Batch* batch, int worker);
  absl::Status EvaluateAll(const Renderer* render,
                           const std::function<absl::Status(const Finding&)>* sink,
                           const std::function<absl::Status(const std::string&)>* write);
  void MergeBatch(Batch* batch);
  void MergeEncounter(Batch* batch, size_t i);
  void MergeObservations(Batch* batch, size_t i);
  void JoinPatients();
  // An encounter's notes' facts: serialized, length-prefixed, in input order; sealed into zstd
  // frames every kPackChunkBytes (or sooner, see ScanOptions::max_pending_bytes).
  struct Frame {
    std::string bytes;         // in memory; empty when spilled
    uint64_t spill_offset = 0;  // where in spill_, when spilled
    uint64_t spill_size = 0;    // 0: in memory
  };
  struct PackedNotes {
    std::vector<Frame> frames;
    std::string pending;
    size_t counted = 0;  // what pending_bytes_ holds for `pending` (its capacity when counted)
    void Swap(PackedNotes* other) {
      frames.swap(other->frames);
      pending.swap(other->pending);
      std::swap(counted, other->counted);
    }
  };
  static constexpr size_t kPackChunkBytes = 16 << 10;
  // Compresses `packed`'s pending bytes into a frame and keeps it (KeepFrame).
  void Seal(PackedNotes* packed);
  // Keeps `frame` as `*out`: in memory within ScanOptions::max_frame_bytes_in_memory, else in
  // the spill file (made on first use), else, if that fails, in memory after all.
  void KeepFrame(std::string frame, Frame* out);
  // Counts `packed`'s pending bytes (by capacity) in pending_bytes_ anew.
  void CountPending(PackedNotes* packed);
  // Seal for the open encounters with the most pending bytes, when all of theirs pass
  // ScanOptions::max_pending_bytes, until they are back to half of it.
  void SealLargestPending();
  absl::Status Unpack(PackedNotes* packed, std::vector<NoteFacts>* notes) const;
  // Parsed facts of evaluated encounters, per thread, for Unpack to parse into again. At most
  // kMaxRecycledFacts messages of at most kMaxFactsPerRecycledNote facts each, so what a
  // worker holds stays a few megabytes and does not grow with the night.
  static constexpr size_t kMaxRecycledFacts = 512;
  static constexpr int kMaxFactsPerRecycledNote = 1000;
  static std::vector<NoteFacts>& RecycledFacts();
  // Moves `notes` into this thread's recycled facts and leaves it empty (capacity freed).
  static void Recycle(std::vector<NoteFacts>* notes);
  // Frees this thread's recycled facts.
  static void ReleaseRecycledFacts();

  const NoteScanner& scanner_;
  const rules::RuleEvaluator& evaluator_;
  ScanOptions options_;
  RejectLog* rejects_;
  std::unique_ptr<ThreadPool> pool_;
  struct WorkerState;
  std::vector<std::unique_ptr<WorkerState>> workers_;

  std::map<std::string, rules::EncounterRecord> encounters_;
  SeenIds note_ids_;  // duplicates are rejected
  absl::flat_hash_set<std::string> encounter_ids_;
  absl::flat_hash_map<std::string, io::FhirPatient> patients_;
  // Per encounter: its notes' facts, serialized and length-prefixed, in input order.
  absl::flat_hash_map<std::string, PackedNotes> packed_notes_;
  size_t frame_bytes_in_memory_ = 0;  // sealed frames not spilled
  size_t pending_bytes_ = 0;          // capacity of the PackedNotes::pending of every encounter
  std::unique_ptr<FrameSpill> spill_;  // made on the first frame over the budget
  bool spill_failed_ = false;          // then frames stay in memory
  bool release_after_evaluate_ = false;
  absl::flat_hash_set<std::string> evaluated_;  // encounters whose notes were evaluated
  uint64_t next_sequence_ = 0;
  RunSummary summary_;
};

}  // namespace cdiscan::engine

#endif  // CDISCAN_ENGINE_SCAN_PIPELINE_H_
