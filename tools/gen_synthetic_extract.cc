// Writes a synthetic note extract (JSONL of cdiscan.Note) of a given size for throughput
// measurements: realistic clinical layouts (headers, lab lines, vitals, medication lists,
// assessment and plan), several notes per encounter, interleaved. No real patient data: every
// value is drawn from a seeded generator, so the same flags give the same bytes.
//
// Usage: gen_synthetic_extract --megabytes=100 --out=/tmp/extract.jsonl [--seed=1]
#include <cstdio>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "tools/synthetic_notes.h"

int main(int argc, char** argv) {
  double megabytes = 100;
  uint32_t seed = 1;
  std::string out_path;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--megabytes=")) {
      if (!absl::SimpleAtod(arg, &megabytes)) return 2;
    } else if (absl::ConsumePrefix(&arg, "--seed=")) {
      if (!absl::SimpleAtoi(arg, &seed)) return 2;
    } else if (absl::ConsumePrefix(&arg, "--out=")) {
      out_path = std::string(arg);
    } else {
      std::fprintf(stderr, "usage: gen_synthetic_extract --megabytes=N --out=PATH [--seed=N]\n");
      return 2;
    }
  }
  if (out_path.empty()) {
    std::fprintf(stderr, "usage: gen_synthetic_extract --megabytes=N --out=PATH [--seed=N]\n");
    return 2;
  }
  FILE* out = std::fopen(out_path.c_str(), "wb");
  if (out == nullptr) return 1;
  cdiscan::tools::SyntheticNotes writer(seed);
  const double target = megabytes * (1 << 20);
  double written = 0;
  long note = 0;
  while (written < target) {
    // Encounters interleave: note k belongs to encounter k % 5000, so one encounter's notes are
    // spread over the whole extract, as in a real nightly extract sorted by time.
    const long encounter = note % 5000;
    const bool physician = note % 3 != 1;
    const std::string text = physician ? writer.Physician(static_cast<int>(note / 5000) + 1)
                                       : writer.Nursing();
    const std::string line = absl::StrCat(
        R"({"note_id":"SYN-)", note, R"(","patient_id":"SP-)", encounter, R"(","encounter_id":"SE-)",
        encounter, R"(","note_type":")", physician ? "Progress Note" : "Nursing Note",
        R"(","author_role":")", physician ? "PHYSICIAN" : "NURSE",
        absl::StrFormat(R"(","authored_at":"2026-11-%02dT%02d:%02d:00Z","text":")",
                        1 + static_cast<int>(note / 5000) % 28, static_cast<int>(note % 24),
                        static_cast<int>(note % 60)),
        cdiscan::tools::JsonEscape(text), "\"}\n");
    std::fwrite(line.data(), 1, line.size(), out);
    written += line.size();
    ++note;
  }
  std::fclose(out);
  std::fprintf(stderr, "wrote %ld notes, %.1f MB to %s\n", note, written / (1 << 20),
               out_path.c_str());
  return 0;
}
