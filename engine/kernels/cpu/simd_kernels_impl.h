// The SIMD kernels, written once over a traits type S that wraps one instruction set's intrinsics.
// avx2_kernels.cpp and avx512_kernels.cpp each define S inside an unnamed namespace and include this file, so every
// function here is instantiated with internal linkage, compiled with that file's flags only (see element_decode.h).
//
// S provides: V (a float vector), M (a comparison mask), kLanes, kPanelMinRows (input rows from which matmul decodes
// weights into panels), kMatmulRowBlock[m] (weight rows per fused matmul tile for m < kPanelMinRows), kGemmRows x
// kGemmInputs (the panel matmul's register tile), kTransposedInputs[fp8] (input rows per matmul_transposed tile:
// other dtypes, FP8), and static functions zero, set1, load, store, add, sub, mul, div, fma(a,b,c)=a*b+c, min, max,
// round (to nearest), pow2i (2^n for integer-valued n in [-126,127]), less, greater, unordered, select(mask,t,f),
// hsum and hmax (fixed reduction trees; optionally hsum4, four hsums at once), and load/load2 for each stored dtype
// (load2 reads 2*kLanes elements; for F8_E4M3 the loads return value/256, see simd_fp8_bits.h).
//
// Determinism: matmul's reduction order is fixed per output element (simd_matmul_impl.h), whatever the tile shape or
// schedule, so results do not depend on m, on the row range or on threads. matmul_transposed and the elementwise
// helpers compute every output lane with the same operation sequence as the scalar tail, so the column partition
// does not matter either.
#pragma once

#include <cstdint>
#include <cstring>

#include "engine/kernels/cpu/kernel_table.h"
#include "engine/kernels/cpu/simd_decode_impl.h"
#include "engine/kernels/cpu/simd_matmul_impl.h"

namespace r1eval::engine::kernels::cpu {
namespace {

using weights::DType;

// ---------------------------------------------------------------------------------------------------------------
// matmul_transposed: y = x · W[band, :]

// Rows of the band are taken in chunks [rb, re): for other dtypes than FP8, every output lane continues its one
// sequential sum from the previous chunk (stored in y), so chunking changes no result while each chunk of weight
// rows stays in cache for all columns and input rows. FP8 takes the whole band as one chunk.
constexpr std::int64_t kTransposedRowChunk = 64;

// Within a chunk, the rows that share one weight row block (FP8) or the whole chunk (other dtypes).
template <class D>
std::int64_t band_piece_end(const TransposedJob& job, std::int64_t r0, std::int64_t re) {
  if constexpr (!D::kBlockScaled) {
    return re;
  } else {
    return min_i64(re, (r0 / job.w.block + 1) * job.w.block);
  }
}

template <class D>
float piece_scale(const TransposedJob& job, std::int64_t r0, std::int64_t c) {
  if constexpr (!D::kBlockScaled) {
    return 1.0f;
  } else {
    return job.w.scale_inv[(r0 / job.w.block) * job.w.scale_cols + c / job.w.block] * kFp8ScaleFactor;
  }
}

// NV vectors of columns starting at c (all inside one column block) for MB input rows, band rows [rb, re).
template <class S, class D, int NV, int MB>
void transposed_tile(const TransposedJob& job, std::int64_t c, std::int64_t i, std::int64_t rb, std::int64_t re) {
  using V = typename S::V;
  constexpr std::int64_t L = S::kLanes;
  const WeightView& w = job.w;
  const bool first = rb == job.band_begin;
  V total[NV][MB];
#pragma GCC unroll 16
  for (int v = 0; v < NV; ++v) {
#pragma GCC unroll 16
    for (int ii = 0; ii < MB; ++ii) total[v][ii] = first ? S::zero() : S::load(job.y + (i + ii) * job.ldy + c + v * L);
  }
  for (std::int64_t r0 = rb; r0 < re;) {
    const std::int64_t r1 = band_piece_end<D>(job, r0, re);
    V partial[NV][MB];
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) {
#pragma GCC unroll 16
      for (int ii = 0; ii < MB; ++ii) partial[v][ii] = D::kBlockScaled ? S::zero() : total[v][ii];
    }
    for (std::int64_t r = r0; r < r1; ++r) {
      const std::uint8_t* p = w.data + (r * w.cols + c) * D::kSize;
      V wv[NV];
      if constexpr (NV == 2) {
        D::load2(p, wv[0], wv[1]);
      } else {
        wv[0] = D::load(p);
      }
#pragma GCC unroll 16
      for (int ii = 0; ii < MB; ++ii) {
        const V xb = S::set1(job.x[(i + ii) * job.ldx + (r - job.band_begin)]);
#pragma GCC unroll 16
        for (int v = 0; v < NV; ++v) partial[v][ii] = S::fma(xb, wv[v], partial[v][ii]);
      }
    }
    const V scale = S::set1(piece_scale<D>(job, r0, c));
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) {
#pragma GCC unroll 16
      for (int ii = 0; ii < MB; ++ii) {
        total[v][ii] = D::kBlockScaled ? S::fma(partial[v][ii], scale, total[v][ii]) : partial[v][ii];
      }
    }
    r0 = r1;
  }
#pragma GCC unroll 16
  for (int ii = 0; ii < MB; ++ii) {
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) S::store(job.y + (i + ii) * job.ldy + c + v * L, total[v][ii]);
  }
}

// One column, one input row: the lane computation of transposed_tile written out in scalar form.
template <class D>
void transposed_column(const TransposedJob& job, std::int64_t c, std::int64_t i, std::int64_t rb, std::int64_t re) {
  const WeightView& w = job.w;
  float total = rb == job.band_begin ? 0.0f : job.y[i * job.ldy + c];
  for (std::int64_t r0 = rb; r0 < re;) {
    const std::int64_t r1 = band_piece_end<D>(job, r0, re);
    float partial = D::kBlockScaled ? 0.0f : total;
    for (std::int64_t r = r0; r < r1; ++r) {
      const float x = job.x[i * job.ldx + (r - job.band_begin)];
      partial = fma_f32(x, D::scalar(w.data + (r * w.cols + c) * D::kSize), partial);
    }
    total = D::kBlockScaled ? fma_f32(partial, piece_scale<D>(job, r0, c), total) : partial;
    r0 = r1;
  }
  job.y[i * job.ldy + c] = total;
}

// Input rows S::kTransposedInputs[FP8] at a time: each decoded weight vector serves all of them (FP8 needs fewer,
// its per-block partial sums take registers of their own).
template <class S, class D, int NV>
void transposed_tiles(const TransposedJob& job, std::int64_t c, std::int64_t rb, std::int64_t re) {
  constexpr int kInputs = S::kTransposedInputs[D::kBlockScaled ? 1 : 0];
  for (std::int64_t i = 0; i < job.m; i += kInputs) {
    with_tile_shape<1, kInputs>(1, min_i64(kInputs, job.m - i),
                                [&]<int, int M>() { transposed_tile<S, D, NV, M>(job, c, i, rb, re); });
  }
}

template <class S>
void matmul_transposed_cols(const TransposedJob& job, std::int64_t c_begin, std::int64_t c_end) {
  constexpr std::int64_t L = S::kLanes;
  with_dtype(job.w.dtype, [&]<DType kDType>() {
    using D = Decoder<S, kDType>;
    const std::int64_t segment = D::kBlockScaled ? job.w.block : job.w.cols;
    const std::int64_t chunk = D::kBlockScaled ? job.band_end - job.band_begin : kTransposedRowChunk;
    std::int64_t rb = job.band_begin;
    do {  // at least once: an empty band still writes its zeros
      const std::int64_t re = min_i64(job.band_end, rb + chunk);
      for (std::int64_t s0 = c_begin; s0 < c_end;) {
        const std::int64_t s1 = min_i64(c_end, (s0 / segment + 1) * segment);
        std::int64_t c = s0;
        for (; c + 2 * L <= s1; c += 2 * L) transposed_tiles<S, D, 2>(job, c, rb, re);
        for (; c + L <= s1; c += L) transposed_tiles<S, D, 1>(job, c, rb, re);
        for (; c < s1; ++c) {
          for (std::int64_t i = 0; i < job.m; ++i) transposed_column<D>(job, c, i, rb, re);
        }
        s0 = s1;
      }
      rb = re;
    } while (rb < job.band_end);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Vector helpers

// Applies fn (vector -> vector over loaded inputs) to n elements; the ragged end goes through a padded buffer so
// that every element sees exactly the same operations. 'pad' fills the unused lanes of the inputs.
template <class S, int NIn, class Fn>
void elementwise(const float* const (&in)[NIn], float* out, std::int64_t n, float pad, Fn&& fn) {
  using V = typename S::V;
  constexpr std::int64_t L = S::kLanes;
  std::int64_t k = 0;
  for (; k + L <= n; k += L) {
    V v[NIn];
    for (int j = 0; j < NIn; ++j) v[j] = S::load(in[j] + k);
    S::store(out + k, fn(v));
  }
  if (k < n) {
    float buffer[NIn][L];
    float result[L];
    V v[NIn];
    for (int j = 0; j < NIn; ++j) {
      for (std::int64_t e = 0; e < L; ++e) buffer[j][e] = k + e < n ? in[j][k + e] : pad;
      v[j] = S::load(buffer[j]);
    }
    S::store(result, fn(v));
    for (std::int64_t e = 0; k + e < n; ++e) out[k + e] = result[e];
  }
}

// exp with ~1 ulp error (Cephes-style range reduction and polynomial). Below -87.34 it returns 0 (the true value is
// at most 2^-126), above 88.376 it returns +inf, NaN stays NaN.
template <class S>
typename S::V vexp(typename S::V x) {
  using V = typename S::V;
  const V lo = S::set1(-87.3365447505531f);
  const V hi = S::set1(88.3762626647949f);
  const V xc = S::min(S::max(x, lo), hi);
  const V n = S::round(S::mul(xc, S::set1(1.44269504088896341f)));
  V r = S::fma(n, S::set1(-0.693359375f), xc);
  r = S::fma(n, S::set1(2.12194440e-4f), r);
  V p = S::set1(1.9875691500e-4f);
  p = S::fma(p, r, S::set1(1.3981999507e-3f));
  p = S::fma(p, r, S::set1(8.3334519073e-3f));
  p = S::fma(p, r, S::set1(4.1665795894e-2f));
  p = S::fma(p, r, S::set1(1.6666665459e-1f));
  p = S::fma(p, r, S::set1(5.0000001201e-1f));
  p = S::fma(p, S::mul(r, r), S::add(r, S::set1(1.0f)));
  V result = S::mul(p, S::pow2i(n));
  result = S::select(S::less(x, lo), S::zero(), result);
  result = S::select(S::greater(x, hi), S::set1(__builtin_inff()), result);
  return S::select(S::unordered(x, x), x, result);
}

// Sum of a[k]*b[k] (or a[k]*a[k] when b == a) over four interleaved accumulators, a fixed horizontal tree and a
// sequential scalar tail.
template <class S>
float dot(const float* a, const float* b, std::int64_t n) {
  using V = typename S::V;
  constexpr std::int64_t L = S::kLanes;
  V acc0 = S::zero(), acc1 = S::zero(), acc2 = S::zero(), acc3 = S::zero();
  std::int64_t k = 0;
  for (; k + 4 * L <= n; k += 4 * L) {
    acc0 = S::fma(S::load(a + k), S::load(b + k), acc0);
    acc1 = S::fma(S::load(a + k + L), S::load(b + k + L), acc1);
    acc2 = S::fma(S::load(a + k + 2 * L), S::load(b + k + 2 * L), acc2);
    acc3 = S::fma(S::load(a + k + 3 * L), S::load(b + k + 3 * L), acc3);
  }
  for (; k + L <= n; k += L) acc0 = S::fma(S::load(a + k), S::load(b + k), acc0);
  float tail = 0.0f;
  for (; k < n; ++k) tail = fma_f32(a[k], b[k], tail);
  return S::hsum(S::add(S::add(acc0, acc1), S::add(acc2, acc3))) + tail;
}

template <class S>
void axpy(float alpha, const float* x, float* y, std::int64_t n) {
  const typename S::V a = S::set1(alpha);
  elementwise<S, 2>({x, y}, y, n, 0.0f, [&](const typename S::V* v) { return S::fma(a, v[0], v[1]); });
}

template <class S>
void rms_norm(const float* x, const float* weight, float eps, std::int64_t n, float* out) {
  const float sum_squares = dot<S>(x, x, n);
  const float inv_rms = 1.0f / __builtin_sqrtf(sum_squares / static_cast<float>(n) + eps);
  const typename S::V scale = S::set1(inv_rms);
  elementwise<S, 2>({x, weight}, out, n, 0.0f,
                    [&](const typename S::V* v) { return S::mul(S::mul(v[0], scale), v[1]); });
}

template <class S>
void silu_mul(const float* gate, const float* up, std::int64_t n, float* out) {
  const typename S::V one = S::set1(1.0f);
  elementwise<S, 2>({gate, up}, out, n, 0.0f, [&](const typename S::V* v) {
    const typename S::V denominator = S::add(one, vexp<S>(S::sub(S::zero(), v[0])));
    return S::mul(S::div(v[0], denominator), v[1]);
  });
}

template <class S>
SoftmaxNumerators softmax_numerators(float* x, std::int64_t n) {
  using V = typename S::V;
  constexpr std::int64_t L = S::kLanes;
  constexpr float kMinusInf = -__builtin_inff();
  V max_v = S::set1(kMinusInf);
  std::int64_t k = 0;
  for (; k + L <= n; k += L) max_v = S::max(max_v, S::load(x + k));
  float max_value = S::hmax(max_v);
  for (; k < n; ++k) max_value = x[k] > max_value ? x[k] : max_value;

  // exp(x - max) in place; padding lanes get exp(-inf) = 0 and add nothing to the sum.
  const V max_b = S::set1(max_value);
  V sum_v = S::zero();
  elementwise<S, 1>({x}, x, n, kMinusInf, [&](const V* v) {
    const V e = vexp<S>(S::sub(v[0], max_b));
    sum_v = S::add(sum_v, e);
    return e;
  });
  return {max_value, S::hsum(sum_v)};
}

template <class S>
constexpr KernelTable make_table() {
  return KernelTable{
      .matmul_rows = matmul_rows<S>,
      .matmul_rows_bf16_dot = nullptr,
      .matmul_rows_bf16_pairs = nullptr,
      .matmul_transposed_cols = matmul_transposed_cols<S>,
      .dequantize_row = dequantize_row<S>,
      .dot = dot<S>,
      .axpy = axpy<S>,
      .rms_norm = rms_norm<S>,
      .silu_mul = silu_mul<S>,
      .softmax_numerators = softmax_numerators<S>,
  };
}

}  // namespace
}  // namespace r1eval::engine::kernels::cpu
