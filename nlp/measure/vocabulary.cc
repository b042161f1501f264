#include "nlp/measure/vocabulary.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/text_format.h"
#include "nlp/measure/vocabulary.pb.h"
#include "tools/embedded_file.h"

namespace cdiscan {
extern const EmbeddedFile kMeasureData[];
}  // namespace cdiscan

namespace cdiscan::nlp {
namespace {

constexpr absl::string_view kAnalytesPath = "nlp/measure/data/analytes.textproto";

// Aliases and spellings are matched against normalized text, where runs of spaces are not
// collapsed; the extractor collapses the matched text before lookup, so keys are collapsed too.
std::string CollapseSpaces(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string Lower(absl::string_view s) { return absl::AsciiStrToLower(CollapseSpaces(s)); }

}  // namespace

absl::StatusOr<std::unique_ptr<Vocabulary>> Vocabulary::FromTextproto(absl::string_view text) {
  measure::Vocabulary proto;
  if (!google::protobuf::TextFormat::ParseFromString(std::string(text), &proto)) {
    return absl::InvalidArgumentError("cannot parse the measurement vocabulary textproto");
  }
  std::unique_ptr<Vocabulary> vocab(new Vocabulary());
  for (const measure::UnitSpelling& unit : proto.unit()) {
    if (vocab->unit_names_.contains(Lower(unit.name()))) {
      return absl::InvalidArgumentError(absl::StrCat("duplicate unit ", unit.name()));
    }
    const int id = static_cast<int>(vocab->unit_by_name_.size());
    vocab->unit_names_[Lower(unit.name())] = unit.name();
    vocab->unit_by_name_[unit.name()] = Unit{unit.name(), false, id};
    for (const std::string& s : unit.spelling()) {
      vocab->units_[Lower(s)] = Unit{unit.name(), false, id};
    }
    for (const std::string& s : unit.weak_spelling()) {
      vocab->units_[Lower(s)] = Unit{unit.name(), true, id};
    }
  }
  auto known_unit = [&](const std::string& name) {
    return name.empty() || vocab->unit_names_.contains(Lower(name));
  };
  for (const measure::Analyte& a : proto.analyte()) {
    const int index = static_cast<int>(vocab->entries_.size());
    Entry e;
    e.key = a.key();
    if (e.key.empty()) return absl::InvalidArgumentError("analyte without key");
    if (!known_unit(a.canonical_unit())) {
      return absl::InvalidArgumentError(
          absl::StrCat(a.key(), ": unknown canonical unit ", a.canonical_unit()));
    }
    e.canonical_unit = a.canonical_unit();
    e.plausible_min = a.plausible_min();
    e.plausible_max = a.plausible_max();
    if (a.component().empty() && e.plausible_min > e.plausible_max) {
      return absl::InvalidArgumentError(absl::StrCat(a.key(), ": plausible_min > plausible_max"));
    }
    e.unit_required = a.unit_required();
    e.allow_range = a.allow_range();
    e.oxygen_qualifier = a.oxygen_qualifier();
    for (const std::string& word : a.not_after()) {
      e.not_after.push_back(absl::AsciiStrToLower(word));
    }
    for (const std::string& word : a.unless_after()) {
      e.unless_after.push_back(absl::AsciiStrToLower(word));
    }
    if (!e.canonical_unit.empty()) e.conversions[e.canonical_unit] = {1.0, 0.0};
    for (const measure::Conversion& c : a.conversion()) {
      if (!known_unit(c.unit()) || c.unit().empty() || c.factor() == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(a.key(), ": bad conversion from '", c.unit(), "'"));
      }
      e.conversions[vocab->unit_names_[Lower(c.unit())]] = {c.factor(), c.offset()};
    }
    for (const measure::ImplicitUnit& i : a.implicit_unit()) {
      if (!e.conversions.contains(i.unit())) {
        return absl::InvalidArgumentError(
            absl::StrCat(a.key(), ": implicit unit ", i.unit(), " has no conversion"));
      }
      e.implicit.push_back(Implicit{i.min(), i.max(), i.unit(), e.conversions.at(i.unit())});
    }
    e.conversion_by_unit.assign(vocab->unit_by_name_.size(), Conversion{0, 0});
    for (const auto& [name, conversion] : e.conversions) {
      auto unit = vocab->unit_by_name_.find(name);
      if (unit != vocab->unit_by_name_.end()) e.conversion_by_unit[unit->second.id] = conversion;
    }
    e.min_components = a.min_components();
    vocab->entries_.push_back(std::move(e));
    vocab->by_key_.try_emplace(a.key(), index);
    for (const std::string& code : a.loinc()) {
      if (!vocab->by_loinc_.try_emplace(code, index).second) {
        return absl::InvalidArgumentError(absl::StrCat("LOINC ", code, " mapped twice"));
      }
    }
    for (const std::string& alias : a.alias()) {
      if (!vocab->aliases_.try_emplace(Lower(alias), index).second) {
        return absl::InvalidArgumentError(absl::StrCat("alias '", alias, "' used twice"));
      }
    }
  }
  // Components refer to keys that may be defined later in the file.
  for (int i = 0; i < proto.analyte_size(); ++i) {
    for (const std::string& key : proto.analyte(i).component()) {
      auto it = vocab->by_key_.find(key);
      if (it == vocab->by_key_.end() || vocab->entries_[it->second].is_composite()) {
        return absl::InvalidArgumentError(
            absl::StrCat(proto.analyte(i).key(), ": component ", key, " is not a simple key"));
      }
      vocab->entries_[i].components.push_back(it->second);
    }
    Entry& e = vocab->entries_[i];
    if (e.is_composite() &&
        (e.min_components < 1 || e.min_components > e.components.size())) {
      return absl::InvalidArgumentError(absl::StrCat(e.key, ": bad min_components"));
    }
  }
  for (const std::string& phrase : proto.stop_phrase()) {
    vocab->aliases_.try_emplace(Lower(phrase), -1);
  }
  return vocab;
}

const Vocabulary& Vocabulary::Default() {
  static const Vocabulary* const kDefault = [] {
    for (const EmbeddedFile* f = kMeasureData; f->path != nullptr; ++f) {
      if (absl::string_view(f->path) != kAnalytesPath) continue;
      absl::StatusOr<std::unique_ptr<Vocabulary>> vocab =
          FromTextproto(absl::string_view(f->data, f->size));
      if (!vocab.ok()) {
        std::fprintf(stderr, "%s: %s\n", f->path, vocab.status().ToString().c_str());
        std::abort();
      }
      return vocab->release();
    }
    std::fprintf(stderr, "measurement vocabulary %s is not embedded\n",
                 std::string(kAnalytesPath).c_str());
    std::abort();
  }();
  return *kDefault;
}

const Vocabulary::Entry* Vocabulary::FindKey(absl::string_view key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : &entries_[it->second];
}

const Vocabulary::Entry* Vocabulary::FindLoinc(absl::string_view code) const {
  auto it = by_loinc_.find(code);
  return it == by_loinc_.end() ? nullptr : &entries_[it->second];
}

int Vocabulary::FindAlias(absl::string_view alias) const {
  auto it = aliases_.find(alias);
  return it == aliases_.end() ? -2 : it->second;
}

const Vocabulary::Unit* Vocabulary::FindUnit(absl::string_view spelling) const {
  const std::string lower = Lower(spelling);
  auto it = units_.find(lower);
  if (it != units_.end()) return &it->second;
  // Unit names ("mg/dL", "C") are accepted from structured data, where they are unambiguous;
  // note text only matches the spellings, because names like "L" or "C" are also flags.
  auto name = unit_names_.find(lower);
  if (name == unit_names_.end()) return nullptr;
  auto unit = unit_by_name_.find(name->second);
  return unit == unit_by_name_.end() ? nullptr : &unit->second;
}

absl::StatusOr<double> Vocabulary::Canonicalize(const Entry& entry, double value,
                                                absl::string_view unit_name) const {
  // A view, not a copy: this runs for every value of every note.
  absl::string_view unit = unit_name;
  if (unit.empty()) {
    for (const Implicit& i : entry.implicit) {
      if (value >= i.min && value <= i.max) {
        unit = i.unit;
        break;
      }
    }
  }
  if (unit.empty() && entry.unit_required) {
    return absl::InvalidArgumentError(absl::StrCat(entry.key, " needs a unit"));
  }
  double canonical = value;
  if (!unit.empty()) {
    auto it = entry.conversions.find(unit);
    if (it == entry.conversions.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unit ", unit, " is not a unit of ", entry.key));
    }
    canonical = value * it->second.first + it->second.second;
  }
  if (canonical < entry.plausible_min || canonical > entry.plausible_max) {
    return absl::OutOfRangeError(absl::StrFormat(
        "%s %g %s is outside the plausible range %g-%g", entry.key, canonical,
        entry.canonical_unit, entry.plausible_min, entry.plausible_max));
  }
  return canonical;
}

std::optional<double> Vocabulary::CanonicalValue(const Entry& entry, double value,
                                                 const Unit* unit) {
  // Canonicalize's steps, with the conversion found by the unit's number rather than its name.
  const Conversion* conversion = nullptr;
  if (unit != nullptr) {
    conversion = &entry.conversion_by_unit[unit->id];
    if (conversion->first == 0) return std::nullopt;  // not a unit of the key
  } else {
    for (const Implicit& i : entry.implicit) {
      if (value >= i.min && value <= i.max) {
        conversion = &i.conversion;
        break;
      }
    }
    if (conversion == nullptr && entry.unit_required) return std::nullopt;
  }
  const double canonical =
      conversion == nullptr ? value : value * conversion->first + conversion->second;
  if (canonical < entry.plausible_min || canonical > entry.plausible_max) return std::nullopt;
  return canonical;
}

absl::StatusOr<double> Vocabulary::ToCanonical(const Entry& entry, double value,
                                               absl::string_view unit) const {
  if (CollapseSpaces(unit).empty()) return Canonicalize(entry, value, "");
  const Unit* u = FindUnit(unit);
  if (u == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("unknown unit '", unit, "'"));
  }
  return Canonicalize(entry, value, u->name);
}

}  // namespace cdiscan::nlp
