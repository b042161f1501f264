#include "base/stable_hash.h"

#include "absl/strings/str_format.h"

namespace cdiscan {
namespace {
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;
}  // namespace

StableHasher& StableHasher::Add(absl::string_view part) {
  for (unsigned char c : part) {
    state_ ^= c;
    state_ *= kFnvPrime;
  }
  state_ ^= 0xff;
  state_ *= kFnvPrime;
  return *this;
}

StableHasher& StableHasher::Add(uint64_t number) {
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(number >> (8 * i));
  return Add(absl::string_view(bytes, 8));
}

std::string StableHasher::Hex() const { return absl::StrFormat("%016x", state_); }

}  // namespace cdiscan
