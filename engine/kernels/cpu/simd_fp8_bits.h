// E4M3FN bytes (zero-extended to 16-bit lanes) -> IEEE binary16 bits of value/256, for vcvtph2ps.
//
// Why binary16: E4M3's exponent field sits one-to-one inside binary16's (bias 7 vs 15, so the f16 value is the fp8
// value times 2^-8), and binary16 has subnormals in the right place, so fp8 subnormals need no special path and no
// float32 denormal ever reaches an arithmetic unit. The 2^8 is folded into the block scale by the caller.
// Codes 0x7F/0xFF (NaN) become 0xFFFF, a binary16 NaN.
//
// Include only from a translation unit compiled with AVX2 (or AVX-512) flags. Internal linkage: see element_decode.h.
#pragma once

#include <immintrin.h>

namespace r1eval::engine::kernels::cpu {
namespace {

// t = code << 7 puts the exponent and mantissa where binary16 wants them and the sign one bit too low (bit 14,
// which must end up 0); adding bit 14 to itself carries the sign into bit 15 and clears bit 14.
inline __m128i fp8_to_f16_bits(__m128i bytes_as_u16) {
  const __m128i t = _mm_slli_epi16(bytes_as_u16, 7);
  const __m128i bits = _mm_add_epi16(t, _mm_and_si128(t, _mm_set1_epi16(0x4000)));
  const __m128i nan = _mm_cmpeq_epi16(_mm_and_si128(t, _mm_set1_epi16(0x3F80)), _mm_set1_epi16(0x3F80));
  return _mm_or_si128(bits, nan);
}

inline __m256i fp8_to_f16_bits(__m256i bytes_as_u16) {
  const __m256i t = _mm256_slli_epi16(bytes_as_u16, 7);
  const __m256i bits = _mm256_add_epi16(t, _mm256_and_si256(t, _mm256_set1_epi16(0x4000)));
  const __m256i nan = _mm256_cmpeq_epi16(_mm256_and_si256(t, _mm256_set1_epi16(0x3F80)), _mm256_set1_epi16(0x3F80));
  return _mm256_or_si256(bits, nan);
}

}  // namespace
}  // namespace r1eval::engine::kernels::cpu
