// The interface between the dispatcher (dispatch.cpp, baseline x86-64) and each kernel variant
// (scalar_kernels.cpp, avx2_kernels.cpp, avx512_kernels.cpp). Arguments arrive validated and with defaults filled in;
// the variant functions are single-threaded and the dispatcher splits work across OpenMP threads.
#pragma once

#include <cstdint>

#include "engine/kernels/kernels.h"
#include "engine/weights/dtype.h"

namespace r1eval::engine::kernels::cpu {

struct WeightView {
  weights::DType dtype = weights::DType::F32;
  const std::uint8_t* data = nullptr;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  const float* scale_inv = nullptr;  // F8_E4M3 only
  std::int64_t block = 128;          // F8_E4M3 only
  std::int64_t scale_cols = 0;       // ceil(cols / block), F8_E4M3 only
  const std::uint16_t* bf16_pairs = nullptr;  // WeightMatrix::bf16_pairs
};

// y[i*ldy + (r - row_begin)] = sum_c x[i*ldx + c] * W[r, c]
struct MatmulJob {
  WeightView w;
  const float* x = nullptr;
  std::int64_t m = 0;
  std::int64_t ldx = 0;
  float* y = nullptr;
  std::int64_t ldy = 0;
  std::int64_t row_begin = 0;
  bool bf16_inputs = false;  // MatmulInputs::Bfloat16 (kernels.h)
};

// y[i*ldy + c] = sum_{band_begin <= r < band_end} x[i*ldx + (r - band_begin)] * W[r, c]
struct TransposedJob {
  WeightView w;
  const float* x = nullptr;
  std::int64_t m = 0;
  std::int64_t ldx = 0;
  float* y = nullptr;
  std::int64_t ldy = 0;
  std::int64_t band_begin = 0;
  std::int64_t band_end = 0;
};

struct KernelTable {
  // Computes the outputs of weight rows [r_begin, r_end) for every one of the job's m input rows.
  void (*matmul_rows)(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end);
  // matmul_rows for bf16_inputs jobs on bf16 dot-product instructions, BF16 and F8_E4M3 weights only; null where
  // the variant has none (then matmul_rows rounds the inputs itself and multiplies in float32).
  void (*matmul_rows_bf16_dot)(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end);
  // matmul_rows_bf16_dot from the weights' bf16_pairs (set for these jobs); null where matmul_rows_bf16_dot is.
  void (*matmul_rows_bf16_pairs)(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end);
  // Computes output columns [c_begin, c_end) for every one of the job's m input rows.
  void (*matmul_transposed_cols)(const TransposedJob& job, std::int64_t c_begin, std::int64_t c_end);
  void (*dequantize_row)(const WeightView& w, std::int64_t row, float* out);
  float (*dot)(const float* a, const float* b, std::int64_t n);
  void (*axpy)(float alpha, const float* x, float* y, std::int64_t n);
  void (*rms_norm)(const float* x, const float* weight, float eps, std::int64_t n, float* out);
  void (*silu_mul)(const float* gate, const float* up, std::int64_t n, float* out);
  SoftmaxNumerators (*softmax_numerators)(float* x, std::int64_t n);  // n > 0
};

extern const KernelTable kScalarTable;
extern const KernelTable kAvx2Table;
extern const KernelTable kAvx512Table;
// kAvx512Table's matmul_rows_bf16_dot and matmul_rows_bf16_pairs, in a translation unit of their own
// (avx512_bf16_kernels.cpp).
void avx512_matmul_rows_bf16_dot(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end);
void avx512_matmul_rows_bf16_pairs(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end);

}  // namespace r1eval::engine::kernels::cpu
