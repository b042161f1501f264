// The measurement vocabulary: canonical keys, canonical units, unit spellings and conversions,
// LOINC codes and plausible ranges, compiled from nlp/measure/data/analytes.textproto (embedded
// in the binary). Note text and structured observations both go through it, so "Na 126",
// "sodium 126 mEq/L" and LOINC 2951-2 all become key "sodium" in mmol/L.
//
// Example:
//   const Vocabulary& vocab = Vocabulary::Default();
//   const Vocabulary::Entry* na = vocab.FindKey("sodium");
//   absl::StatusOr<double> v = vocab.ToCanonical(*na, 126, "mEq/L");      // 126
//   const Vocabulary::Entry* cr = vocab.FindLoinc("2160-0");              // creatinine
//   absl::StatusOr<double> c = vocab.ToCanonical(*cr, 203, "umol/L");     // 2.30 mg/dL
//
// Thread safety: immutable after construction; every method is const and thread-safe.
#ifndef CDISCAN_NLP_MEASURE_VOCABULARY_H_
#define CDISCAN_NLP_MEASURE_VOCABULARY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace cdiscan::nlp {

class Vocabulary {
 public:
  struct Unit {
    std::string name;  // "mg/dL"
    bool weak = false;  // this spelling is also a common word ("in", "f"): see vocabulary.proto
    int id = 0;  // the unit's number, the same for all its spellings (Entry::conversion_by_unit)
  };

  // canonical = value * factor + offset; a factor of 0 (which no conversion has) is none.
  using Conversion = std::pair<double, double>;

  struct Implicit {
    double min = 0;
    double max = 0;
    std::string unit;  // unit name
    Conversion conversion;  // the entry's conversion from `unit`
  };

  struct Entry {
    std::string key;
    std::string canonical_unit;  // "" for unitless keys (INR, pH, GCS)
    double plausible_min = 0;
    double plausible_max = 0;
    bool unit_required = false;
    bool allow_range = false;
    bool oxygen_qualifier = false;
    // unit name -> canonical = value * factor + offset; includes the canonical unit (1, 0).
    absl::flat_hash_map<std::string, std::pair<double, double>> conversions;
    // The same by Unit::id, a factor of 0 where `conversions` has none (the extractor asks
    // for every value; a hash of the unit's name had cost more than the rest of converting it).
    std::vector<Conversion> conversion_by_unit;
    std::vector<Implicit> implicit;
    // Multi-key aliases ("bp" -> sbp, dbp): indexes into entries(); empty for ordinary keys.
    std::vector<int> components;
    uint32_t min_components = 0;
    // Words that, before the alias on its line, make the value another thing ("vbg" for the
    // arterial gas keys), unless one of unless_after ("abg") stands between; lowercase.
    std::vector<std::string> not_after;
    std::vector<std::string> unless_after;

    bool is_composite() const { return !components.empty(); }
  };

  // The vocabulary built from the embedded data file. Built once, on first use; a broken data
  // file is a build-time bug, so this aborts with the parse error (tests catch it).
  static const Vocabulary& Default();

  // Parses a textproto in the nlp/measure/vocabulary.proto format and validates it (every unit
  // referenced exists, components name existing keys, ranges are ordered).
  static absl::StatusOr<std::unique_ptr<Vocabulary>> FromTextproto(absl::string_view text);

  Vocabulary(const Vocabulary&) = delete;
  Vocabulary& operator=(const Vocabulary&) = delete;

  const std::vector<Entry>& entries() const { return entries_; }

  // The first entry for `key` (several entries may share a key, e.g. troponin and
  // high-sensitivity troponin aliases); nullptr if unknown.
  const Entry* FindKey(absl::string_view key) const;
  // The entry a LOINC code maps onto; nullptr if the code is not in the vocabulary.
  const Entry* FindLoinc(absl::string_view code) const;
  // Entry index for a normalized alias ("na+"), -1 for a stop phrase, nullopt-like -2 if
  // unknown. Runs of spaces in `alias` must already be single spaces.
  int FindAlias(absl::string_view alias) const;
  // The unit a spelling denotes ("meq/l" -> mmol/L). Case-insensitive; accepts unit names and
  // UCUM codes listed as spellings ("10*3/uL"). nullptr if unknown.
  const Unit* FindUnit(absl::string_view spelling) const;

  // All aliases (entry index or -1 for stop phrases), for the extractor's matcher.
  const absl::flat_hash_map<std::string, int>& aliases() const { return aliases_; }
  // All unit spellings, for the extractor's matcher.
  const absl::flat_hash_map<std::string, Unit>& unit_spellings() const { return units_; }

  // Converts `value` written in unit `unit_name` (a Unit::name, or "" when none was written)
  // to the canonical unit of `entry` and checks plausibility. Errors say why the value is not
  // usable: kInvalidArgument for a unit that does not fit the key or a missing required unit,
  // kOutOfRange for an implausible value.
  absl::StatusOr<double> Canonicalize(const Entry& entry, double value,
                                      absl::string_view unit_name) const;

  // True if `unit` (one of unit_spellings()) is a unit of `entry`: it has a conversion.
  static bool IsUnitOf(const Entry& entry, const Unit& unit) {
    return entry.conversion_by_unit[unit.id].first != 0;
  }

  // As Canonicalize(entry, value, unit == nullptr ? "" : unit->name), without saying why a
  // value is not usable (nullopt where Canonicalize returns an error): for the extractor, which
  // converts every value of every note and keeps the reason only for `cdiscan facts
  // --dropped`. Formatting it cost ~1,000 instructions per implausible value. `unit` is one of
  // unit_spellings().
  static std::optional<double> CanonicalValue(const Entry& entry, double value, const Unit* unit);

  // As Canonicalize, but `unit` is a spelling as exported ("mEq/L", "10*3/uL", "[degF]").
  absl::StatusOr<double> ToCanonical(const Entry& entry, double value,
                                     absl::string_view unit) const;

 private:
  Vocabulary() = default;

  std::vector<Entry> entries_;
  absl::flat_hash_map<std::string, int> by_key_;
  absl::flat_hash_map<std::string, int> by_loinc_;
  absl::flat_hash_map<std::string, int> aliases_;
  absl::flat_hash_map<std::string, Unit> units_;        // spelling -> unit
  absl::flat_hash_map<std::string, std::string> unit_names_;  // lowercase name -> name
  absl::flat_hash_map<std::string, Unit> unit_by_name_;       // name -> unit
};

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_MEASURE_VOCABULARY_H_
