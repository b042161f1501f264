// The scan driver: stream note files -> parse and scan each note on a thread pool -> group the
// small facts by encounter (notes of one encounter may be anywhere in the extract) -> evaluate
// the rules per encounter -> hand findings to a sink in a deterministic order.
//
// Output is byte-identical for any thread count: batches of lines are scanned in parallel but
// merged in input order, encounters are evaluated in encounter_id order, and notes within an
// encounter are ordered by (authored_at, position in the extract).
//
// Memory: note text lives only while its batch is scanned; what is kept per note is its
// NoteFacts (ids, mentions, measurements, treatments).
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

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "engine/note_scanner.h"
#include "engine/reject_log.h"
#include "engine/thread_pool.h"
#include "io/record_validation.h"
#include "proto/finding.pb.h"
#include "rules/encounter_record.h"
#include "rules/rule_evaluator.h"

namespace cdiscan::engine {

struct ScanOptions {
  int threads = 1;
  io::RecordLimits limits;
  // Lines per unit of parallel work; large enough to amortise scheduling, small enough that
  // in-flight text stays a few MB.
  size_t batch_lines = 64;
};

class ScanPipeline {
 public:
  ScanPipeline(const NoteScanner& scanner, const rules::RuleEvaluator& evaluator,
               ScanOptions options, RejectLog* rejects);
  ~ScanPipeline();

  // Each returns a non-OK status only for a fatal problem (the file cannot be opened or read);
  // bad records are rejected through the RejectLog and counted.
  absl::Status ReadEncounters(const std::string& path);
  absl::Status ReadObservations(const std::string& path);
  absl::Status ScanNotes(const std::string& path);

  // Evaluates every encounter that has at least one scanned note, in encounter_id order.
  absl::Status Evaluate(const std::function<absl::Status(const Finding&)>& sink);

  // Facts per encounter, for `cdiscan facts` and tests.
  const std::map<std::string, rules::EncounterRecord>& encounters() const { return encounters_; }
  const RunSummary& summary() const { return summary_; }

 private:
  struct Batch;
  void ScanBatch(Batch* batch, int worker);
  void MergeBatch(Batch* batch);

  const NoteScanner& scanner_;
  const rules::RuleEvaluator& evaluator_;
  ScanOptions options_;
  RejectLog* rejects_;
  std::unique_ptr<ThreadPool> pool_;
  struct WorkerState;
  std::vector<std::unique_ptr<WorkerState>> workers_;

  std::map<std::string, rules::EncounterRecord> encounters_;
  absl::flat_hash_set<std::string> note_ids_;
  absl::flat_hash_set<std::string> encounter_ids_;
  uint64_t next_sequence_ = 0;
  RunSummary summary_;
};

}  // namespace cdiscan::engine

#endif  // CDISCAN_ENGINE_SCAN_PIPELINE_H_
