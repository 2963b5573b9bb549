// The AVX-512 traits type for simd_kernels_impl.h and simd_bf16_dot_impl.h (16 float lanes; needs
// avx512f/bw/vl/dq, fma, f16c). Included by avx512_kernels.cpp and avx512_bf16_kernels.cpp only, each compiled with
// its own flags (internal linkage: see element_decode.h).
// GCC 12's AVX-512 intrinsics use _mm512_undefined_*() and then trip -Wuninitialized inside the header itself
// (GCC bug 105593, fixed in GCC 13); the warning is about the header, not the including files.
#pragma once

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstdint>

#include "engine/kernels/cpu/simd_fp8_bits.h"

namespace r1eval::engine::kernels::cpu {
namespace {

struct Avx512 {
  using V = __m512;
  using M = __mmask16;
  static constexpr std::int64_t kLanes = 16;
  // Weight rows per fused matmul tile for 1..8 input rows, and the panel matmul's tile: accumulators, weight
  // vectors and one input vector stay within 32 zmm registers. Up to 8 rows the fused tile beats the panel's
  // decoded copy (small-preset experts, one core: FP8 m = 6 fused 67-75 GFLOP/s, m = 8 fused 63-79 vs panel 53-56);
  // from 9 rows on the tile no longer fits and spills (FP8 m = 10 fused: 35).
  static constexpr int kPanelMinRows = 9;
  static constexpr int kMatmulRowBlock[kPanelMinRows] = {0, 8, 6, 4, 4, 4, 3, 3, 3};
  static constexpr int kGemmRows = 4;
  static constexpr int kGemmInputs = 6;
  // matmul_transposed's tile: 2 column vectors x 8 inputs (FP8: 6, with as many partial sums) within the registers.
  static constexpr int kTransposedInputs[2] = {8, 6};

  static V zero() { return _mm512_setzero_ps(); }
  static V set1(float value) { return _mm512_set1_ps(value); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V sub(V a, V b) { return _mm512_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static V div(V a, V b) { return _mm512_div_ps(a, b); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V min(V a, V b) { return _mm512_min_ps(a, b); }
  static V max(V a, V b) { return _mm512_max_ps(a, b); }
  static V round(V a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static V pow2i(V n) {
    const __m512i biased = _mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127));
    return _mm512_castsi512_ps(_mm512_slli_epi32(biased, 23));
  }
  static M less(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
  static M greater(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
  static M unordered(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q); }
  static V select(M mask, V if_true, V if_false) { return _mm512_mask_blend_ps(mask, if_false, if_true); }

  // Reduction trees: (lane k + lane k+8), then the AVX2 tree on the 8-lane result.
  static float hsum(V v) {
    const __m256 lo = _mm512_castps512_ps256(v);
    const __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
    const __m256 s8 = _mm256_add_ps(lo, hi);
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
  // hsum of four vectors at once, each by exactly hsum's tree (so bit-identical to it): the same lane pairs are
  // added, with the four vectors packed side by side so that each add and shuffle serves all of them.
  static void hsum4(V a, V b, V c, V d, float* out) {
    // (k + k+8): 128-bit quarters 0,1 plus 2,3 of each vector; a and b share a register, c and d another.
    const V ab = _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0)),
                               _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
    const V cd = _mm512_add_ps(_mm512_shuffle_f32x4(c, d, _MM_SHUFFLE(1, 0, 1, 0)),
                               _mm512_shuffle_f32x4(c, d, _MM_SHUFFLE(3, 2, 3, 2)));
    // (k + k+4): one 128-bit quarter per vector, in the order a, b, c, d.
    V s = _mm512_add_ps(_mm512_shuffle_f32x4(ab, cd, _MM_SHUFFLE(2, 0, 2, 0)),
                        _mm512_shuffle_f32x4(ab, cd, _MM_SHUFFLE(3, 1, 3, 1)));
    s = _mm512_add_ps(s, _mm512_permute_ps(s, _MM_SHUFFLE(3, 2, 3, 2)));  // (k + k+2), as movehl
    s = _mm512_add_ps(s, _mm512_movehdup_ps(s));                          // (0 + 1), as movehdup
    _mm_storeu_ps(out, _mm512_castps512_ps128(_mm512_maskz_compress_ps(0x1111, s)));
  }
  static float hmax(V v) {
    const __m256 lo = _mm512_castps512_ps256(v);
    const __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
    const __m256 s8 = _mm256_max_ps(lo, hi);
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }

  static V load_bf16(const std::uint8_t* p) {
    const __m512i wide = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return _mm512_castsi512_ps(_mm512_slli_epi32(wide, 16));
  }
  static V load_f16(const std::uint8_t* p) {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
  static V load_fp8(const std::uint8_t* p) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return _mm512_cvtph_ps(fp8_to_f16_bits(_mm256_cvtepu8_epi16(bytes)));
  }
  static void load2_fp8(const std::uint8_t* p, V& lo, V& hi) {
    const __m512i u16 = _mm512_cvtepu8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    // As fp8_to_f16_bits in simd_fp8_bits.h, on 32 lanes.
    const __m512i t = _mm512_slli_epi16(u16, 7);
    const __m512i bits = _mm512_add_epi16(t, _mm512_and_si512(t, _mm512_set1_epi16(0x4000)));
    const __mmask32 nan =
        _mm512_cmpeq_epi16_mask(_mm512_and_si512(t, _mm512_set1_epi16(0x3F80)), _mm512_set1_epi16(0x3F80));
    const __m512i half = _mm512_mask_blend_epi16(nan, bits, _mm512_set1_epi32(-1));
    lo = _mm512_cvtph_ps(_mm512_castsi512_si256(half));
    hi = _mm512_cvtph_ps(_mm512_extracti64x4_epi64(half, 1));
  }
};


}  // namespace
}  // namespace r1eval::engine::kernels::cpu
