// The SIMD kernels, written once over a traits type S that wraps one instruction set's intrinsics.
// avx2_kernels.cpp and avx512_kernels.cpp each define S inside an unnamed namespace and include this file, so every
// function here is instantiated with internal linkage, compiled with that file's flags only (see element_decode.h).
//
// S provides: V (a float vector), M (a comparison mask), kLanes, kMatmulRowBlock[5] (weight rows per tile for
// 1..8 input rows), and static functions zero, set1, load, store, add, sub, mul, div, fma(a,b,c)=a*b+c, min, max,
// round (to nearest), pow2i (2^n for integer-valued n in [-126,127]), less, greater, unordered, select(mask,t,f),
// hsum and hmax (fixed reduction trees), and load/load2 for each stored dtype (load2 reads 2*kLanes elements;
// for F8_E4M3 the loads return value/256, see simd_fp8_bits.h).
//
// Determinism: every output element of matmul is one accumulator vector over its row's columns in order (per FP8
// column block: lane sums, a fixed horizontal sum, the scalar tail, then times the block scale), whatever the tile
// shape, so results do not depend on m, on the row range or on threads. matmul_transposed and the elementwise
// helpers compute every output lane with the same operation sequence as the scalar tail, so the column partition
// does not matter either.
#pragma once

#include <cstdint>
#include <cstring>

#include "engine/kernels/cpu/element_decode.h"
#include "engine/kernels/cpu/kernel_table.h"

namespace r1eval::kernels::cpu {
namespace {

using weights::DType;

inline std::int64_t min_i64(std::int64_t a, std::int64_t b) { return a < b ? a : b; }
inline float fma_f32(float a, float b, float c) { return __builtin_fmaf(a, b, c); }

// F8_E4M3 loads give value/256 (binary16 domain); scales are multiplied by this to compensate (exactly).
constexpr float kFp8ScaleFactor = 256.0f;

template <class S, DType kDType>
struct Decoder;

template <class S>
struct Decoder<S, DType::F32> {
  using V = typename S::V;
  static constexpr std::int64_t kSize = 4;
  static constexpr bool kBlockScaled = false;
  static V load(const std::uint8_t* p) { return S::load(reinterpret_cast<const float*>(p)); }
  static void load2(const std::uint8_t* p, V& lo, V& hi) {
    lo = load(p);
    hi = load(p + kSize * S::kLanes);
  }
  static float scalar(const std::uint8_t* p) {
    float value = 0.0f;
    std::memcpy(&value, p, sizeof value);
    return value;
  }
};

template <class S>
struct Decoder<S, DType::BF16> {
  using V = typename S::V;
  static constexpr std::int64_t kSize = 2;
  static constexpr bool kBlockScaled = false;
  static V load(const std::uint8_t* p) { return S::load_bf16(p); }
  static void load2(const std::uint8_t* p, V& lo, V& hi) {
    lo = S::load_bf16(p);
    hi = S::load_bf16(p + kSize * S::kLanes);
  }
  static float scalar(const std::uint8_t* p) {
    std::uint16_t bits = 0;
    std::memcpy(&bits, p, sizeof bits);
    return decode::bf16_to_f32(bits);
  }
};

template <class S>
struct Decoder<S, DType::F16> {
  using V = typename S::V;
  static constexpr std::int64_t kSize = 2;
  static constexpr bool kBlockScaled = false;
  static V load(const std::uint8_t* p) { return S::load_f16(p); }
  static void load2(const std::uint8_t* p, V& lo, V& hi) {
    lo = S::load_f16(p);
    hi = S::load_f16(p + kSize * S::kLanes);
  }
  static float scalar(const std::uint8_t* p) {
    std::uint16_t bits = 0;
    std::memcpy(&bits, p, sizeof bits);
    return decode::f16_to_f32(bits);
  }
};

template <class S>
struct Decoder<S, DType::F8_E4M3> {
  using V = typename S::V;
  static constexpr std::int64_t kSize = 1;
  static constexpr bool kBlockScaled = true;
  static V load(const std::uint8_t* p) { return S::load_fp8(p); }
  static void load2(const std::uint8_t* p, V& lo, V& hi) { S::load2_fp8(p, lo, hi); }
  // Same value as the vector lanes: value/256 is exact for every E4M3 code.
  static float scalar(const std::uint8_t* p) { return decode::fp8_e4m3_to_f32(*p) * (1.0f / kFp8ScaleFactor); }
};

template <class Fn>
void with_dtype(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::F32: fn.template operator()<DType::F32>(); return;
    case DType::BF16: fn.template operator()<DType::BF16>(); return;
    case DType::F16: fn.template operator()<DType::F16>(); return;
    case DType::F8_E4M3: fn.template operator()<DType::F8_E4M3>(); return;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// matmul: y = x · Wᵀ

// One tile: weight rows [r, r+RB) against input rows [i, i+MB). Each decoded weight vector is reused MB times.
template <class S, class D, int RB, int MB>
void matmul_tile(const MatmulJob& job, std::int64_t r, std::int64_t i) {
  using V = typename S::V;
  constexpr std::int64_t L = S::kLanes;
  const WeightView& w = job.w;
  const std::uint8_t* wrow[RB];
  const float* xrow[MB];
#pragma GCC unroll 16
  for (int rr = 0; rr < RB; ++rr) wrow[rr] = w.data + (r + rr) * w.cols * D::kSize;
#pragma GCC unroll 16
  for (int ii = 0; ii < MB; ++ii) xrow[ii] = job.x + (i + ii) * job.ldx;

  float total[RB][MB] = {};
  const std::int64_t segment = D::kBlockScaled ? w.block : w.cols;
  for (std::int64_t c0 = 0, block = 0; c0 < w.cols; c0 += segment, ++block) {
    const std::int64_t c1 = min_i64(w.cols, c0 + segment);
    V acc[RB][MB];
    float tail[RB][MB] = {};
#pragma GCC unroll 16
    for (int rr = 0; rr < RB; ++rr) {
#pragma GCC unroll 16
      for (int ii = 0; ii < MB; ++ii) acc[rr][ii] = S::zero();
    }
    std::int64_t c = c0;
    for (; c + 2 * L <= c1; c += 2 * L) {
      V lo[RB], hi[RB];
#pragma GCC unroll 16
      for (int rr = 0; rr < RB; ++rr) D::load2(wrow[rr] + c * D::kSize, lo[rr], hi[rr]);
#pragma GCC unroll 16
      for (int ii = 0; ii < MB; ++ii) {
        const V xv = S::load(xrow[ii] + c);
#pragma GCC unroll 16
        for (int rr = 0; rr < RB; ++rr) acc[rr][ii] = S::fma(lo[rr], xv, acc[rr][ii]);
      }
#pragma GCC unroll 16
      for (int ii = 0; ii < MB; ++ii) {
        const V xv = S::load(xrow[ii] + c + L);
#pragma GCC unroll 16
        for (int rr = 0; rr < RB; ++rr) acc[rr][ii] = S::fma(hi[rr], xv, acc[rr][ii]);
      }
    }
    if (c + L <= c1) {
#pragma GCC unroll 16
      for (int rr = 0; rr < RB; ++rr) {
        const V wv = D::load(wrow[rr] + c * D::kSize);
#pragma GCC unroll 16
        for (int ii = 0; ii < MB; ++ii) acc[rr][ii] = S::fma(wv, S::load(xrow[ii] + c), acc[rr][ii]);
      }
      c += L;
    }
    for (; c < c1; ++c) {
#pragma GCC unroll 16
      for (int rr = 0; rr < RB; ++rr) {
        const float wv = D::scalar(wrow[rr] + c * D::kSize);
#pragma GCC unroll 16
        for (int ii = 0; ii < MB; ++ii) tail[rr][ii] = fma_f32(wv, xrow[ii][c], tail[rr][ii]);
      }
    }
#pragma GCC unroll 16
    for (int rr = 0; rr < RB; ++rr) {
      float scale = 1.0f;
      if constexpr (D::kBlockScaled) scale = w.scale_inv[((r + rr) / w.block) * w.scale_cols + block] * kFp8ScaleFactor;
#pragma GCC unroll 16
      for (int ii = 0; ii < MB; ++ii) {
        const float sum = S::hsum(acc[rr][ii]) + tail[rr][ii];
        total[rr][ii] = D::kBlockScaled ? fma_f32(sum, scale, total[rr][ii]) : sum;
      }
    }
  }
#pragma GCC unroll 16
  for (int ii = 0; ii < MB; ++ii) {
#pragma GCC unroll 16
    for (int rr = 0; rr < RB; ++rr) job.y[(i + ii) * job.ldy + (r + rr - job.row_begin)] = total[rr][ii];
  }
}

template <class S, class D, int MB>
void matmul_row_panel(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end, std::int64_t i) {
  constexpr int RB = S::kMatmulRowBlock[MB];
  std::int64_t r = r_begin;
  for (; r + RB <= r_end; r += RB) matmul_tile<S, D, RB, MB>(job, r, i);
  for (; r < r_end; ++r) matmul_tile<S, D, 1, MB>(job, r, i);
}

// Weight rows are taken in panels that stay in L2 while every block of input rows passes over them.
constexpr std::int64_t kPanelBytes = 256 * 1024;

// Runs input rows [i, i + count) against one panel, count <= MB, as one tile of 'count' rows.
template <class S, class D, int MB>
void matmul_input_block(const MatmulJob& job, std::int64_t p0, std::int64_t p1, std::int64_t i, std::int64_t count) {
  if constexpr (MB > 1) {
    if (count < MB) return matmul_input_block<S, D, MB - 1>(job, p0, p1, i, count);
  }
  matmul_row_panel<S, D, MB>(job, p0, p1, i);
}

template <class S>
void matmul_rows(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end) {
  with_dtype(job.w.dtype, [&]<DType kDType>() {
    using D = Decoder<S, kDType>;
    // FP8 decoding costs more than the multiply-adds, so each decoded vector serves up to 8 input rows;
    // cheaper formats use 4 rows and more weight rows per tile.
    constexpr int kMaxInputRows = D::kBlockScaled ? 8 : 4;
    const std::int64_t row_bytes = job.w.cols * D::kSize;
    std::int64_t panel = row_bytes > 0 ? kPanelBytes / row_bytes : r_end - r_begin;
    panel = panel < 8 ? 8 : panel;
    for (std::int64_t p0 = r_begin; p0 < r_end; p0 += panel) {
      const std::int64_t p1 = min_i64(r_end, p0 + panel);
      for (std::int64_t i = 0; i < job.m; i += kMaxInputRows) {
        matmul_input_block<S, D, kMaxInputRows>(job, p0, p1, i, min_i64(kMaxInputRows, job.m - i));
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// matmul_transposed: y = x · W[band, :]

// The rows of the band that share one weight row block (FP8) or the whole band (other dtypes).
template <class D>
std::int64_t band_piece_end(const TransposedJob& job, std::int64_t r0) {
  if constexpr (!D::kBlockScaled) {
    return job.band_end;
  } else {
    return min_i64(job.band_end, (r0 / job.w.block + 1) * job.w.block);
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

// NV vectors of columns starting at c (all inside one column block) for MB input rows.
template <class S, class D, int NV, int MB>
void transposed_tile(const TransposedJob& job, std::int64_t c, std::int64_t i) {
  using V = typename S::V;
  constexpr std::int64_t L = S::kLanes;
  const WeightView& w = job.w;
  V total[NV][MB];
#pragma GCC unroll 16
  for (int v = 0; v < NV; ++v) {
#pragma GCC unroll 16
    for (int ii = 0; ii < MB; ++ii) total[v][ii] = S::zero();
  }
  for (std::int64_t r0 = job.band_begin; r0 < job.band_end;) {
    const std::int64_t r1 = band_piece_end<D>(job, r0);
    V partial[NV][MB];
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v) {
#pragma GCC unroll 16
      for (int ii = 0; ii < MB; ++ii) partial[v][ii] = S::zero();
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
void transposed_column(const TransposedJob& job, std::int64_t c, std::int64_t i) {
  const WeightView& w = job.w;
  float total = 0.0f;
  for (std::int64_t r0 = job.band_begin; r0 < job.band_end;) {
    const std::int64_t r1 = band_piece_end<D>(job, r0);
    float partial = 0.0f;
    for (std::int64_t r = r0; r < r1; ++r) {
      const float x = job.x[i * job.ldx + (r - job.band_begin)];
      partial = fma_f32(x, D::scalar(w.data + (r * w.cols + c) * D::kSize), partial);
    }
    total = D::kBlockScaled ? fma_f32(partial, piece_scale<D>(job, r0, c), total) : partial;
    r0 = r1;
  }
  job.y[i * job.ldy + c] = total;
}

template <class S, class D, int NV>
void transposed_tiles(const TransposedJob& job, std::int64_t c) {
  std::int64_t i = 0;
  for (; i + 2 <= job.m; i += 2) transposed_tile<S, D, NV, 2>(job, c, i);
  if (i < job.m) transposed_tile<S, D, NV, 1>(job, c, i);
}

template <class S>
void matmul_transposed_cols(const TransposedJob& job, std::int64_t c_begin, std::int64_t c_end) {
  constexpr std::int64_t L = S::kLanes;
  with_dtype(job.w.dtype, [&]<DType kDType>() {
    using D = Decoder<S, kDType>;
    const std::int64_t segment = D::kBlockScaled ? job.w.block : job.w.cols;
    for (std::int64_t s0 = c_begin; s0 < c_end;) {
      const std::int64_t s1 = min_i64(c_end, (s0 / segment + 1) * segment);
      std::int64_t c = s0;
      for (; c + 2 * L <= s1; c += 2 * L) transposed_tiles<S, D, 2>(job, c);
      for (; c + L <= s1; c += L) transposed_tiles<S, D, 1>(job, c);
      for (; c < s1; ++c) {
        for (std::int64_t i = 0; i < job.m; ++i) transposed_column<D>(job, c, i);
      }
      s0 = s1;
    }
  });
}

template <class S>
void dequantize_row(const WeightView& w, std::int64_t row, float* out) {
  constexpr std::int64_t L = S::kLanes;
  with_dtype(w.dtype, [&]<DType kDType>() {
    using D = Decoder<S, kDType>;
    const std::uint8_t* data = w.data + row * w.cols * D::kSize;
    const std::int64_t segment = D::kBlockScaled ? w.block : w.cols;
    for (std::int64_t c0 = 0; c0 < w.cols; c0 += segment) {
      const std::int64_t c1 = min_i64(w.cols, c0 + segment);
      float scale = 1.0f;
      if constexpr (D::kBlockScaled) scale = w.scale_inv[(row / w.block) * w.scale_cols + c0 / w.block] * kFp8ScaleFactor;
      const typename S::V scale_v = S::set1(scale);
      std::int64_t c = c0;
      for (; c + L <= c1; c += L) {
        typename S::V value = D::load(data + c * D::kSize);
        if constexpr (D::kBlockScaled) value = S::mul(value, scale_v);
        S::store(out + c, value);
      }
      for (; c < c1; ++c) out[c] = D::kBlockScaled ? D::scalar(data + c * D::kSize) * scale : D::scalar(data + c * D::kSize);
    }
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
void softmax(float* x, std::int64_t n) {
  using V = typename S::V;
  constexpr std::int64_t L = S::kLanes;
  if (n <= 0) return;
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
  const V inv_sum = S::set1(1.0f / S::hsum(sum_v));
  elementwise<S, 1>({x}, x, n, 0.0f, [&](const V* v) { return S::mul(v[0], inv_sum); });
}

template <class S>
constexpr KernelTable make_table() {
  return KernelTable{
      .matmul_rows = matmul_rows<S>,
      .matmul_transposed_cols = matmul_transposed_cols<S>,
      .dequantize_row = dequantize_row<S>,
      .dot = dot<S>,
      .axpy = axpy<S>,
      .rms_norm = rms_norm<S>,
      .silu_mul = silu_mul<S>,
      .softmax = softmax<S>,
  };
}

}  // namespace
}  // namespace r1eval::kernels::cpu
