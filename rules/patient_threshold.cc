#include "rules/patient_threshold.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace cdiscan::rules {
namespace {

bool Matches(const PatientThreshold& entry, const Patient& patient) {
  if (entry.sex() != ANY_SEX && entry.sex() != patient.sex) return false;
  if (entry.age_at_least() != 0 && patient.age < static_cast<int>(entry.age_at_least())) {
    return false;
  }
  if (entry.age_below() != 0 && patient.age >= static_cast<int>(entry.age_below())) return false;
  return true;
}

// Whether the predicate holds for fewer values under threshold `a` than under `b`.
bool HoldsLess(Comparison comparison, double a, double b) {
  return comparison == LT || comparison == LE ? a < b : a > b;
}

double EntryValue(const PatientThreshold& entry, const ParameterLookup& parameter) {
  return entry.threshold_param().empty() ? entry.threshold()
                                         : parameter(entry.threshold_param(), entry.threshold());
}

}  // namespace

FiringSense Flip(FiringSense sense) {
  return sense == FiringSense::kFiresWhenHeld ? FiringSense::kFiresWhenNotHeld
                                              : FiringSense::kFiresWhenHeld;
}

PatientSex SexFromText(absl::string_view sex) {
  const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(sex));
  if (lower == "male" || lower == "m") return MALE;
  if (lower == "female" || lower == "f") return FEMALE;
  return ANY_SEX;
}

Patient PatientOf(const Encounter& encounter) {
  return Patient{SexFromText(encounter.sex()), std::max(0, encounter.age())};
}

std::vector<Patient> PossiblePatients(const Patient& known, const MeasurementPredicate& predicate) {
  std::vector<PatientSex> sexes;
  if (known.sex == ANY_SEX) {
    sexes = {MALE, FEMALE};
  } else {
    sexes = {known.sex};
  }
  // Entries only change at their age bounds, so one age per band stands for the whole band.
  std::set<int> ages;
  if (known.age > 0) {
    ages.insert(known.age);
  } else {
    ages.insert(1);
    for (const PatientThreshold& entry : predicate.patient_threshold()) {
      if (entry.age_at_least() > 0) ages.insert(static_cast<int>(entry.age_at_least()));
      if (entry.age_below() > 0) ages.insert(static_cast<int>(entry.age_below()));
    }
  }
  std::vector<Patient> patients;
  for (PatientSex sex : sexes) {
    for (int age : ages) patients.push_back(Patient{sex, age});
  }
  return patients;
}

const PatientThreshold* MatchingEntry(const MeasurementPredicate& predicate,
                                      const Patient& patient) {
  for (const PatientThreshold& entry : predicate.patient_threshold()) {
    if (Matches(entry, patient)) return &entry;
  }
  return nullptr;
}

std::optional<Patient> UncoveredPatient(const MeasurementPredicate& predicate) {
  for (const Patient& patient : PossiblePatients(Patient{}, predicate)) {
    if (MatchingEntry(predicate, patient) == nullptr) return patient;
  }
  return std::nullopt;
}

std::string Describe(const Patient& patient) {
  const std::string sex = patient.sex == MALE     ? "male"
                          : patient.sex == FEMALE ? "female"
                                                  : "sex unknown";
  if (patient.age > 0) return absl::StrCat(sex, ", aged ", patient.age);
  return patient.sex == ANY_SEX ? "sex and age unknown" : absl::StrCat(sex, ", age unknown");
}

// The patient as far as `predicate` cares: "male", "age 74", "sex unknown, age 40".
std::string DescribeRelevant(const Patient& patient, const MeasurementPredicate& predicate) {
  bool by_sex = false, by_age = false;
  for (const PatientThreshold& entry : predicate.patient_threshold()) {
    by_sex |= entry.sex() != ANY_SEX;
    by_age |= entry.age_at_least() != 0 || entry.age_below() != 0;
  }
  std::vector<std::string> parts;
  if (by_sex) {
    parts.push_back(patient.sex == MALE     ? "male"
                    : patient.sex == FEMALE ? "female"
                                            : "sex unknown");
  }
  if (by_age) {
    parts.push_back(patient.age > 0 ? absl::StrCat("age ", patient.age) : "age unknown");
  }
  return parts.empty() ? "every patient" : absl::StrJoin(parts, ", ");
}

ThresholdChoice ChooseThreshold(const MeasurementPredicate& predicate, const Patient& patient,
                                FiringSense sense, const ParameterLookup& parameter,
                                bool explain) {
  std::optional<double> chosen;
  bool ambiguous = false;  // the patient could have different thresholds
  for (const Patient& candidate : PossiblePatients(patient, predicate)) {
    const PatientThreshold* entry = MatchingEntry(predicate, candidate);
    // The linter makes the entries cover everyone; a gap left by hand-built rules falls back to
    // the predicate's plain threshold rather than to an arbitrary entry.
    const double value = entry == nullptr ? predicate.threshold() : EntryValue(*entry, parameter);
    if (!chosen.has_value()) {
      chosen = value;
      continue;
    }
    ambiguous |= value != *chosen;
    // Firing less: hold less when holding fires the rule, hold more when holding silences it.
    const bool prefer = sense == FiringSense::kFiresWhenHeld
                            ? HoldsLess(predicate.comparison(), value, *chosen)
                            : HoldsLess(predicate.comparison(), *chosen, value);
    if (prefer) chosen = value;
  }
  ThresholdChoice choice;
  choice.value = chosen.value_or(predicate.threshold());
  if (!explain) return choice;
  const std::string who = DescribeRelevant(patient, predicate);
  choice.explanation =
      ambiguous ? absl::StrFormat("threshold %g (%s: the threshold that fires less)", choice.value,
                                  who)
                : absl::StrFormat("threshold %g (%s)", choice.value, who);
  return choice;
}

}  // namespace cdiscan::rules
