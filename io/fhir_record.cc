#include "io/fhir_record.h"

#include <simdjson.h>

#include <optional>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/clinical_time.h"

namespace cdiscan::io {
namespace {

namespace dom = simdjson::dom;

absl::string_view View(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// The string at a path of object keys, or "" when any step is missing or not the right type.
std::string_view StringAt(dom::element element, std::initializer_list<const char*> path) {
  for (const char* key : path) {
    dom::object object;
    if (element.get_object().get(object) != simdjson::SUCCESS) return {};
    if (object.at_key(key).get(element) != simdjson::SUCCESS) return {};
  }
  std::string_view out;
  if (element.get_string().get(out) != simdjson::SUCCESS) return {};
  return out;
}

std::optional<dom::element> At(dom::element element, const char* key) {
  dom::object object;
  if (element.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  dom::element child;
  if (object.at_key(key).get(child) != simdjson::SUCCESS) return std::nullopt;
  return child;
}

// The elements of an array member; empty when it is missing or not an array (a
// default-constructed dom::array cannot be iterated).
std::vector<dom::element> ArrayAt(dom::element element, const char* key) {
  std::vector<dom::element> out;
  std::optional<dom::element> child = At(element, key);
  dom::array array;
  if (!child.has_value() || child->get_array().get(array) != simdjson::SUCCESS) return out;
  for (dom::element item : array) out.push_back(item);
  return out;
}

absl::Status Missing(absl::string_view element) {
  return absl::InvalidArgumentError(absl::StrCat("FHIR element '", element, "': required but missing"));
}

// Role words in document-type or author displays. Order matters: "nurse practitioner" before
// "nurse".
AuthorRole RoleFromWords(absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (absl::StrContains(lower, "nurse practitioner")) return NURSE_PRACTITIONER;
  if (absl::StrContains(lower, "physician assistant")) return PHYSICIAN_ASSISTANT;
  if (absl::StrContains(lower, "nurs")) return NURSE;
  if (absl::StrContains(lower, "dietitian") || absl::StrContains(lower, "nutrition")) {
    return DIETITIAN;
  }
  if (absl::StrContains(lower, "therap")) return THERAPIST;
  if (absl::StrContains(lower, "physician")) return PHYSICIAN;
  return AUTHOR_ROLE_UNSPECIFIED;
}

std::optional<PatientClass> ClassFromCode(absl::string_view code) {
  if (code == "IMP" || code == "ACUTE" || code == "NONAC" || code == "PRENC") return INPATIENT;
  if (code == "OBSENC") return OBSERVATION;
  if (code == "EMER") return EMERGENCY;
  if (code == "AMB" || code == "HH" || code == "VR" || code == "FLD" || code == "SS") {
    return OUTPATIENT;
  }
  return std::nullopt;
}

}  // namespace

std::string FhirReferenceId(absl::string_view reference) {
  if (absl::ConsumePrefix(&reference, "urn:uuid:")) return std::string(reference);
  const size_t slash = reference.rfind('/');
  if (slash != absl::string_view::npos) reference.remove_prefix(slash + 1);
  return std::string(reference);
}

std::string HtmlToText(absl::string_view html) {
  std::string out;
  out.reserve(html.size());
  size_t i = 0;
  const size_t n = html.size();
  auto skip_until = [&](absl::string_view closing) {
    const std::string lower = absl::AsciiStrToLower(html.substr(i));
    const size_t found = lower.find(closing.data(), 0, closing.size());
    i = found == std::string::npos ? n : i + found + closing.size();
  };
  while (i < n) {
    const char c = html[i];
    if (c == '<') {
      if (html.substr(i, 4) == "<!--") {
        skip_until("-->");
        continue;
      }
      const size_t close = html.find('>', i);
      if (close == absl::string_view::npos) break;
      std::string tag = absl::AsciiStrToLower(html.substr(i + 1, close - i - 1));
      i = close + 1;
      absl::string_view name = tag;
      absl::ConsumePrefix(&name, "/");
      name = name.substr(0, name.find_first_of(" \t\r\n/"));
      if (tag == "script" || absl::StartsWith(tag, "script ")) {
        skip_until("</script>");
      } else if (tag == "style" || absl::StartsWith(tag, "style ")) {
        skip_until("</style>");
      } else if (name == "br" || name == "p" || name == "div" || name == "li" || name == "tr" ||
                 name == "table" || name == "ul" || name == "ol" || name == "pre" ||
                 (name.size() == 2 && name[0] == 'h' && absl::ascii_isdigit(name[1]))) {
        if (!out.empty() && out.back() != '\n') out.push_back('\n');
      } else if (name == "td" || name == "th") {
        out.push_back('\t');
      }
      continue;
    }
    if (c == '&') {
      const size_t semi = html.find(';', i);
      if (semi != absl::string_view::npos && semi - i <= 10) {
        absl::string_view entity = html.substr(i + 1, semi - i - 1);
        std::string decoded;
        if (entity == "amp") decoded = "&";
        else if (entity == "lt") decoded = "<";
        else if (entity == "gt") decoded = ">";
        else if (entity == "quot") decoded = "\"";
        else if (entity == "apos") decoded = "'";
        else if (entity == "nbsp") decoded = " ";
        else if (absl::ConsumePrefix(&entity, "#")) {
          uint32_t code = 0;
          const bool ok = (absl::ConsumePrefix(&entity, "x") || absl::ConsumePrefix(&entity, "X"))
                              ? absl::SimpleHexAtoi(entity, &code)
                              : absl::SimpleAtoi(entity, &code);
          if (ok && code > 0 && code < 0x110000 && !(code >= 0xD800 && code < 0xE000)) {
            // UTF-8 encode.
            if (code < 0x80) {
              decoded.push_back(static_cast<char>(code));
            } else if (code < 0x800) {
              decoded.push_back(static_cast<char>(0xC0 | (code >> 6)));
              decoded.push_back(static_cast<char>(0x80 | (code & 0x3F)));
            } else if (code < 0x10000) {
              decoded.push_back(static_cast<char>(0xE0 | (code >> 12)));
              decoded.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
              decoded.push_back(static_cast<char>(0x80 | (code & 0x3F)));
            } else {
              decoded.push_back(static_cast<char>(0xF0 | (code >> 18)));
              decoded.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
              decoded.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
              decoded.push_back(static_cast<char>(0x80 | (code & 0x3F)));
            }
          }
        }
        if (!decoded.empty()) {
          out += decoded;
          i = semi + 1;
          continue;
        }
      }
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

int AgeAt(absl::string_view birth_date, absl::string_view at) {
  absl::CivilDay birth;
  if (!absl::ParseCivilTime(birth_date.substr(0, 10), &birth)) return 0;
  std::optional<absl::Time> when = ParseClinicalTime(at);
  if (!when.has_value()) return 0;
  const absl::CivilDay day = absl::ToCivilDay(*when, absl::UTCTimeZone());
  int age = static_cast<int>(day.year() - birth.year());
  if (day.month() < birth.month() || (day.month() == birth.month() && day.day() < birth.day())) {
    --age;
  }
  return age < 0 ? 0 : age;
}

struct FhirDecoder::Impl {
  dom::parser parser;
  absl::StatusOr<dom::element> Parse(absl::string_view json) {
    dom::element root;
    if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS ||
        !root.is_object()) {
      return absl::InvalidArgumentError("not a JSON object");
    }
    return root;
  }
};

FhirDecoder::FhirDecoder() : impl_(std::make_unique<Impl>()) {}
FhirDecoder::~FhirDecoder() = default;

absl::StatusOr<std::string> FhirDecoder::ResourceType(absl::string_view json) {
  absl::StatusOr<dom::element> root = impl_->Parse(json);
  if (!root.ok()) return root.status();
  std::string_view type = StringAt(*root, {"resourceType"});
  if (type.empty()) return Missing("resourceType");
  return std::string(type);
}

absl::Status FhirDecoder::DecodeDocumentReference(absl::string_view json, Note* note) {
  note->Clear();
  absl::StatusOr<dom::element> parsed = impl_->Parse(json);
  if (!parsed.ok()) return parsed.status();
  dom::element root = *parsed;
  note->set_note_id(std::string(StringAt(root, {"id"})));
  if (note->note_id().empty()) return Missing("DocumentReference.id");
  note->set_patient_id(FhirReferenceId(View(StringAt(root, {"subject", "reference"}))));
  if (std::optional<dom::element> context = At(root, "context")) {
    for (dom::element encounter : ArrayAt(*context, "encounter")) {
      note->set_encounter_id(FhirReferenceId(View(StringAt(encounter, {"reference"}))));
      if (!note->encounter_id().empty()) break;
    }
  }
  note->set_authored_at(std::string(StringAt(root, {"date"})));
  std::string_view type_text = StringAt(root, {"type", "text"});
  std::string role_words(type_text);
  if (std::optional<dom::element> type = At(root, "type")) {
    for (dom::element coding : ArrayAt(*type, "coding")) {
      std::string_view display = StringAt(coding, {"display"});
      if (type_text.empty() && !display.empty()) type_text = display;
      absl::StrAppend(&role_words, " ", View(display));
    }
  }
  note->set_note_type(std::string(type_text));
  AuthorRole role = RoleFromWords(role_words);
  for (dom::element author : ArrayAt(root, "author")) {
    if (role != AUTHOR_ROLE_UNSPECIFIED) break;
    absl::string_view display = View(StringAt(author, {"display"}));
    role = RoleFromWords(display);
    if (role == AUTHOR_ROLE_UNSPECIFIED &&
        absl::StartsWith(View(StringAt(author, {"reference"})), "Practitioner") &&
        absl::StartsWith(display, "Dr.")) {
      role = PHYSICIAN;
    }
  }
  note->set_author_role(role);

  // Prefer text/plain over text/html when a document carries both renditions.
  std::string_view data;
  bool html = false;
  for (dom::element content : ArrayAt(root, "content")) {
    std::optional<dom::element> attachment = At(content, "attachment");
    if (!attachment.has_value()) continue;
    const std::string type = absl::AsciiStrToLower(View(StringAt(*attachment, {"contentType"})));
    const bool is_plain = absl::StartsWith(type, "text/plain");
    const bool is_html = absl::StartsWith(type, "text/html");
    std::string_view candidate = StringAt(*attachment, {"data"});
    if ((!is_plain && !is_html) || candidate.empty()) continue;
    if (data.empty() || (is_plain && html)) {
      data = candidate;
      html = is_html;
    }
  }
  if (data.empty()) {
    return absl::InvalidArgumentError(
        "FHIR element 'DocumentReference.content': no inline text/plain or text/html attachment "
        "data");
  }
  std::string decoded;
  if (!absl::Base64Unescape(View(data), &decoded)) {
    return absl::InvalidArgumentError(
        "FHIR element 'content.attachment.data': not valid base64");
  }
  if (!simdjson::validate_utf8(decoded.data(), decoded.size())) {
    return absl::InvalidArgumentError(
        "FHIR element 'content.attachment.data': text is not valid UTF-8");
  }
  note->set_text(html ? HtmlToText(decoded) : std::move(decoded));
  return absl::OkStatus();
}

absl::Status FhirDecoder::DecodeEncounter(absl::string_view json, Encounter* encounter) {
  encounter->Clear();
  absl::StatusOr<dom::element> parsed = impl_->Parse(json);
  if (!parsed.ok()) return parsed.status();
  dom::element root = *parsed;
  encounter->set_encounter_id(std::string(StringAt(root, {"id"})));
  if (encounter->encounter_id().empty()) return Missing("Encounter.id");
  encounter->set_patient_id(FhirReferenceId(View(StringAt(root, {"subject", "reference"}))));
  encounter->set_admit_time(std::string(StringAt(root, {"period", "start"})));
  encounter->set_discharge_time(std::string(StringAt(root, {"period", "end"})));
  std::string_view code = StringAt(root, {"class", "code"});
  if (!code.empty()) {
    std::optional<PatientClass> patient_class = ClassFromCode(View(code));
    if (!patient_class.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "FHIR element 'Encounter.class.code': unknown value \"", View(code),
          "\"; expected one of IMP, ACUTE, NONAC, PRENC, OBSENC, EMER, AMB, HH, VR, FLD, SS"));
    }
    encounter->set_patient_class(*patient_class);
  }
  encounter->set_facility(std::string(StringAt(root, {"serviceProvider", "display"})));
  for (dom::element location : ArrayAt(root, "location")) {
    std::string_view display = StringAt(location, {"location", "display"});
    if (!display.empty()) encounter->set_unit(std::string(display));
  }
  return absl::OkStatus();
}

absl::Status FhirDecoder::DecodePatient(absl::string_view json, FhirPatient* patient) {
  absl::StatusOr<dom::element> parsed = impl_->Parse(json);
  if (!parsed.ok()) return parsed.status();
  patient->patient_id = std::string(StringAt(*parsed, {"id"}));
  if (patient->patient_id.empty()) return Missing("Patient.id");
  patient->sex = std::string(StringAt(*parsed, {"gender"}));
  patient->birth_date = std::string(StringAt(*parsed, {"birthDate"}));
  return absl::OkStatus();
}

}  // namespace cdiscan::io
