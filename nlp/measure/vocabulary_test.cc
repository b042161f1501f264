#include "nlp/measure/vocabulary.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace cdiscan::nlp {
namespace {

// CanonicalValue (the extractor's conversion, by unit number) against Canonicalize (by unit
// name) for every key, every unit spelling and none, at values around every bound the
// vocabulary has.
TEST(VocabularyTest, CanonicalValueAgreesWithCanonicalize) {
  const Vocabulary& vocab = Vocabulary::Default();
  int converted = 0;
  for (const Vocabulary::Entry& entry : vocab.entries()) {
    std::vector<double> values = {0, 0.5, 1, 7.4, 38.5, 101.2, 126, 1450, 12400, 1e9};
    for (double bound : {entry.plausible_min, entry.plausible_max}) {
      for (double step : {-1.0, 0.0, 1.0}) values.push_back(bound + step);
    }
    for (const Vocabulary::Implicit& i : entry.implicit) {
      for (double bound : {i.min, i.max}) {
        for (double step : {-0.5, 0.0, 0.5}) values.push_back(bound + step);
      }
    }
    for (double value : values) {
      const absl::StatusOr<double> none = vocab.Canonicalize(entry, value, "");
      const std::optional<double> fast = Vocabulary::CanonicalValue(entry, value, nullptr);
      ASSERT_EQ(fast.has_value(), none.ok()) << entry.key << " " << value;
      if (fast.has_value()) EXPECT_EQ(*fast, *none) << entry.key << " " << value;
      for (const auto& [spelling, unit] : vocab.unit_spellings()) {
        const absl::StatusOr<double> named = vocab.Canonicalize(entry, value, unit.name);
        const std::optional<double> by_id = Vocabulary::CanonicalValue(entry, value, &unit);
        ASSERT_EQ(by_id.has_value(), named.ok()) << entry.key << " " << value << " " << spelling;
        if (!by_id.has_value()) continue;
        EXPECT_EQ(*by_id, *named) << entry.key << " " << value << " " << spelling;
        ++converted;
        EXPECT_TRUE(Vocabulary::IsUnitOf(entry, unit));
      }
      for (const auto& [spelling, unit] : vocab.unit_spellings()) {
        EXPECT_EQ(Vocabulary::IsUnitOf(entry, unit), entry.conversions.contains(unit.name))
            << entry.key << " " << spelling;
      }
    }
  }
  EXPECT_GT(converted, 1000);
}

}  // namespace
}  // namespace cdiscan::nlp
