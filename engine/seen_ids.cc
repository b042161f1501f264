#include "engine/seen_ids.h"

#include "absl/hash/hash.h"
#include "base/stable_hash.h"

namespace cdiscan::engine {

absl::uint128 SeenIds::Fingerprint(absl::string_view id) {
  const uint64_t high = absl::Hash<absl::string_view>()(id);
  const uint64_t low = StableHasher().Add(id).value();
  return absl::MakeUint128(high, low);
}

bool SeenIds::Insert(absl::string_view id) { return fingerprints_.insert(Fingerprint(id)).second; }

bool SeenIds::Contains(absl::string_view id) const {
  return fingerprints_.contains(Fingerprint(id));
}

}  // namespace cdiscan::engine
