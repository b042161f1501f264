#include "rules/rule_library.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "re2/re2.h"
#include "nlp/measure/derived_values.h"
#include "nlp/measure/vocabulary.h"
#include "proto/note.pb.h"
#include "rules/patient_threshold.h"
#include "rules/query_linter.h"
#include "tools/embedded_file.h"

namespace cdiscan {
extern const EmbeddedFile kBundledRulePacks[];
extern const EmbeddedFile kMeasureData[];
}  // namespace cdiscan

namespace cdiscan::rules {
namespace {

class CollectingErrors : public google::protobuf::io::ErrorCollector {
 public:
  CollectingErrors(const std::string& path, std::vector<std::string>* out)
      : path_(path), out_(out) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    out_->push_back(absl::StrCat(path_, ":", line + 1, ":", column + 1, ": ", message));
  }

 private:
  const std::string& path_;
  std::vector<std::string>* out_;
};

// 1-based line and column of `id: "<rule id>"` in the pack text, for diagnostics.
std::string LocationOf(const PackSource& source, const std::string& rule_id) {
  const std::string needle = absl::StrCat("\"", rule_id, "\"");
  size_t at = source.text.find(needle);
  if (at == std::string::npos) return absl::StrCat(source.path, ":1:1");
  size_t line = std::count(source.text.begin(), source.text.begin() + at, '\n') + 1;
  size_t line_start = source.text.rfind('\n', at);
  size_t column = line_start == std::string::npos ? at + 1 : at - line_start;
  return absl::StrCat(source.path, ":", line, ":", column);
}

// Treatment keys of the treatment lexicon (nlp/measure/data/treatments.textproto), read from
// the embedded data so a rule can only name a treatment the extractor produces.
const absl::flat_hash_set<std::string>& TreatmentKeys() {
  static const auto* const kKeys = [] {
    auto* keys = new absl::flat_hash_set<std::string>();
    for (const EmbeddedFile* file = kMeasureData; file->path != nullptr; ++file) {
      if (!absl::EndsWith(file->path, "treatments.textproto")) continue;
      re2::StringPiece input(file->data, file->size);
      std::string key;
      static const RE2 kTreatmentKey("treatment\\s*\\{\\s*key:\\s*\"([a-z0-9_]+)\"");
      while (RE2::FindAndConsume(&input, kTreatmentKey, &key)) keys->insert(key);
    }
    return keys;
  }();
  return *kKeys;
}

bool IsSnakeCase(const std::string& key) { return RE2::FullMatch(key, "[a-z][a-z0-9_]*"); }

// Every indicator of a rule: required, supporting and those behind query options.
std::vector<const Indicator*> AllIndicators(const Rule& rule) {
  std::vector<const IndicatorGroup*> groups = {&rule.indicators(), &rule.supporting()};
  for (const QueryOption& option : rule.query().option()) groups.push_back(&option.supported_by());
  std::vector<const Indicator*> indicators;
  while (!groups.empty()) {
    const IndicatorGroup* group = groups.back();
    groups.pop_back();
    for (const Indicator& indicator : group->indicator()) indicators.push_back(&indicator);
    for (const IndicatorGroup& child : group->group()) groups.push_back(&child);
  }
  return indicators;
}

using ParseInfoTree = google::protobuf::TextFormat::ParseInfoTree;
using google::protobuf::FieldDescriptor;

// An indicator and where its name is written, for diagnostics that point at it.
struct IndicatorSite {
  const Rule* rule;
  const Indicator* indicator;
  std::string location;  // "file:line:col"
};

const FieldDescriptor* Field(const google::protobuf::Descriptor* message, const char* name) {
  return message->FindFieldByName(name);
}

// "file:line:col" of the index-th value of `field` in `tree`; `fallback` when not recorded.
std::string TreeLocation(const std::string& path, const ParseInfoTree* tree,
                         const FieldDescriptor* field, int index, const std::string& fallback) {
  if (tree == nullptr) return fallback;
  const google::protobuf::TextFormat::ParseLocation at = tree->GetLocation(field, index);
  if (at.line < 0) return fallback;
  return absl::StrCat(path, ":", at.line + 1, ":", at.column + 1);
}

const ParseInfoTree* Nested(const ParseInfoTree* tree, const FieldDescriptor* field, int index) {
  return tree == nullptr ? nullptr : tree->GetTreeForNested(field, index);
}

void CollectSites(const std::string& path, const Rule& rule, const IndicatorGroup& group,
                  const ParseInfoTree* tree, const std::string& fallback,
                  std::vector<IndicatorSite>* out) {
  const auto* group_type = IndicatorGroup::descriptor();
  const FieldDescriptor* indicator_field = Field(group_type, "indicator");
  const FieldDescriptor* group_field = Field(group_type, "group");
  const FieldDescriptor* name_field = Field(Indicator::descriptor(), "name");
  for (int i = 0; i < group.indicator_size(); ++i) {
    const ParseInfoTree* indicator_tree = Nested(tree, indicator_field, i);
    std::string location =
        indicator_tree != nullptr
            ? TreeLocation(path, indicator_tree, name_field, -1,
                           TreeLocation(path, tree, indicator_field, i, fallback))
            : TreeLocation(path, tree, indicator_field, i, fallback);
    out->push_back({&rule, &group.indicator(i), std::move(location)});
  }
  for (int i = 0; i < group.group_size(); ++i) {
    CollectSites(path, rule, group.group(i), Nested(tree, group_field, i), fallback, out);
  }
}

// Every indicator of a rule (required, supporting, behind query options) with its location.
std::vector<IndicatorSite> RuleSites(const std::string& path, const Rule& rule,
                                     const ParseInfoTree* rule_tree, const std::string& fallback) {
  const auto* rule_type = Rule::descriptor();
  std::vector<IndicatorSite> sites;
  CollectSites(path, rule, rule.indicators(), Nested(rule_tree, Field(rule_type, "indicators"), -1),
               fallback, &sites);
  CollectSites(path, rule, rule.supporting(), Nested(rule_tree, Field(rule_type, "supporting"), -1),
               fallback, &sites);
  const ParseInfoTree* query_tree = Nested(rule_tree, Field(rule_type, "query"), -1);
  const FieldDescriptor* option_field = Field(QueryTemplate::descriptor(), "option");
  const FieldDescriptor* supported_field = Field(QueryOption::descriptor(), "supported_by");
  for (int i = 0; i < rule.query().option_size(); ++i) {
    CollectSites(path, rule, rule.query().option(i).supported_by(),
                 Nested(Nested(query_tree, option_field, i), supported_field, -1), fallback,
                 &sites);
  }
  return sites;
}

// What an indicator means, independent of how it is written: parameters resolved to the pack's
// values, the order of text patterns ignored. Two indicators with one name must agree on it.
std::string IndicatorDefinition(const Rule& rule, const Indicator& indicator) {
  auto parameter = [&](const std::string& name, double fallback) {
    for (const RuleParameter& p : rule.parameter()) {
      if (p.name() == name) return p.value();
    }
    return fallback;
  };
  Indicator copy = indicator;
  copy.clear_name();
  if (copy.has_measurement()) {
    MeasurementPredicate* measurement = copy.mutable_measurement();
    if (!measurement->threshold_param().empty()) {
      measurement->set_threshold(parameter(measurement->threshold_param(), measurement->threshold()));
      measurement->clear_threshold_param();
    }
    for (PatientThreshold& entry : *measurement->mutable_patient_threshold()) {
      if (entry.threshold_param().empty()) continue;
      entry.set_threshold(parameter(entry.threshold_param(), entry.threshold()));
      entry.clear_threshold_param();
    }
  }
  if (copy.has_text()) {
    auto* patterns = copy.mutable_text()->mutable_terms()->mutable_pattern();
    std::sort(patterns->begin(), patterns->end());
  }
  google::protobuf::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  std::string text;
  printer.PrintToString(copy, &text);
  return std::string(absl::StripAsciiWhitespace(text));
}

std::string Abbreviated(const std::string& text) {
  constexpr size_t kShown = 100;
  return text.size() <= kShown ? text : absl::StrCat(text.substr(0, kShown), "...");
}

// One indicator name, one predicate, across every rule: the name is the evidence label a
// reviewer reads, and within one rule text indicators of one name share one term list, so a
// second definition would silently use the first one's patterns.
void LintIndicatorNames(const std::vector<IndicatorSite>& sites, std::vector<std::string>* errors) {
  struct First {
    std::string definition;
    const IndicatorSite* site;
  };
  std::map<std::string, First> first_by_name;
  for (const IndicatorSite& site : sites) {
    const std::string definition = IndicatorDefinition(*site.rule, *site.indicator);
    auto [it, inserted] = first_by_name.emplace(site.indicator->name(), First{definition, &site});
    if (inserted || it->second.definition == definition) continue;
    errors->push_back(absl::StrCat(
        site.location, ": rule ", site.rule->id(), ": indicator \"", site.indicator->name(),
        "\" is defined differently at ", it->second.site->location, " (rule ",
        it->second.site->rule->id(), "): one name must mean one predicate; rename one or make "
        "them the same\n    here:  ", Abbreviated(definition), "\n    there: ",
        Abbreviated(it->second.definition)));
  }
}

// Term list names: "<rule_id>/documentation", "<rule_id>/suppressor", "<rule_id>/imprecise".
std::string RuleListName(const Rule& rule, absl::string_view list) {
  return absl::StrCat(rule.id(), "/", list);
}

// The name of the term list of a text indicator; indicators of one name in one rule share it.
std::string TextIndicatorListName(const Rule& rule, const Indicator& indicator) {
  return absl::StrCat(rule.id(), "/indicator/", indicator.name());
}

void CollectTermPatterns(const Rule& rule, std::vector<TermPattern>* out) {
  auto add = [&](const std::string& list, const TermSet& terms) {
    for (const std::string& pattern : terms.pattern()) out->push_back({list, pattern});
  };
  add(RuleListName(rule, "documentation"), rule.documentation());
  for (const SpecificityAxis& axis : rule.specificity()) {
    for (const SpecificityValue& value : axis.value()) {
      add(absl::StrCat(rule.id(), "/specificity/", axis.name(), "/", value.name()), value.terms());
    }
  }
  add(RuleListName(rule, "suppressor"), rule.suppressors());
  add(RuleListName(rule, "imprecise"), rule.imprecise_documentation());
  // Text indicators of option predicates too: an option is shown only when its terms are found.
  // A name used twice in one rule shares one term list, so it is compiled once.
  std::set<std::string> seen;
  for (const Indicator* indicator : AllIndicators(rule)) {
    if (!indicator->has_text()) continue;
    const std::string list = TextIndicatorListName(rule, *indicator);
    if (seen.insert(list).second) add(list, indicator->text().terms());
  }
}

void LintPatientThresholds(const Indicator& indicator, const std::set<std::string>& parameters,
                           std::vector<std::string>* problems) {
  const MeasurementPredicate& predicate = indicator.measurement();
  if (predicate.patient_threshold_size() == 0) return;
  const std::string where = absl::StrCat("indicator \"", indicator.name(), "\": patient_threshold");
  if (predicate.threshold() != 0 || !predicate.threshold_param().empty()) {
    problems->push_back(absl::StrCat(
        where, ": use either threshold / threshold_param or patient_threshold, not both"));
  }
  for (int i = 0; i < predicate.patient_threshold_size(); ++i) {
    const PatientThreshold& entry = predicate.patient_threshold(i);
    if (!entry.threshold_param().empty() && !parameters.count(entry.threshold_param())) {
      problems->push_back(absl::StrCat(where, "[", i, "]: unknown parameter \"",
                                       entry.threshold_param(), "\""));
    }
    if (entry.age_below() != 0 && entry.age_below() <= entry.age_at_least()) {
      problems->push_back(absl::StrCat(where, "[", i, "]: age_below ", entry.age_below(),
                                       " must be above age_at_least ", entry.age_at_least()));
    }
  }
  if (std::optional<Patient> gap = UncoveredPatient(predicate); gap.has_value()) {
    problems->push_back(absl::StrCat(where, ": no entry matches a patient who is ",
                                     Describe(*gap),
                                     "; end with an entry without sex and age as the default"));
  }
}

// Checks that need only the rule itself.
void LintRule(const Rule& rule, std::vector<std::string>* problems) {
  if (!RE2::FullMatch(rule.id(), "[a-z0-9_]+(\\.[a-z0-9_]+)+")) {
    problems->push_back("id: must be dotted snake_case, e.g. \"electrolytes.hyponatremia.missing_dx\"");
  }
  if (!IsSnakeCase(rule.condition())) problems->push_back("condition: required, snake_case key");
  if (rule.kind() == FINDING_KIND_UNSPECIFIED) problems->push_back("kind: required");
  if (rule.status() == RULE_STATUS_UNSPECIFIED) problems->push_back("status: required");
  if (rule.title().empty()) problems->push_back("title: required");
  if (rule.reference_size() == 0) problems->push_back("reference: at least one is required");
  if (rule.documentation().pattern_size() == 0) {
    problems->push_back("documentation: at least one term pattern is required");
  }
  int firing = 0, silent = 0;
  for (const RuleExample& example : rule.example()) (example.should_fire() ? firing : silent)++;
  if (firing < 2 || silent < 2) {
    problems->push_back(absl::StrCat("example: needs at least 2 that fire and 2 that stay silent (has ",
                                     firing, " and ", silent, ")"));
  }
  std::set<std::string> parameters;
  for (const RuleParameter& parameter : rule.parameter()) parameters.insert(parameter.name());
  for (const Indicator* indicator : AllIndicators(rule)) {
    if (indicator->has_measurement() && !indicator->measurement().threshold_param().empty() &&
        !parameters.count(indicator->measurement().threshold_param())) {
      problems->push_back(absl::StrCat("indicator \"", indicator->name(),
                                       "\": unknown parameter \"",
                                       indicator->measurement().threshold_param(), "\""));
    }
    if (indicator->has_measurement()) {
      LintPatientThresholds(*indicator, parameters, problems);
    }
    if (indicator->predicate_case() == Indicator::PREDICATE_NOT_SET) {
      problems->push_back(absl::StrCat("indicator \"", indicator->name(), "\": no predicate"));
    }
    const std::string& key = indicator->has_measurement() ? indicator->measurement().key()
                             : indicator->has_delta()     ? indicator->delta().key()
                                                          : std::string();
    if ((indicator->has_measurement() || indicator->has_delta()) &&
        nlp::Vocabulary::Default().FindKey(key) == nullptr &&
        nlp::FindDerivedKey(key) == nullptr) {
      problems->push_back(absl::StrCat(
          "indicator \"", indicator->name(), "\": unknown measurement key \"", key,
          "\" (see nlp/measure/data/analytes.textproto and nlp/measure/derived_values.h)"));
    }
    if (indicator->has_treatment() && !TreatmentKeys().contains(indicator->treatment().key())) {
      problems->push_back(absl::StrCat("indicator \"", indicator->name(),
                                       "\": unknown treatment key \"", indicator->treatment().key(),
                                       "\" (see nlp/measure/data/treatments.textproto)"));
    }
    if (indicator->has_text() && indicator->text().terms().pattern_size() == 0) {
      problems->push_back(absl::StrCat("indicator \"", indicator->name(), "\": no term patterns"));
    }
  }
  // Unreachable groups: AT_LEAST n of fewer than n members can never hold, so a rule needing
  // it could never fire (or, for clinical validation, never stay silent).
  {
    std::vector<std::pair<std::string, const IndicatorGroup*>> pending = {
        {"indicators", &rule.indicators()}, {"supporting", &rule.supporting()}};
    for (const QueryOption& option : rule.query().option()) {
      pending.push_back({absl::StrCat("option \"", option.text(), "\""), &option.supported_by()});
    }
    while (!pending.empty()) {
      auto [where, group] = pending.back();
      pending.pop_back();
      const int members = group->indicator_size() + group->group_size();
      if (group->mode() == IndicatorGroup::AT_LEAST &&
          (group->at_least() == 0 || static_cast<int>(group->at_least()) > members)) {
        problems->push_back(absl::StrCat(where, ": AT_LEAST ", group->at_least(), " of ", members,
                                         " members can never hold (unreachable rule)"));
      }
      if (group->within_hours() > 0 && (group->mode() == IndicatorGroup::ANY_OF ||
                                        group->mode() == IndicatorGroup::NONE_OF)) {
        problems->push_back(absl::StrCat(
            where, ": within_hours applies to ALL_OF and AT_LEAST groups only (one ANY_OF member "
                   "is always within a window of its own; a NONE_OF exclusion looks at the whole "
                   "encounter)"));
      }
      for (const IndicatorGroup& child : group->group()) pending.push_back({where, &child});
    }
  }
  // A missing-diagnosis rule whose required text indicator is also one of its documentation
  // terms silences itself whenever a provider writes the indicator.
  {
    std::set<std::string> documentation(rule.documentation().pattern().begin(),
                                        rule.documentation().pattern().end());
    for (const Indicator& indicator : rule.indicators().indicator()) {
      if (rule.kind() != MISSING_DIAGNOSIS || !indicator.has_text()) continue;
      for (const std::string& pattern : indicator.text().terms().pattern()) {
        if (documentation.count(pattern)) {
          problems->push_back(absl::StrCat("indicator \"", indicator.name(), "\": pattern \"",
                                           pattern, "\" is also a documentation term"));
        }
      }
    }
  }
  for (const std::string& role : rule.documenting_role()) {
    if (AuthorRole_descriptor()->FindValueByName(role) == nullptr) {
      problems->push_back(absl::StrCat("documenting_role: unknown author role \"", role, "\""));
    }
  }
  if ((rule.kind() == MISSING_DIAGNOSIS || rule.kind() == CLINICAL_VALIDATION) &&
      rule.indicators().indicator_size() == 0 && rule.indicators().group_size() == 0) {
    problems->push_back("indicators: a missing-diagnosis or clinical-validation rule can never "
                        "fire (or never stay silent) without indicators");
  }
  if (rule.kind() == SPECIFICITY && rule.specificity_size() == 0) {
    problems->push_back("specificity: a specificity rule needs at least one axis");
  }
  for (const std::string& problem : LintQueryTemplate(rule)) problems->push_back(problem);
}

}  // namespace

std::vector<PackSource> BundledPackSources() {
  std::vector<PackSource> sources;
  for (const EmbeddedFile* file = kBundledRulePacks; file->path != nullptr; ++file) {
    if (!absl::EndsWith(file->path, ".textproto")) continue;
    sources.push_back({file->path, std::string(file->data, file->size)});
  }
  return sources;
}

absl::StatusOr<std::vector<PackSource>> ReadPackDirectory(const std::string& directory) {
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    return absl::NotFoundError(absl::StrCat(directory, ": not a directory of rule packs"));
  }
  std::vector<PackSource> sources;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory, error)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".textproto") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return absl::NotFoundError(absl::StrCat(entry.path().string(), ": cannot read"));
    sources.push_back({entry.path().string(), text.str()});
  }
  if (error) return absl::NotFoundError(absl::StrCat(directory, ": ", error.message()));
  std::sort(sources.begin(), sources.end(),
            [](const PackSource& a, const PackSource& b) { return a.path < b.path; });
  if (sources.empty()) {
    return absl::NotFoundError(absl::StrCat(directory, ": no *.textproto rule packs"));
  }
  return sources;
}

absl::StatusOr<SiteConfig> ReadSiteConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot read site config"));
  SiteConfig site;
  std::vector<std::string> errors;
  CollectingErrors collector(path, &errors);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  if (!parser.ParseFromString(text.str(), &site)) {
    return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
  }
  return site;
}

absl::StatusOr<std::unique_ptr<const RuleLibrary>> RuleLibrary::LoadBundled(
    const SiteConfig& site) {
  return FromSources(BundledPackSources(), site);
}

absl::StatusOr<std::unique_ptr<const RuleLibrary>> RuleLibrary::LoadDirectory(
    const std::string& directory, const SiteConfig& site) {
  absl::StatusOr<std::vector<PackSource>> sources = ReadPackDirectory(directory);
  if (!sources.ok()) return sources.status();
  return FromSources(*sources, site);
}

absl::StatusOr<std::unique_ptr<const RuleLibrary>> RuleLibrary::FromSources(
    const std::vector<PackSource>& sources, const SiteConfig& site) {
  auto library = std::unique_ptr<RuleLibrary>(new RuleLibrary());
  std::vector<std::string> errors;
  std::vector<std::string> versions;
  std::set<std::string> ids;
  std::vector<TermPattern> patterns;
  // Rules are copied into the library; the sites point at these parsed packs, which live until
  // the name lint below has run.
  std::vector<std::unique_ptr<RulePack>> packs;
  std::vector<IndicatorSite> sites;
  for (const PackSource& source : sources) {
    auto parsed = std::make_unique<RulePack>();
    RulePack& pack = *parsed;
    CollectingErrors collector(source.path, &errors);
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    ParseInfoTree tree;
    parser.WriteLocationsTo(&tree);
    if (!parser.ParseFromString(source.text, &pack)) continue;
    packs.push_back(std::move(parsed));
    const FieldDescriptor* rule_field = Field(RulePack::descriptor(), "rule");
    if (pack.name().empty() || pack.version().empty()) {
      errors.push_back(absl::StrCat(source.path, ":1:1: pack needs a name and a version"));
    }
    versions.push_back(absl::StrCat(pack.name(), "@", pack.version()));
    for (int r = 0; r < pack.rule_size(); ++r) {
      const Rule& rule = pack.rule(r);
      const std::string rule_location = LocationOf(source, rule.id());
      const std::string where = absl::StrCat(rule_location, ": rule ", rule.id());
      for (IndicatorSite& site :
           RuleSites(source.path, rule, tree.GetTreeForNested(rule_field, r), rule_location)) {
        sites.push_back(std::move(site));
      }
      if (!ids.insert(rule.id()).second) errors.push_back(absl::StrCat(where, ": duplicate id"));
      std::vector<std::string> problems;
      LintRule(rule, &problems);
      for (const std::string& problem : problems) errors.push_back(absl::StrCat(where, ": ", problem));
      const size_t first_pattern = patterns.size();
      CollectTermPatterns(rule, &patterns);
      // Check each pattern here, where the rule's location is known; the matcher build below
      // would report it without one.
      for (size_t i = first_pattern; i < patterns.size(); ++i) {
        RE2 check(WholeWordPattern(patterns[i].pattern), RE2::Quiet);
        if (!check.ok()) {
          errors.push_back(absl::StrCat(where, ": ", patterns[i].term_list, ": bad pattern \"",
                                        patterns[i].pattern, "\": ", check.error()));
        }
      }
      for (const Indicator* indicator : AllIndicators(rule)) {
        if (indicator->has_measurement()) {
          library->AddMeasurementKey(indicator->measurement().key());
        }
        if (indicator->has_delta()) library->AddMeasurementKey(indicator->delta().key());
        if (indicator->has_treatment()) library->treatment_keys_.insert(indicator->treatment().key());
      }
      library->rules_.push_back(rule);
      library->rule_sources_.push_back(source.path);
    }
  }
  LintIndicatorNames(sites, &errors);
  // Site overrides replace the pack value of a parameter; everything downstream reads the
  // parameter through the rule, so the override applies to indicators and options alike.
  for (int i = 0; i < site.override_size(); ++i) {
    const ParameterOverride& o = site.override(i);
    const std::string where =
        absl::StrCat("site config ", site.site().empty() ? "" : absl::StrCat("\"", site.site(), "\" "),
                     "override[", i, "]");
    auto rule = std::find_if(library->rules_.begin(), library->rules_.end(),
                             [&](const Rule& r) { return r.id() == o.rule_id(); });
    if (rule == library->rules_.end()) {
      errors.push_back(absl::StrCat(where, ": unknown rule \"", o.rule_id(), "\""));
      continue;
    }
    bool found = false;
    for (RuleParameter& parameter : *rule->mutable_parameter()) {
      if (parameter.name() != o.parameter()) continue;
      parameter.set_value(o.value());
      found = true;
    }
    if (!found) {
      errors.push_back(absl::StrCat(where, ": rule ", o.rule_id(), " has no parameter \"",
                                    o.parameter(), "\""));
    }
  }
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(errors.size(), " rule authoring error(s):\n",
                                                   absl::StrJoin(errors, "\n")));
  }
  absl::StatusOr<std::unique_ptr<TermMatcher>> matcher = TermMatcher::Build(std::move(patterns));
  if (!matcher.ok()) errors.push_back(std::string(matcher.status().message()));
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(errors.size(), " rule authoring error(s):\n",
                                                   absl::StrJoin(errors, "\n")));
  }
  if (library->rules_.empty()) return absl::InvalidArgumentError("no rules loaded");
  library->matcher_ = std::move(matcher).value();
  // Every term list a rule reads, numbered once here rather than by name per evaluation.
  const TermMatcher& terms = *library->matcher_;
  for (const Rule& rule : library->rules_) {
    library->rule_term_lists_.push_back({terms.TermListId(RuleListName(rule, "documentation")),
                                         terms.TermListId(RuleListName(rule, "suppressor")),
                                         terms.TermListId(RuleListName(rule, "imprecise"))});
    for (const Indicator* indicator : AllIndicators(rule)) {
      if (!indicator->has_text()) continue;
      library->text_indicator_lists_[indicator] =
          terms.TermListId(TextIndicatorListName(rule, *indicator));
    }
  }
  std::sort(versions.begin(), versions.end());
  library->version_ = absl::StrJoin(versions, "+");
  return std::unique_ptr<const RuleLibrary>(std::move(library));
}

int64_t RuleLibrary::TextIndicatorList(const Rule& rule, const Indicator& indicator) const {
  auto it = text_indicator_lists_.find(&indicator);
  if (it != text_indicator_lists_.end()) return it->second;
  return matcher_->TermListId(TextIndicatorListName(rule, indicator));
}

void RuleLibrary::AddMeasurementKey(const std::string& key) {
  measurement_keys_.insert(key);
  if (const nlp::DerivedKey* derived = nlp::FindDerivedKey(key)) {
    measurement_keys_.insert(std::string(derived->first_source));
    measurement_keys_.insert(std::string(derived->second_source));
  }
}

double RuleLibrary::Parameter(const Rule& rule, const std::string& name, double fallback) const {
  for (const RuleParameter& parameter : rule.parameter()) {
    if (parameter.name() == name) return parameter.value();
  }
  return fallback;
}

}  // namespace cdiscan::rules
