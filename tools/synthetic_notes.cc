#include "tools/synthetic_notes.h"

#include "base/json_string.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cdiscan::tools {
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

}  // namespace

std::string JsonEscape(const std::string& text) {
  std::string out;
  AppendJsonEscaped(text, JsonEscaping::kPlain, &out);
  return out;
}

std::string SyntheticNotes::Physician(int day) {
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
std::string SyntheticNotes::Nursing() {
  return absl::StrCat("Shift assessment: pt resting, ", Vitals(),
                      " Pain 2/10. Tolerating diet, intake ", Uniform(25, 100),
                      "% of meals. Fall precautions in place. AM labs: sodium ", Uniform(121, 144),
                      " mmol/L, potassium ", absl::StrFormat("%.1f", Uniform(30, 55) / 10.0),
                      ". MD aware.");
}
std::string SyntheticNotes::Vitals() {
  return absl::StrFormat("T %.1f C, HR %d, BP %d/%d, RR %d, SpO2 %d%% on %s.",
                         Uniform(360, 395) / 10.0, Uniform(58, 125), Uniform(85, 165),
                         Uniform(45, 95), Uniform(12, 30), Uniform(86, 100),
                         Coin() ? "RA" : "2L NC");
}
std::string SyntheticNotes::Labs() {
  return absl::StrFormat(
      "Na %d, K %.1f, Cl %d, HCO3 %d, BUN %d, Cr %.1f, glucose %d\nWBC %.1f, Hgb %.1f, plt %d\n"
      "BNP %s, lactate %.1f",
      Uniform(121, 145), Uniform(30, 58) / 10.0, Uniform(90, 110), Uniform(18, 30),
      Uniform(8, 60), Uniform(6, 35) / 10.0, Uniform(70, 320), Uniform(30, 220) / 10.0,
      Uniform(70, 150) / 10.0, Uniform(60, 420), Coin() ? "1,450" : "85",
      Uniform(8, 45) / 10.0);
}
}  // namespace cdiscan::tools
