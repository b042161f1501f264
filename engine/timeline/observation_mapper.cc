#include "engine/timeline/observation_mapper.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "engine/timeline/fhir_observation.pb.h"
#include "google/protobuf/util/json_util.h"

namespace cdiscan::timeline {
namespace {

constexpr absl::string_view kLoinc = "http://loinc.org";

// "Encounter/abc", "urn:uuid:abc", "https://host/fhir/Encounter/abc" -> "abc".
std::string ReferenceId(absl::string_view reference) {
  if (absl::ConsumePrefix(&reference, "urn:uuid:")) return std::string(reference);
  const size_t slash = reference.rfind('/');
  return std::string(slash == absl::string_view::npos ? reference : reference.substr(slash + 1));
}

const fhir::Coding* PreferredCoding(const fhir::CodeableConcept& code) {
  const fhir::Coding* first = nullptr;
  for (const fhir::Coding& c : code.coding()) {
    if (c.system() == kLoinc) return &c;
    if (first == nullptr) first = &c;
  }
  return first;
}

// UCUM code when the quantity says it is UCUM ("10*3/uL"); else the display unit.
std::string QuantityUnit(const fhir::Quantity& q) {
  if (!q.code().empty() && (q.system().empty() || absl::StrContains(q.system(), "unitsofmeasure"))) {
    return q.code();
  }
  return q.unit().empty() ? q.code() : q.unit();
}

std::string Interpretation(const google::protobuf::RepeatedPtrField<fhir::CodeableConcept>& list) {
  for (const fhir::CodeableConcept& c : list) {
    for (const fhir::Coding& coding : c.coding()) {
      if (!coding.code().empty()) return coding.code();
    }
  }
  return "";
}

google::protobuf::util::JsonParseOptions Lenient() {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  return options;
}

}  // namespace

absl::StatusOr<std::vector<Observation>> ParseFhirObservation(absl::string_view json) {
  fhir::Observation resource;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &resource, Lenient());
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("not a FHIR Observation: ", status.ToString()));
  }
  if (resource.resource_type() != "Observation") {
    return absl::InvalidArgumentError(
        absl::StrCat("resourceType is '", resource.resource_type(), "', not Observation"));
  }
  Observation base;
  base.set_observation_id(resource.id());
  base.set_encounter_id(ReferenceId(resource.encounter().reference()));
  base.set_patient_id(ReferenceId(resource.subject().reference()));
  base.set_effective_time(!resource.effective_date_time().empty()
                              ? resource.effective_date_time()
                          : !resource.effective_period().start().empty()
                              ? resource.effective_period().start()
                              : resource.issued());
  if (!resource.reference_range().empty()) {
    base.set_reference_low(resource.reference_range(0).low().value());
    base.set_reference_high(resource.reference_range(0).high().value());
  }
  std::vector<Observation> out;
  if (resource.has_value_quantity()) {
    Observation o = base;
    if (const fhir::Coding* c = PreferredCoding(resource.code())) {
      o.set_code_system(c->system());
      o.set_code(c->code());
      o.set_name(c->display().empty() ? resource.code().text() : c->display());
    }
    o.set_value(resource.value_quantity().value());
    o.set_unit(QuantityUnit(resource.value_quantity()));
    o.set_interpretation(Interpretation(resource.interpretation()));
    out.push_back(std::move(o));
  }
  for (int i = 0; i < resource.component_size(); ++i) {
    const fhir::ObservationComponent& component = resource.component(i);
    if (!component.has_value_quantity()) continue;
    Observation o = base;
    if (!o.observation_id().empty()) o.set_observation_id(absl::StrCat(base.observation_id(), "#", i));
    if (const fhir::Coding* c = PreferredCoding(component.code())) {
      o.set_code_system(c->system());
      o.set_code(c->code());
      o.set_name(c->display());
    }
    o.set_value(component.value_quantity().value());
    o.set_unit(QuantityUnit(component.value_quantity()));
    o.set_interpretation(Interpretation(component.interpretation()));
    out.push_back(std::move(o));
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Observation ", resource.id(), " has no valueQuantity"));
  }
  return out;
}

absl::StatusOr<std::vector<Observation>> ParseObservationLine(absl::string_view json) {
  if (absl::StrContains(json, "\"resourceType\"")) return ParseFhirObservation(json);
  Observation o;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &o, Lenient());
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("not an Observation: ", status.ToString()));
  }
  return std::vector<Observation>{std::move(o)};
}

absl::StatusOr<MappedObservation> MapObservation(const Observation& observation,
                                                 const nlp::Vocabulary& vocabulary) {
  if (!observation.code_system().empty() && observation.code_system() != kLoinc) {
    return absl::NotFoundError(
        absl::StrCat("code system ", observation.code_system(), " is not LOINC"));
  }
  const nlp::Vocabulary::Entry* entry = vocabulary.FindLoinc(observation.code());
  if (entry == nullptr) {
    return absl::NotFoundError(absl::StrCat("LOINC ", observation.code(), " is not mapped"));
  }
  absl::StatusOr<double> value =
      vocabulary.ToCanonical(*entry, observation.value(), observation.unit());
  if (!value.ok()) return value.status();
  return MappedObservation{entry->key, *value, entry->canonical_unit};
}

}  // namespace cdiscan::timeline
