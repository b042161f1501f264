// Writes a synthetic note extract (JSONL of cdiscan.Note) of a given size for throughput
// measurements: realistic clinical layouts (headers, lab lines, vitals, medication lists,
// assessment and plan), several notes per encounter, interleaved. No real patient data: every
// value is drawn from a seeded generator, so the same flags give the same bytes.
//
// Usage: gen_synthetic_extract --megabytes=100 --out=/tmp/extract.jsonl [--seed=1]
#include <cstdio>
#include <random>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace {

const char* const kHpi[] = {
    "78 y/o F with poor oral intake x 5 days, dizziness and fatigue.",
    "66 y/o M with worsening dyspnea on exertion, orthopnea and 3 kg weight gain.",
    "59 y/o M with fever, productive cough and pleuritic chest pain for 2 days.",
    "83 y/o F found confused at home by daughter; no focal deficits.",
    "71 y/o M with nausea, decreased urine output and lightheadedness.",
    "45 y/o F with cellulitis of the left leg failing oral antibiotics.",
};
const char* const kPmh[] = {"HTN, HLD, type 2 diabetes.", "COPD on 2 L home O2, CAD s/p CABG.",
                            "CKD, atrial fibrillation on apixaban.", "Hypothyroidism, GERD.",
                            "History of hyponatremia, alcohol use disorder in remission."};
const char* const kAssessments[] = {
    "Community-acquired pneumonia - continue ceftriaxone and azithromycin.",
    "CHF exacerbation - IV furosemide 40 mg BID, strict I/O, daily weights.",
    "Hyponatremia, hypovolemic - NS at 75 mL/h, recheck BMP.",
    "Acute kidney injury on CKD - hold lisinopril, renal ultrasound.",
    "Dizziness - orthostatics, PT eval.",
    "Cellulitis - IV cefazolin, elevate leg, mark borders.",
    "No evidence of sepsis; lactate normal, afebrile.",
    "Type 2 diabetes - sliding scale insulin, A1c pending.",
    "Poor intake - dietitian consult, calorie counts.",
};

std::string JsonEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out;
}

class NoteWriter {
 public:
  explicit NoteWriter(uint32_t seed) : rng_(seed) {}

  std::string Physician(int day) {
    std::string text = absl::StrCat(
        "HISTORY OF PRESENT ILLNESS:\n", Pick(kHpi), "\n\nPAST MEDICAL HISTORY:\n", Pick(kPmh),
        "\n\nMEDICATIONS:\nlisinopril 10 mg daily, metformin 500 mg BID, atorvastatin 40 mg "
        "nightly\n\nALLERGIES: NKDA\n\nREVIEW OF SYSTEMS:\nNegative for chest pain, "
        "palpitations, fever or chills except as in HPI.\n\nPHYSICAL EXAM:\n",
        Vitals(), "\nGen: NAD, alert and oriented x3.\nLungs: ",
        Coin() ? "crackles at bilateral bases." : "clear to auscultation bilaterally.",
        "\nExt: ", Coin() ? "2+ pitting edema to the knees." : "no edema.", "\n\nLABS:\n", Labs(),
        "\n\nASSESSMENT AND PLAN:\n");
    const int problems = 2 + Uniform(0, 3);
    for (int i = 1; i <= problems; ++i) absl::StrAppend(&text, i, ". ", Pick(kAssessments), "\n");
    absl::StrAppend(&text, "\nDVT prophylaxis: heparin SQ. Code status: full code. Day ", day,
                    " of admission.\n");
    return text;
  }

  std::string Nursing() {
    return absl::StrCat("Shift assessment: pt resting, ", Vitals(),
                        " Pain 2/10. Tolerating diet, intake ", Uniform(25, 100),
                        "% of meals. Fall precautions in place. AM labs: sodium ", Uniform(121, 144),
                        " mmol/L, potassium ", absl::StrFormat("%.1f", Uniform(30, 55) / 10.0),
                        ". MD aware.");
  }

  std::string Vitals() {
    return absl::StrFormat("T %.1f C, HR %d, BP %d/%d, RR %d, SpO2 %d%% on %s.",
                           Uniform(360, 395) / 10.0, Uniform(58, 125), Uniform(85, 165),
                           Uniform(45, 95), Uniform(12, 30), Uniform(86, 100),
                           Coin() ? "RA" : "2L NC");
  }

  std::string Labs() {
    return absl::StrFormat(
        "Na %d, K %.1f, Cl %d, HCO3 %d, BUN %d, Cr %.1f, glucose %d\nWBC %.1f, Hgb %.1f, plt %d\n"
        "BNP %s, lactate %.1f",
        Uniform(121, 145), Uniform(30, 58) / 10.0, Uniform(90, 110), Uniform(18, 30),
        Uniform(8, 60), Uniform(6, 35) / 10.0, Uniform(70, 320), Uniform(30, 220) / 10.0,
        Uniform(70, 150) / 10.0, Uniform(60, 420), Coin() ? "1,450" : "85",
        Uniform(8, 45) / 10.0);
  }

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Coin() { return Uniform(0, 1) == 1; }
  template <size_t N>
  const char* Pick(const char* const (&items)[N]) {
    return items[Uniform(0, N - 1)];
  }

 private:
  std::mt19937 rng_;
};

}  // namespace

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
  NoteWriter writer(seed);
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
        JsonEscape(text), "\"}\n");
    std::fwrite(line.data(), 1, line.size(), out);
    written += line.size();
    ++note;
  }
  std::fclose(out);
  std::fprintf(stderr, "wrote %ld notes, %.1f MB to %s\n", note, written / (1 << 20),
               out_path.c_str());
  return 0;
}
