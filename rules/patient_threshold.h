// Thresholds that depend on the patient's sex and age (MeasurementPredicate.patient_threshold):
// WHO anemia is hemoglobin < 13 g/dL in men and < 12 in women, the GLIM low BMI is < 20 under 70
// years and < 22 from 70.
//
// When the sex or the age is unknown the threshold cannot be chosen from the record, so every
// threshold the patient could have is a candidate, and the one under which the rule fires less
// wins: a tool that asks physicians questions should err towards silence.
//
// Example:
//   Patient patient = PatientOf(encounter);           // sex unknown, age 74
//   ThresholdChoice choice = ChooseThreshold(predicate, patient, FiringSense::kFiresWhenHeld,
//                                            parameter_lookup);
//   // choice.value == 12 for the hemoglobin example above (holds less than 13)
#ifndef CDISCAN_RULES_PATIENT_THRESHOLD_H_
#define CDISCAN_RULES_PATIENT_THRESHOLD_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "proto/note.pb.h"
#include "proto/rule.pb.h"

namespace cdiscan::rules {

// Whether a rule fires when an indicator predicate holds (missing diagnosis, specificity, query
// options, supporting evidence) or when it does not (the indicators of a clinical-validation
// rule, and anything inside a NONE_OF exclusion, where the sense flips).
enum class FiringSense { kFiresWhenHeld, kFiresWhenNotHeld };

FiringSense Flip(FiringSense sense);

// What a threshold may depend on. ANY_SEX and age 0 mean unknown (Encounter's conventions).
struct Patient {
  PatientSex sex = ANY_SEX;
  int age = 0;
};

// Encounter.sex "male"/"m" and "female"/"f" in any case; everything else ("other", "unknown",
// empty) is unknown, because neither sex-specific threshold can be said to apply.
PatientSex SexFromText(absl::string_view sex);

Patient PatientOf(const Encounter& encounter);

// Every fully known patient (male or female, a definite age) that `known` could be, as far as
// the entries of `predicate` can tell them apart: one representative age per age band.
std::vector<Patient> PossiblePatients(const Patient& known, const MeasurementPredicate& predicate);

// The first entry of `predicate.patient_threshold` that matches a fully known `patient`, or
// nullptr.
const PatientThreshold* MatchingEntry(const MeasurementPredicate& predicate,
                                      const Patient& patient);

// A male or female patient of some age that no entry matches, for the linter; nullopt when the
// entries cover everyone.
std::optional<Patient> UncoveredPatient(const MeasurementPredicate& predicate);

// "male aged 75", "female", "sex unknown, aged 40", "sex and age unknown".
std::string Describe(const Patient& patient);

struct ThresholdChoice {
  double value = 0;
  // Why this threshold, for the rationale: "threshold 13 (male)", "threshold 22 (age 74)",
  // "threshold 12 (sex unknown: the threshold that fires less)".
  std::string explanation;
};

// Resolves a rule parameter name to its value (after site overrides).
using ParameterLookup = std::function<double(const std::string& name, double fallback)>;

// The threshold of `predicate` for `patient`. REQUIRES: predicate.patient_threshold_size() > 0.
// Without `explain`, the explanation is left empty (deciding whether a rule fires does not
// need it, and it was most of the cost of choosing).
ThresholdChoice ChooseThreshold(const MeasurementPredicate& predicate, const Patient& patient,
                                FiringSense sense, const ParameterLookup& parameter,
                                bool explain = true);

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_PATIENT_THRESHOLD_H_
