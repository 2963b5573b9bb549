// The AVX2 + FMA + F16C variant (8 float lanes). Compiled with R1EVAL_AVX2_FLAGS; selected only on CPUs that have them.
#include <immintrin.h>

#include <cstdint>

#include "engine/kernels/cpu/simd_fp8_bits.h"

namespace r1eval::engine::kernels::cpu {
namespace {

struct Avx2 {
  using V = __m256;
  using M = __m256;
  static constexpr std::int64_t kLanes = 8;
  // Weight rows per fused matmul tile for 1..3 input rows, and the panel matmul's tile: accumulators, weight
  // vectors and one input vector stay within 16 ymm registers.
  static constexpr int kPanelMinRows = 4;
  static constexpr int kMatmulRowBlock[kPanelMinRows] = {0, 4, 3, 2};
  static constexpr int kGemmRows = 3;
  static constexpr int kGemmInputs = 4;
  // matmul_transposed's tile: 2 column vectors x 4 inputs (FP8: 2, with as many partial sums) within the registers.
  static constexpr int kTransposedInputs[2] = {4, 2};

  static V zero() { return _mm256_setzero_ps(); }
  static V set1(float value) { return _mm256_set1_ps(value); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V sub(V a, V b) { return _mm256_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  static V div(V a, V b) { return _mm256_div_ps(a, b); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V min(V a, V b) { return _mm256_min_ps(a, b); }
  static V max(V a, V b) { return _mm256_max_ps(a, b); }
  static V round(V a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static V pow2i(V n) {
    const __m256i biased = _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127));
    return _mm256_castsi256_ps(_mm256_slli_epi32(biased, 23));
  }
  static M less(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
  static M greater(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
  static M unordered(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_UNORD_Q); }
  static V select(M mask, V if_true, V if_false) { return _mm256_blendv_ps(if_false, if_true, mask); }

  // Reduction trees: (lane k + lane k+4), then (k + k+2), then (0 + 1).
  static float hsum(V v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
  static float hmax(V v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }

  static V load_bf16(const std::uint8_t* p) {
    const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
  }
  static V load_f16(const std::uint8_t* p) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  static V load_fp8(const std::uint8_t* p) {
    const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
    return _mm256_cvtph_ps(fp8_to_f16_bits(_mm_cvtepu8_epi16(bytes)));
  }
  static void load2_fp8(const std::uint8_t* p, V& lo, V& hi) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m256i half = fp8_to_f16_bits(_mm256_cvtepu8_epi16(bytes));
    lo = _mm256_cvtph_ps(_mm256_castsi256_si128(half));
    hi = _mm256_cvtph_ps(_mm256_extracti128_si256(half, 1));
  }
};

}  // namespace
}  // namespace r1eval::engine::kernels::cpu

#include "engine/kernels/cpu/simd_kernels_impl.h"

namespace r1eval::engine::kernels::cpu {
constinit const KernelTable kAvx2Table = make_table<Avx2>();
}  // namespace r1eval::engine::kernels::cpu
