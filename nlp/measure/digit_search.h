// The first ASCII digit of a text from a position on, 16 bytes at a time (SSE2 where
// available): what memchr is for one byte, for the ten digits. The measurement extractor uses
// it to skip the words of a line that no number follows (a value is always a number written
// after its name on the same line), which is a quarter or more of a typical note.
//
// Thread safety: stateless.
#ifndef CDISCAN_NLP_MEASURE_DIGIT_SEARCH_H_
#define CDISCAN_NLP_MEASURE_DIGIT_SEARCH_H_

#include <cstddef>

namespace cdiscan::nlp {

// The offset of the first byte in data[pos, n) that is '0'..'9', or n if there is none.
size_t FindDigit(const char* data, size_t pos, size_t n);

}  // namespace cdiscan::nlp

#endif  // CDISCAN_NLP_MEASURE_DIGIT_SEARCH_H_
