// The scan pipeline's memory budget for packed facts (ScanOptions::max_frame_bytes_in_memory,
// max_pending_bytes): whether the facts wait in memory, compressed early, or in a spill file,
// the findings are the same, byte for byte, on one thread or two.
#include "engine/scan_pipeline.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "rules/bundled_library_for_tests.h"
#include "rules/severity_table.h"
#include "tools/synthetic_notes.h"

namespace cdiscan::engine {
namespace {

// 600 synthetic notes of 40 encounters, interleaved as an extract has them; returns the path.
std::string WriteExtract() {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir != nullptr ? dir : "/tmp") + "/spill_notes.jsonl";
  std::ofstream out(path);
  tools::SyntheticNotes writer(11);
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  for (int i = 0; i < 600; ++i) {
    Note note;
    note.set_note_id("n" + std::to_string(i));
    note.set_encounter_id("e" + std::to_string(i % 40));
    note.set_patient_id("p" + std::to_string(i % 40));
    note.set_author_role(i % 3 == 1 ? NURSE : PHYSICIAN);
    note.set_authored_at("2026-11-0" + std::to_string(1 + i / 100) + "T08:00:00Z");
    note.set_text(i % 3 == 1 ? writer.Nursing() : writer.Physician(1));
    std::string json;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(note, &json, options).ok());
    out << json << "\n";
  }
  return path;
}

// Every finding of a run, serialized, in the order the pipeline hands them over; the bytes
// of facts it spilled to `*spilled` when not null.
std::string Findings(const std::string& extract, ScanOptions options,
                     uint64_t* spilled = nullptr, size_t* peak_in_memory = nullptr) {
  const rules::RuleLibrary& library = rules::BundledLibraryForTests();
  const NoteScanner scanner(library);
  const rules::RuleEvaluator evaluator(library, rules::SeverityTable::Bundled());
  std::ostringstream messages;
  absl::StatusOr<std::unique_ptr<RejectLog>> rejects = RejectLog::Open(&messages, "");
  EXPECT_TRUE(rejects.ok());
  const ScanPipeline* watched = nullptr;
  size_t peak = 0;
  options.progress = [&](uint64_t, uint64_t) {  // after each merged batch
    peak = std::max(peak, watched->packed_bytes_in_memory());
  };
  ScanPipeline pipeline(scanner, evaluator, std::move(options), rejects->get());
  watched = &pipeline;
  pipeline.set_release_after_evaluate(true);
  EXPECT_TRUE(pipeline.ScanNotes(extract).ok());
  std::string all;
  EXPECT_TRUE(pipeline
                  .Evaluate([&](const Finding& finding) {
                    all += finding.SerializeAsString();
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(pipeline.summary().notes_scanned(), 600u);
  // Every byte counted against the budgets was given back.
  EXPECT_EQ(pipeline.packed_bytes_in_memory(), 0u);
  if (spilled != nullptr) *spilled = pipeline.summary().facts_spilled_bytes();
  if (peak_in_memory != nullptr) *peak_in_memory = peak;
  return all;
}

class SpillTest : public ::testing::TestWithParam<int> {};

TEST_P(SpillTest, FindingsDoNotDependOnWhereTheFactsWaited) {
  const std::string extract = WriteExtract();
  ScanOptions in_memory;
  in_memory.threads = GetParam();
  in_memory.max_frame_bytes_in_memory = size_t{1} << 40;
  in_memory.max_pending_bytes = size_t{1} << 40;
  uint64_t spilled_bytes = 1;
  const std::string expected = Findings(extract, in_memory, &spilled_bytes);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(spilled_bytes, 0u);

  ScanOptions spilled = in_memory;  // every frame to the spill file
  spilled.max_frame_bytes_in_memory = 0;
  EXPECT_EQ(Findings(extract, spilled, &spilled_bytes), expected);
  EXPECT_GT(spilled_bytes, 100u << 10);  // 600 notes' facts, compressed

  ScanOptions sealed_early = in_memory;  // every note compressed as soon as it is merged
  sealed_early.max_pending_bytes = 0;
  EXPECT_EQ(Findings(extract, sealed_early), expected);

  ScanOptions both = spilled;
  both.max_pending_bytes = 0;
  EXPECT_EQ(Findings(extract, both), expected);

  // Budgets a few frames deep: an encounter's frames partly in memory, partly spilled, and
  // tails sealed at all sizes.
  ScanOptions some = in_memory;
  some.max_frame_bytes_in_memory = 48 << 10;
  some.max_pending_bytes = 96 << 10;
  size_t peak = 0;
  EXPECT_EQ(Findings(extract, some, &spilled_bytes, &peak), expected);
  EXPECT_GT(spilled_bytes, 0u);
  EXPECT_GT(peak, 0u);
  EXPECT_LE(peak, size_t{(48 + 96) << 10});

  ScanOptions kept = both;  // spilling turned off
  kept.spill_dir = ScanOptions::kNoSpill;
  EXPECT_EQ(Findings(extract, kept, &spilled_bytes), expected);
  EXPECT_EQ(spilled_bytes, 0u);

  // A spill directory that cannot be used keeps the facts in memory, findings unchanged.
  ScanOptions nowhere = both;
  nowhere.spill_dir = "/nonexistent/cdiscan-spill";
  EXPECT_EQ(Findings(extract, nowhere, &spilled_bytes), expected);
  EXPECT_EQ(spilled_bytes, 0u);
}

INSTANTIATE_TEST_SUITE_P(Threads, SpillTest, ::testing::Values(1, 2));

}  // namespace
}  // namespace cdiscan::engine
