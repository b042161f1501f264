// A hash that is the same in every run, on every machine and in every build: finding ids are
// stored night to night, so they cannot use absl::Hash (seeded per process).
#ifndef CDISCAN_BASE_STABLE_HASH_H_
#define CDISCAN_BASE_STABLE_HASH_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace cdiscan {

// 64-bit FNV-1a over the parts, each followed by a 0xff separator so ("ab","c") != ("a","bc").
class StableHasher {
 public:
  StableHasher& Add(absl::string_view part);
  StableHasher& Add(uint64_t number);
  uint64_t value() const { return state_; }
  // 16 lowercase hex digits.
  std::string Hex() const;

 private:
  uint64_t state_ = 0xcbf29ce484222325ULL;
};

}  // namespace cdiscan

#endif  // CDISCAN_BASE_STABLE_HASH_H_
