#include "nlp/measure/digit_search.h"

#include <bit>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cdiscan::nlp {

size_t FindDigit(const char* data, size_t pos, size_t n) {
#if defined(__SSE2__)
  // A digit d becomes -128 + (d - '0') after adding 128 - '0' (with wraparound), below
  // -128 + 10; every other byte lands at or above that (a signed compare, which SSE2 has).
  const __m128i to_digits = _mm_set1_epi8(static_cast<char>(128 - '0'));
  const __m128i digits_below = _mm_set1_epi8(static_cast<char>(-128 + 10));
  for (; pos + 16 <= n; pos += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
    const __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(bytes, to_digits), digits_below);
    const auto mask = static_cast<uint32_t>(_mm_movemask_epi8(digit));
    if (mask != 0) return pos + static_cast<size_t>(std::countr_zero(mask));
  }
#endif
  for (; pos < n; ++pos) {
    if (data[pos] >= '0' && data[pos] <= '9') return pos;
  }
  return n;
}

}  // namespace cdiscan::nlp
