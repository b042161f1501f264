// Synthetic clinical notes for throughput measurements and benchmarks: realistic layouts
// (headers, lab lines, vitals, medication lists, assessment and plan). No real patient data:
// every value comes from a seeded generator, so the same seed gives the same notes.
#ifndef CDISCAN_TOOLS_SYNTHETIC_NOTES_H_
#define CDISCAN_TOOLS_SYNTHETIC_NOTES_H_

#include <cstdint>
#include <random>
#include <string>

namespace cdiscan::tools {

class SyntheticNotes {
 public:
  explicit SyntheticNotes(uint32_t seed) : rng_(seed) {}

  // A physician H&P / progress note of about 1.3 KB.
  std::string Physician(int day);
  // A nursing shift note of about 250 bytes.
  std::string Nursing();

 private:
  std::string Vitals();
  std::string Labs();
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Coin() { return Uniform(0, 1) == 1; }
  template <size_t N>
  const char* Pick(const char* const (&items)[N]) {
    return items[Uniform(0, N - 1)];
  }

  std::mt19937 rng_;
};

// Escapes text for a JSON string literal.
std::string JsonEscape(const std::string& text);

}  // namespace cdiscan::tools

#endif  // CDISCAN_TOOLS_SYNTHETIC_NOTES_H_
