// Loads rule packs (textproto), validates them and compiles every term of every rule into one
// immutable matcher.
//
// Example:
//   ASSIGN_OR_RETURN(std::unique_ptr<const RuleLibrary> library, RuleLibrary::LoadBundled());
//   // or RuleLibrary::LoadDirectory("rules/packs")
//
// Authoring errors are reported all at once, each as "file:line:col: rule <id>: message".
// Thread safety: immutable after loading; share it across threads.
#ifndef CDISCAN_RULES_RULE_LIBRARY_H_
#define CDISCAN_RULES_RULE_LIBRARY_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/rule.pb.h"
#include "rules/term_matcher.h"

namespace cdiscan::rules {

// A rule file's path and contents.
struct PackSource {
  std::string path;
  std::string text;
};

class RuleLibrary {
 public:
  // The packs compiled into the binary (rules/packs/**/*.textproto).
  // `site` overrides rule parameters (see SiteConfig in proto/rule.proto); an override naming
  // an unknown rule or parameter is an error, like any authoring error.
  static absl::StatusOr<std::unique_ptr<const RuleLibrary>> LoadBundled(
      const SiteConfig& site = SiteConfig());
  // Every *.textproto below `directory`.
  static absl::StatusOr<std::unique_ptr<const RuleLibrary>> LoadDirectory(
      const std::string& directory, const SiteConfig& site = SiteConfig());
  static absl::StatusOr<std::unique_ptr<const RuleLibrary>> FromSources(
      const std::vector<PackSource>& sources, const SiteConfig& site = SiteConfig());

  RuleLibrary(const RuleLibrary&) = delete;
  RuleLibrary& operator=(const RuleLibrary&) = delete;

  const std::vector<Rule>& rules() const { return rules_; }
  const TermMatcher& matcher() const { return *matcher_; }
  // A rule's own term lists (TermMatcher::TermListId; -1 for a list without patterns).
  struct RuleTermLists {
    int64_t documentation = -1;
    int64_t suppressor = -1;
    int64_t imprecise = -1;
  };
  // Those of rules()[rule_index], found once at load.
  const RuleTermLists& TermListsOf(size_t rule_index) const {
    return rule_term_lists_[rule_index];
  }
  // The term list (TermMatcher::TermListId) of text indicator `indicator` of `rule`, -1 if no
  // pattern belongs to it. Found once at load for the library's own rules; a rule from
  // elsewhere (tests) is looked up by name.
  int64_t TextIndicatorList(const Rule& rule, const Indicator& indicator) const;
  // "electrolytes.sodium@2026.11.0+...": every pack name and version, sorted. Recorded in each
  // finding so output can be traced to the rules that made it.
  const std::string& version() const { return version_; }
  // The pack file a rule came from.
  const std::string& SourceOf(size_t rule_index) const { return rule_sources_[rule_index]; }
  // Measurement and treatment keys that some rule's predicates use, with the sources of the
  // derived ones (a rule on `map` uses sbp and dbp). The scanner keeps only these per note, so
  // memory holds what rules can use and nothing else.
  const absl::flat_hash_set<std::string>& measurement_keys() const { return measurement_keys_; }
  const absl::flat_hash_set<std::string>& treatment_keys() const { return treatment_keys_; }
  // Value of a rule parameter (after site overrides); `fallback` if the rule has none.
  double Parameter(const Rule& rule, const std::string& name, double fallback) const;

 private:
  RuleLibrary() = default;
  // Adds `key`, and when it is derived (nlp/measure/derived_values.h) the keys it is computed
  // from, to measurement_keys_.
  void AddMeasurementKey(const std::string& key);

  std::vector<Rule> rules_;
  std::vector<std::string> rule_sources_;
  std::unique_ptr<TermMatcher> matcher_;
  std::vector<RuleTermLists> rule_term_lists_;  // parallel to rules_
  absl::flat_hash_map<const Indicator*, int64_t> text_indicator_lists_;
  std::string version_;
  absl::flat_hash_set<std::string> measurement_keys_;
  absl::flat_hash_set<std::string> treatment_keys_;
};

// Reads a SiteConfig textproto (`cdiscan scan --site_config=PATH`).
absl::StatusOr<SiteConfig> ReadSiteConfig(const std::string& path);

// Reads every *.textproto below `directory`, sorted by path.
absl::StatusOr<std::vector<PackSource>> ReadPackDirectory(const std::string& directory);

// The packs compiled into the binary.
std::vector<PackSource> BundledPackSources();

}  // namespace cdiscan::rules

#endif  // CDISCAN_RULES_RULE_LIBRARY_H_
