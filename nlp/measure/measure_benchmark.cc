// Cost of measurement and treatment extraction on two synthetic notes — a 2.9 KB progress note
// dense with labs, vitals and a plan (46 measurements, 9 treatments) and a 4.6 KB H&P that is
// mostly narrative (about a dozen values) — relative to
//   - analyzing the note (normalize, sections, sentences): a lower bound of the scan, and
//   - the engine's full note scan (engine::NoteScanner::Scan with the bundled rule packs: analyze,
//     one RE2::Set pass for every rule term, assertion of each mention) with and without the
//     extractors. This binary is testonly and depends "upward" on the engine only to measure
//     the layer where it runs; no library does.
// Issue #4: extraction may add at most 30% to the scan time of a note.
//
//   bazel run -c opt //nlp/measure:measure_benchmark
#include <string>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "benchmark/benchmark.h"
#include "engine/note_scanner.h"
#include "rules/bundled_library_for_tests.h"
#include "rules/rule_library.h"
#include "nlp/measure/measurement_extractor.h"
#include "nlp/measure/no_extraction.h"
#include "nlp/note_analysis.h"

namespace cdiscan::nlp {
namespace {

std::string ProgressNote() {
  return R"(PROGRESS NOTE - HOSPITAL MEDICINE
Date of service: 03/03/2024

SUBJECTIVE:
Patient is a 72 year old woman admitted with dyspnea and lower extremity edema. Overnight she
required 4L NC, was febrile to 38.9 and tachycardic to 118. She reports improved breathing this
morning, denies chest pain, tolerating a fluid restricted diet. No nausea or vomiting. Family at
bedside, questions answered.

OBJECTIVE:
Vitals: T 37.8 C, HR 104, RR 22, BP 98/56 (MAP 70), SpO2 93% on 3L NC. Wt 82.4 kg (was 86 kg on
admission). I/O: 1.2 L in, 2.9 L out; UOP 45 mL/hr.
General: elderly woman in mild respiratory distress, speaking full sentences.
HEENT: JVP elevated to the angle of the jaw.
Lungs: bibasilar crackles, decreased breath sounds at the right base.
CV: irregularly irregular, no murmurs. 2+ pitting edema bilateral lower extremities.
Abdomen: soft, nontender, nondistended.
Neuro: alert and oriented x3, no focal deficits.

LABS:
Sodium 128 (L) 135-145 mmol/L
Potassium 5.6 (H)
Chloride 96, HCO3 20, BUN 48, Cr 2.3 <- 0.9 (baseline), Glucose 212
WBC 14.2 (H), Hgb 8.1 (L), Hct 25.3, Plt 112
INR 1.6, PTT 38 sec
BNP 1,450; troponin 0.06 -> 0.08
Lactate 2.9 mmol/L
ABG 7.31/52/64 on FiO2 40%
Albumin 2.4, prealbumin 9

IMAGING:
CXR: bilateral pleural effusions, pulmonary vascular congestion, cardiomegaly.
Echo: EF 25-30%, severe MR, moderate TR.

ASSESSMENT AND PLAN:
72F with HFrEF (EF 25-30%) admitted with volume overload.
1. Acute on chronic systolic heart failure: continue IV Lasix 80 mg BID, strict I/O, daily
   weights, fluid restriction 1.5 L. Cardiology following. Consider metolazone if poor response.
2. Hyponatremia, hypervolemic: Na 128, on fluid restriction, trend BMP q12h.
3. AKI on CKD 3a: creatinine 2.3 from baseline 0.9, likely cardiorenal. Avoid nephrotoxins,
   renally dose medications, renal US ordered.
4. Hyperkalemia: K 5.6, Lokelma 10 g x1, repeat K this afternoon.
5. Anemia: Hgb 8.1 from 10.4 on admission, no active bleeding, iron studies pending. Transfuse
   for Hgb < 7.
6. Hypoxia: wean O2 as tolerated, goal SpO2 > 90%.
7. Possible pneumonia: started vancomycin and cefepime, blood cultures pending, procalcitonin.
8. Malnutrition risk: albumin 2.4, prealbumin 9, dietitian consulted, BMI 31.2.
9. DVT prophylaxis: heparin 5000 units subq TID.
Code status: full code. Dispo: continue inpatient care, anticipate 2-3 more days.
)";
}

std::string NarrativeNote() {
  return R"(HISTORY AND PHYSICAL

CHIEF COMPLAINT: Confusion and decreased oral intake for three days.

HISTORY OF PRESENT ILLNESS:
The patient is an 84 year old man with a history of hypertension, type 2 diabetes mellitus,
chronic kidney disease, atrial fibrillation on apixaban and mild cognitive impairment who lives
with his daughter. She reports that over the past three days he has been more confused than his
baseline, sleeping most of the day, eating very little and drinking only a few sips of water. He
had one episode of urinary incontinence yesterday, which is new for him. There has been no fever
at home, no cough, no vomiting or diarrhea, no falls and no new medications, although his
hydrochlorothiazide dose was increased two weeks ago by his primary care physician for blood
pressure control. In the emergency department he was oriented to self only. Initial vitals were
T 37.4 C, HR 96, BP 104/62, RR 18, SpO2 95% on room air. Labs were notable for sodium 121 and a
creatinine of 1.9 compared with 1.3 three months ago. Urinalysis showed trace leukocyte esterase
without nitrites. A CT head without contrast showed chronic small vessel disease and no acute
process. He received one liter of normal saline in the emergency department.

PAST MEDICAL HISTORY: Hypertension. Type 2 diabetes mellitus, diet controlled. Chronic kidney
disease. Atrial fibrillation. Mild cognitive impairment. Benign prostatic hyperplasia.
PAST SURGICAL HISTORY: Cholecystectomy. Right inguinal hernia repair.
SOCIAL HISTORY: Former smoker, quit 30 years ago. No alcohol. Lives with his daughter, walks with
a cane, independent in most activities of daily living until this week.
FAMILY HISTORY: Father with stroke in his seventies. Mother with breast cancer.
MEDICATIONS: Apixaban 2.5 mg twice daily, hydrochlorothiazide 25 mg daily, amlodipine 5 mg daily,
tamsulosin 0.4 mg nightly, donepezil 5 mg nightly.
ALLERGIES: No known drug allergies.

REVIEW OF SYSTEMS: Negative except as noted in the history of present illness.

PHYSICAL EXAMINATION:
General: elderly man, drowsy but arousable, in no distress.
HEENT: dry mucous membranes. Neck: supple, no jugular venous distension.
Lungs: clear to auscultation bilaterally. Heart: irregularly irregular rhythm, no murmur.
Abdomen: soft, nontender. Extremities: no edema. Skin: decreased turgor.
Neurologic: oriented to self only, moves all extremities, no focal deficit, no asterixis.

LABORATORY DATA:
Sodium 121 (L), potassium 3.4, chloride 86, bicarbonate 27, BUN 38, creatinine 1.9, glucose 132.
Serum osmolality 252. Urine sodium 48, urine osmolality 410. WBC 7.9, hemoglobin 12.8,
platelets 188. TSH and cortisol pending.

ASSESSMENT AND PLAN:
84 year old man with acute encephalopathy in the setting of severe hyponatremia, likely thiazide
induced with a component of poor solute intake, and acute kidney injury on chronic kidney disease,
likely prerenal.
1. Hyponatremia: hold hydrochlorothiazide, sodium checks every 4 hours, goal correction no more
   than 8 mEq/L in 24 hours, nephrology consulted, avoid hypotonic fluids.
2. Acute encephalopathy: likely metabolic, delirium precautions, neuro checks, avoid sedatives.
3. Acute kidney injury: gentle hydration, hold nephrotoxins, renally dose medications, recheck in
   the morning.
4. Atrial fibrillation: rate controlled, continue apixaban at reduced dose.
5. Nutrition: dietitian consult, encourage oral intake once mental status improves.
Code status: full code, confirmed with daughter who is the health care proxy.
)";
}

void BM_Analyze(benchmark::State& state, std::string (*make)()) {
  const std::string text = make();
  const NoteAnalyzer& analyzer = NoteAnalyzer::Default();
  AnalyzedNote note;
  for (auto _ : state) {
    analyzer.Analyze(text, &note);
    benchmark::DoNotOptimize(note.sentences.data());
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK_CAPTURE(BM_Analyze, dense, ProgressNote);
BENCHMARK_CAPTURE(BM_Analyze, narrative, NarrativeNote);

void BM_MeasurementsOnly(benchmark::State& state, std::string (*make)()) {
  const std::string text = make();
  AnalyzedNote note;
  NoteAnalyzer::Default().Analyze(text, &note);
  const MeasurementExtractor& extractor = MeasurementExtractor::Default();
  google::protobuf::RepeatedPtrField<MeasurementFact> out;
  for (auto _ : state) {
    out.Clear();
    extractor.Extract(text, note, &out);
    benchmark::DoNotOptimize(out.size());
  }
  state.counters["measurements"] = out.size();
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK_CAPTURE(BM_MeasurementsOnly, dense, ProgressNote);
BENCHMARK_CAPTURE(BM_MeasurementsOnly, narrative, NarrativeNote);

void BM_TreatmentsOnly(benchmark::State& state, std::string (*make)()) {
  const std::string text = make();
  AnalyzedNote note;
  NoteAnalyzer::Default().Analyze(text, &note);
  const TreatmentExtractor& extractor = TreatmentExtractor::Default();
  google::protobuf::RepeatedPtrField<TreatmentFact> out;
  for (auto _ : state) {
    out.Clear();
    extractor.Extract(text, note, &out);
    benchmark::DoNotOptimize(out.size());
  }
  state.counters["treatments"] = out.size();
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK_CAPTURE(BM_TreatmentsOnly, dense, ProgressNote);
BENCHMARK_CAPTURE(BM_TreatmentsOnly, narrative, NarrativeNote);

// The extractors restricted to what the bundled rules use (MeasurementExtractor::ForKeys).
void BM_RuleInputExtractionOnly(benchmark::State& state, std::string (*make)());

void BM_AnalyzeAndExtract(benchmark::State& state, std::string (*make)()) {
  const std::string text = make();
  const NoteAnalyzer& analyzer = NoteAnalyzer::Default();
  const MeasurementExtractor& measurements = MeasurementExtractor::Default();
  const TreatmentExtractor& treatments = TreatmentExtractor::Default();
  AnalyzedNote note;
  google::protobuf::RepeatedPtrField<MeasurementFact> m;
  google::protobuf::RepeatedPtrField<TreatmentFact> t;
  for (auto _ : state) {
    analyzer.Analyze(text, &note);
    m.Clear();
    t.Clear();
    measurements.Extract(text, note, &m);
    treatments.Extract(text, note, &t);
    benchmark::DoNotOptimize(m.size() + t.size());
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}
BENCHMARK_CAPTURE(BM_AnalyzeAndExtract, dense, ProgressNote);
BENCHMARK_CAPTURE(BM_AnalyzeAndExtract, narrative, NarrativeNote);

const rules::RuleLibrary& Library() { return rules::BundledLibraryForTests(); }

void Scan(benchmark::State& state, const engine::NoteScanner& scanner, std::string (*make)()) {
  Note note;
  note.set_note_id("n1");
  note.set_encounter_id("e1");
  note.set_text(make());
  engine::NoteScanner::Scratch scratch;
  for (auto _ : state) {
    benchmark::DoNotOptimize(scanner.ScanPacked(note, 0, &scratch).size());  // as nightly
  }
  const NoteFacts& facts = scanner.Scan(note, 0, &scratch);
  state.counters["mentions"] = facts.mention_size();
  state.counters["measurements"] = facts.measurement_size();
  state.SetBytesProcessed(state.iterations() * note.text().size());
}

void BM_FullScanWithoutExtraction(benchmark::State& state, std::string (*make)()) {
  static const NoMeasurements kNoMeasurements;
  static const NoTreatments kNoTreatments;
  const engine::NoteScanner scanner(Library(), kNoMeasurements, kNoTreatments);
  Scan(state, scanner, make);
}
BENCHMARK_CAPTURE(BM_FullScanWithoutExtraction, dense, ProgressNote);
BENCHMARK_CAPTURE(BM_FullScanWithoutExtraction, narrative, NarrativeNote);

// Every key extracted (what `cdiscan facts` does).
void BM_FullScanWithAllExtraction(benchmark::State& state, std::string (*make)()) {
  const engine::NoteScanner scanner(Library(), engine::NoteScanner::Keep::kEverything);
  Scan(state, scanner, make);
}
BENCHMARK_CAPTURE(BM_FullScanWithAllExtraction, dense, ProgressNote);
BENCHMARK_CAPTURE(BM_FullScanWithAllExtraction, narrative, NarrativeNote);

void BM_RuleInputExtractionOnly(benchmark::State& state, std::string (*make)()) {
  const std::string text = make();
  AnalyzedNote note;
  NoteAnalyzer::Default().Analyze(text, &note);
  const std::unique_ptr<const MeasurementExtractor> measurements =
      MeasurementExtractor::ForKeys(Library().measurement_keys());
  const std::unique_ptr<const TreatmentExtractor> treatments =
      TreatmentExtractor::ForKeys(Library().treatment_keys());
  google::protobuf::RepeatedPtrField<MeasurementFact> m;
  google::protobuf::RepeatedPtrField<TreatmentFact> t;
  for (auto _ : state) {
    m.Clear();
    t.Clear();
    measurements->Extract(text, note, &m);
    treatments->Extract(text, note, &t);
    benchmark::DoNotOptimize(m.size() + t.size());
  }
  state.counters["measurements"] = m.size();
  state.counters["treatments"] = t.size();
}
BENCHMARK_CAPTURE(BM_RuleInputExtractionOnly, dense, ProgressNote);
BENCHMARK_CAPTURE(BM_RuleInputExtractionOnly, narrative, NarrativeNote);

// Only the keys some bundled rule uses (what the nightly scan needs), via ForKeys.
void BM_FullScanWithRuleInputExtraction(benchmark::State& state, std::string (*make)()) {
  static const MeasurementExtractor* const kMeasurements =
      MeasurementExtractor::ForKeys(Library().measurement_keys()).release();
  static const TreatmentExtractor* const kTreatments =
      TreatmentExtractor::ForKeys(Library().treatment_keys()).release();
  const engine::NoteScanner scanner(Library(), *kMeasurements, *kTreatments);
  Scan(state, scanner, make);
}
BENCHMARK_CAPTURE(BM_FullScanWithRuleInputExtraction, dense, ProgressNote);
BENCHMARK_CAPTURE(BM_FullScanWithRuleInputExtraction, narrative, NarrativeNote);

}  // namespace
}  // namespace cdiscan::nlp
