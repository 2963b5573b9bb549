// The engine's hot operations. Every function here dispatches at run time to the best variant the CPU
// supports (AVX-512, AVX2, scalar); each variant exists as a scalar reference too (see kernel_variants.h).
//
// Determinism contract (the engine's batch invariance rests on it): every output element is computed with a
// reduction order that depends only on the weight matrix and the vector length, never on m, on the row range,
// on which other rows are computed, or on the number of threads.
#pragma once

#include <cstdint>

#include "engine/kernels/weight_matrix.h"

namespace r1eval::engine::kernels {

// What enters matmul's products from x.
//  - Float32: x as it is (the reference numerics; what the golden tests hold the engine to).
//  - Bfloat16: every input element is rounded to bfloat16 (nearest even; float32 subnormals become zero) before it
//    multiplies a weight; for FP8 weights the element is rounded after its block scale is applied to it. With BF16
//    or FP8 weights every product is then exact and only the float32 sums round, and on CPUs with AVX512_BF16
//    and AVX512_VBMI (bf16_dot_products_supported in kernel_variants.h) the products run as vdpbf16ps pairs at twice
//    the FMA rate. The results are approximate (bf16 keeps 8 significant bits), deterministic in the same sense as
//    Float32.
enum class MatmulInputs : std::uint8_t { Float32, Bfloat16 };
// "f32" or "bf16": the mode's name wherever it is typed or recorded (the --activations option, run identities,
// backend provenance).
constexpr const char* matmul_inputs_name(MatmulInputs inputs) {
  return inputs == MatmulInputs::Bfloat16 ? "bf16" : "f32";
}

// y[i*ldy + (r - row_begin)] = sum_c x[i*ldx + c] * W[r, c]   for i < m, row_begin <= r < row_end.
// x is float32 [m, W.cols]. Uses all OpenMP threads when the work is large enough.
struct MatmulArgs {
  const WeightMatrix* w = nullptr;
  const float* x = nullptr;
  std::int64_t m = 1;
  std::int64_t ldx = 0;  // 0 means W.cols
  float* y = nullptr;
  std::int64_t ldy = 0;  // 0 means row_end - row_begin
  std::int64_t row_begin = 0;
  std::int64_t row_end = -1;  // -1 means W.rows
  MatmulInputs inputs = MatmulInputs::Float32;
};
void matmul(const MatmulArgs& args);

// Transposed product over a band of rows:
// y[i*ldy + c] = sum_{r=row_begin}^{row_end-1} x[i*ldx + (r - row_begin)] * W[r, c]   for every column c.
// Used for MLA weight absorption (q_nope through W_UK) without a transposed copy of kv_b_proj.
struct MatmulTransposedArgs {
  const WeightMatrix* w = nullptr;
  const float* x = nullptr;
  std::int64_t m = 1;
  std::int64_t ldx = 0;  // 0 means row_end - row_begin
  float* y = nullptr;
  std::int64_t ldy = 0;  // 0 means W.cols
  std::int64_t row_begin = 0;
  std::int64_t row_end = -1;  // -1 means W.rows
};
void matmul_transposed(const MatmulTransposedArgs& args);

// out[c] = W[row, c] dequantized to float32 (embedding lookup).
void dequantize_row(const WeightMatrix& w, std::int64_t row, float* out);

// Single-threaded vector helpers (callers parallelize over tokens/heads).
float dot(const float* a, const float* b, std::int64_t n);
// y += alpha * x
void axpy(float alpha, const float* x, float* y, std::int64_t n);
// out = x * (mean(x^2) + eps)^-1/2 * weight  (out may alias x)
void rms_norm(const float* x, const float* weight, float eps, std::int64_t n, float* out);
// out[i] = silu(gate[i]) * up[i]  (out may alias gate or up)
void silu_mul(const float* gate, const float* up, std::int64_t n, float* out);
// The numerators of a numerically stable softmax, in place: x[i] = exp(x[i] - max) with max the largest x[i].
// Returns that max and the float32 sum of the results ({-inf, 0} when n = 0). Dividing by the sum gives the
// softmax; keeping both lets softmaxes over pieces of a row be combined (latent_attention does, per cache chunk).
struct SoftmaxNumerators {
  float max;
  float sum;
};
SoftmaxNumerators softmax_numerators(float* x, std::int64_t n);

}  // namespace r1eval::engine::kernels
