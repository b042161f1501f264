// The ids a run has seen, for rejecting duplicates (a note id given twice in one extract), in
// a fixed 16 bytes an id rather than a copy of it: a nightly extract has millions of notes,
// and FHIR ids are 36-byte UUIDs (a std::string of one costs 80 bytes and an allocation).
//
// An id is kept as a 128-bit fingerprint made of two unrelated 64-bit hashes (absl::Hash and
// FNV-1a), so two different ids are taken for one with a probability of about n^2 / 2^129:
// for ten million ids, below 10^-25.
//
// Thread safety: none; one thread inserts.
#ifndef CDISCAN_ENGINE_SEEN_IDS_H_
#define CDISCAN_ENGINE_SEEN_IDS_H_

#include <cstddef>

#include "absl/container/flat_hash_set.h"
#include "absl/numeric/int128.h"
#include "absl/strings/string_view.h"

namespace cdiscan::engine {

class SeenIds {
 public:
  // True if `id` had not been seen; remembers it.
  bool Insert(absl::string_view id);
  bool Contains(absl::string_view id) const;
  size_t size() const { return fingerprints_.size(); }

 private:
  static absl::uint128 Fingerprint(absl::string_view id);

  absl::flat_hash_set<absl::uint128> fingerprints_;
};

}  // namespace cdiscan::engine

#endif  // CDISCAN_ENGINE_SEEN_IDS_H_
