// The scalar reference for every kernel: plain sequential float32 loops, written for clarity. The SIMD variants
// are tested against these, and these against float64 computations. Also the fallback on CPUs without AVX2.
#include <cmath>
#include <cstring>
#include <vector>

#include "engine/kernels/cpu/element_decode.h"
#include "engine/kernels/cpu/kernel_table.h"

namespace r1eval::engine::kernels::cpu {
namespace {

using weights::DType;

// Element c of a stored row, converted to float32 (for F8_E4M3: the fp8 value, before its block scale).
template <DType kDType>
float element(const std::uint8_t* row, std::int64_t c) {
  if constexpr (kDType == DType::F32) {
    float value = 0.0f;
    std::memcpy(&value, row + c * 4, sizeof value);
    return value;
  } else if constexpr (kDType == DType::F8_E4M3) {
    return decode::fp8_e4m3_to_f32(row[c]);
  } else {
    std::uint16_t bits = 0;
    std::memcpy(&bits, row + c * 2, sizeof bits);
    return kDType == DType::BF16 ? decode::bf16_to_f32(bits) : decode::f16_to_f32(bits);
  }
}

std::int64_t element_size(DType dtype) {
  switch (dtype) {
    case DType::F32: return 4;
    case DType::BF16:
    case DType::F16: return 2;
    case DType::F8_E4M3: return 1;
  }
  return 1;
}

const std::uint8_t* row_data(const WeightView& w, std::int64_t r) {
  return w.data + r * w.cols * element_size(w.dtype);
}

float block_scale(const WeightView& w, std::int64_t r, std::int64_t c) {
  return w.scale_inv[(r / w.block) * w.scale_cols + c / w.block];
}

// Calls fn.template operator()<D>() with the job's dtype as a compile-time constant.
template <class Fn>
void with_dtype(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::F32: fn.template operator()<DType::F32>(); return;
    case DType::BF16: fn.template operator()<DType::BF16>(); return;
    case DType::F16: fn.template operator()<DType::F16>(); return;
    case DType::F8_E4M3: fn.template operator()<DType::F8_E4M3>(); return;
  }
}

// FP8: each 'block'-wide run of columns is summed on its own, then multiplied by its scale (as DeepSeek's fp8 GEMM
// does); other dtypes: one sequential sum over all columns.
template <DType kDType>
float row_dot(const WeightView& w, std::int64_t r, const float* x) {
  const std::uint8_t* row = row_data(w, r);
  if constexpr (kDType != DType::F8_E4M3) {
    float sum = 0.0f;
    for (std::int64_t c = 0; c < w.cols; ++c) sum += element<kDType>(row, c) * x[c];
    return sum;
  } else {
    float total = 0.0f;
    for (std::int64_t c0 = 0; c0 < w.cols; c0 += w.block) {
      const std::int64_t c1 = c0 + w.block < w.cols ? c0 + w.block : w.cols;
      float partial = 0.0f;
      for (std::int64_t c = c0; c < c1; ++c) partial += element<kDType>(row, c) * x[c];
      total += partial * block_scale(w, r, c0);
    }
    return total;
  }
}

// x row i as it enters the products: itself, or rounded to bfloat16 into `rounded` (MatmulInputs::Bfloat16; for FP8
// the reference rounds before its block scale, the SIMD variants after: both stay within bf16's rounding error).
const float* input_row(const MatmulJob& job, std::int64_t i, std::vector<float>& rounded) {
  const float* x = job.x + i * job.ldx;
  if (!job.bf16_inputs) return x;
  rounded.resize(static_cast<std::size_t>(job.w.cols));
  for (std::int64_t c = 0; c < job.w.cols; ++c) rounded[static_cast<std::size_t>(c)] = decode::round_to_bf16(x[c]);
  return rounded.data();
}

void matmul_rows(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end) {
  with_dtype(job.w.dtype, [&]<DType kDType>() {
    thread_local std::vector<float> rounded;
    for (std::int64_t i = 0; i < job.m; ++i) {
      const float* x = input_row(job, i, rounded);
      for (std::int64_t r = r_begin; r < r_end; ++r) {
        job.y[i * job.ldy + (r - job.row_begin)] = row_dot<kDType>(job.w, r, x);
      }
    }
  });
}

// FP8: the band is cut at the weight's row-block boundaries (absolute row index); each piece is summed on its
// own and multiplied by its scale.
template <DType kDType>
float column_dot(const TransposedJob& job, std::int64_t c, const float* x) {
  const WeightView& w = job.w;
  if constexpr (kDType != DType::F8_E4M3) {
    float sum = 0.0f;
    for (std::int64_t r = job.band_begin; r < job.band_end; ++r) {
      sum += x[r - job.band_begin] * element<kDType>(row_data(w, r), c);
    }
    return sum;
  } else {
    float total = 0.0f;
    for (std::int64_t r0 = job.band_begin; r0 < job.band_end;) {
      const std::int64_t block_end = (r0 / w.block + 1) * w.block;
      const std::int64_t r1 = block_end < job.band_end ? block_end : job.band_end;
      float partial = 0.0f;
      for (std::int64_t r = r0; r < r1; ++r) partial += x[r - job.band_begin] * element<kDType>(row_data(w, r), c);
      total += partial * block_scale(w, r0, c);
      r0 = r1;
    }
    return total;
  }
}

void matmul_transposed_cols(const TransposedJob& job, std::int64_t c_begin, std::int64_t c_end) {
  with_dtype(job.w.dtype, [&]<DType kDType>() {
    for (std::int64_t i = 0; i < job.m; ++i) {
      for (std::int64_t c = c_begin; c < c_end; ++c) {
        job.y[i * job.ldy + c] = column_dot<kDType>(job, c, job.x + i * job.ldx);
      }
    }
  });
}

void dequantize_row(const WeightView& w, std::int64_t row, float* out) {
  with_dtype(w.dtype, [&]<DType kDType>() {
    const std::uint8_t* data = row_data(w, row);
    for (std::int64_t c = 0; c < w.cols; ++c) {
      float value = element<kDType>(data, c);
      if constexpr (kDType == DType::F8_E4M3) value *= block_scale(w, row, c);
      out[c] = value;
    }
  });
}

float dot(const float* a, const float* b, std::int64_t n) {
  float sum = 0.0f;
  for (std::int64_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

void axpy(float alpha, const float* x, float* y, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

void rms_norm(const float* x, const float* weight, float eps, std::int64_t n, float* out) {
  float sum_squares = 0.0f;
  for (std::int64_t i = 0; i < n; ++i) sum_squares += x[i] * x[i];
  const float inv_rms = 1.0f / std::sqrt(sum_squares / static_cast<float>(n) + eps);
  for (std::int64_t i = 0; i < n; ++i) out[i] = x[i] * inv_rms * weight[i];
}

void silu_mul(const float* gate, const float* up, std::int64_t n, float* out) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

SoftmaxNumerators softmax_numerators(float* x, std::int64_t n) {
  float max_value = x[0];
  for (std::int64_t i = 1; i < n; ++i) max_value = x[i] > max_value ? x[i] : max_value;
  float sum = 0.0f;
  for (std::int64_t i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - max_value);
    sum += x[i];
  }
  return {max_value, sum};
}

}  // namespace

constinit const KernelTable kScalarTable = {
    .matmul_rows = matmul_rows,
    .matmul_rows_bf16_dot = nullptr,
    .matmul_rows_bf16_pairs = nullptr,
    .matmul_transposed_cols = matmul_transposed_cols,
    .dequantize_row = dequantize_row,
    .dot = dot,
    .axpy = axpy,
    .rms_norm = rms_norm,
    .silu_mul = silu_mul,
    .softmax_numerators = softmax_numerators,
};

}  // namespace r1eval::engine::kernels::cpu
