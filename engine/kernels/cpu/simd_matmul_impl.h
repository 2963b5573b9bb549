// matmul (y = x · Wᵀ) for a SIMD traits type S; included by simd_kernels_impl.h (internal linkage, see
// element_decode.h).
//
// What is summed: for FP8, the block scales are folded into the inputs rather than the weights. Within one weight
// row block (the rows sharing a row of scale_inv) every input row is first scaled elementwise,
// xs[c] = x[c] * (scale_inv[row block, c / block] * 256), and the weights enter as the exact decoded value/256
// (simd_fp8_bits.h). That costs K multiplies per input row and row block instead of one per weight element. Other
// dtypes: xs = x and the weights enter as their exact float32 values.
//
// Reduction order, the same for every m, row range and thread split (so a row's result never depends on the batch):
// each output element has one accumulator vector that takes the products of whole vectors of columns in order,
// and one scalar tail that takes the columns left over (K mod lanes) in order; the result is
// hsum(accumulator) + tail.
//
// Two schedules compute exactly that order:
//  - fused (m < S::kPanelMinRows: decoding, and the few rows each expert gets in batched decoding): weights are
//    decoded as they stream in and each decoded vector serves all m input rows; kMatmulRowBlock[m] weight rows
//    share a tile. No decoded copy is written, which is what a handful of rows cannot repay.
//  - panel (m >= S::kPanelMinRows, prefill and large batches): a panel of weight rows is decoded once into
//    thread-local float32 scratch, then register tiles of kGemmRows weight rows × kGemmInputs input rows run over
//    it, so decoding costs once per panel rather than once per few input rows.
#pragma once

#include <cstdint>
#include <type_traits>
#include <vector>

#include "engine/kernels/cpu/kernel_table.h"
#include "engine/kernels/cpu/simd_decode_impl.h"

namespace r1eval::engine::kernels::cpu {
namespace {

// Scratch panel size: it stays in L2 while every block of input rows passes over it.
constexpr std::int64_t kPanelBytes = 192 * 1024;

// Per-thread scratch buffers, grown to the largest size seen and then reused (no allocation in steady state).
enum class Scratch { kPanel, kPreparedInputs };
template <Scratch kWhich>
float* scratch_buffer(std::int64_t count) {
  thread_local std::vector<float> buffer;
  if (static_cast<std::int64_t>(buffer.size()) < count) buffer.resize(static_cast<std::size_t>(count));
  return buffer.data();
}

// The inputs as summed against the weight rows of one row block: {pointer, row stride}.
struct Inputs {
  const float* x;
  std::int64_t ld;
};

// x as it enters the products against the weight rows of one row block: FP8 scales it (see the top of this file),
// MatmulInputs::Bfloat16 rounds it to bfloat16 (after the scale); otherwise x itself.
template <class S, class D>
Inputs prepared_inputs(const MatmulJob& job, std::int64_t row_block) {
  if (!D::kBlockScaled && !job.bf16_inputs) return Inputs{job.x, job.ldx};
  constexpr std::int64_t L = S::kLanes;
  const WeightView& w = job.w;
  const std::int64_t cols = w.cols;
  float* xs = scratch_buffer<Scratch::kPreparedInputs>(job.m * cols);
  const std::int64_t segment = D::kBlockScaled ? w.block : cols;
  for (std::int64_t i = 0; i < job.m; ++i) {
    const float* x = job.x + i * job.ldx;
    float* out = xs + i * cols;
    for (std::int64_t c0 = 0, block = 0; c0 < cols; c0 += segment, ++block) {
      const std::int64_t c1 = min_i64(cols, c0 + segment);
      const float scale = D::kBlockScaled ? w.scale_inv[row_block * w.scale_cols + block] * kFp8ScaleFactor : 1.0f;
      const typename S::V scale_v = S::set1(scale);
      std::int64_t c = c0;
      for (; c + L <= c1; c += L) S::store(out + c, S::mul(S::load(x + c), scale_v));
      for (; c < c1; ++c) out[c] = x[c] * scale;
    }
    if (job.bf16_inputs) {
      for (std::int64_t c = 0; c < cols; ++c) out[c] = decode::round_to_bf16(out[c]);
    }
  }
  return Inputs{xs, cols};
}

// Calls fn(p0, p1, row_block) for the pieces of [r_begin, r_end) that share one row of FP8 block scales.
template <class Fn>
void for_each_scale_row(const WeightView& w, std::int64_t r_begin, std::int64_t r_end, const Fn& fn) {
  for (std::int64_t p0 = r_begin; p0 < r_end;) {
    const std::int64_t p1 = min_i64(r_end, (p0 / w.block + 1) * w.block);
    fn(p0, p1, p0 / w.block);
    p0 = p1;
  }
}

// Calls fn(p0, p1, inputs) for the pieces of [r_begin, r_end) that lie in one FP8 row block (other dtypes: one piece).
template <class S, class D, class Fn>
void for_each_row_block(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end, const Fn& fn) {
  if constexpr (!D::kBlockScaled) {
    fn(r_begin, r_end, prepared_inputs<S, D>(job, 0));
  } else {
    for_each_scale_row(job.w, r_begin, r_end, [&](std::int64_t p0, std::int64_t p1, std::int64_t row_block) {
      fn(p0, p1, prepared_inputs<S, D>(job, row_block));
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Fused schedule

// Weight rows [r, r+RB) against all MB input rows; y[ii * ldy + (r + rr - row_begin)].
template <class S, class D, int RB, int MB>
void fused_tile(const MatmulJob& job, Inputs in, std::int64_t r) {
  using V = typename S::V;
  constexpr std::int64_t L = S::kLanes;
  const WeightView& w = job.w;
  const std::int64_t cols = w.cols;
  const std::uint8_t* wrow[RB];
  const float* xrow[MB];
#pragma GCC unroll 16
  for (int rr = 0; rr < RB; ++rr) wrow[rr] = w.data + (r + rr) * cols * D::kSize;
#pragma GCC unroll 16
  for (int ii = 0; ii < MB; ++ii) xrow[ii] = in.x + ii * in.ld;

  V acc[RB][MB];
#pragma GCC unroll 16
  for (int rr = 0; rr < RB; ++rr) {
#pragma GCC unroll 16
    for (int ii = 0; ii < MB; ++ii) acc[rr][ii] = S::zero();
  }
  const std::uint8_t* next_tile = wrow[0] + RB * cols * D::kSize;
  std::int64_t c = 0;
  for (; c + 2 * L <= cols; c += 2 * L) {
    if constexpr (RB > 1) prefetch_next_tile_share<RB, 2 * L * D::kSize>(next_tile, c * D::kSize);
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
  if (c + L <= cols) {
#pragma GCC unroll 16
    for (int rr = 0; rr < RB; ++rr) {
      const V wv = D::load(wrow[rr] + c * D::kSize);
#pragma GCC unroll 16
      for (int ii = 0; ii < MB; ++ii) acc[rr][ii] = S::fma(wv, S::load(xrow[ii] + c), acc[rr][ii]);
    }
    c += L;
  }
  float tail[RB][MB] = {};
  for (; c < cols; ++c) {
#pragma GCC unroll 16
    for (int rr = 0; rr < RB; ++rr) {
      const float wv = D::scalar(wrow[rr] + c * D::kSize);
#pragma GCC unroll 16
      for (int ii = 0; ii < MB; ++ii) tail[rr][ii] = fma_f32(wv, xrow[ii][c], tail[rr][ii]);
    }
  }
#pragma GCC unroll 16
  for (int ii = 0; ii < MB; ++ii) {
#pragma GCC unroll 16
    for (int rr = 0; rr < RB; ++rr) {
      job.y[ii * job.ldy + (r + rr - job.row_begin)] = S::hsum(acc[rr][ii]) + tail[rr][ii];
    }
  }
}

// Weight rows per fused tile. A lone input row against 2- or 4-byte weights is bound by memory bandwidth, not by
// decoding, and the hardware prefetchers stream one row at a time at full speed, where interleaved loads from several
// rows 2-8 KB apart ran at two thirds of it (measured: 1024x129280 BF16, 31 vs 21 GB/s on 2 Zen 4 cores). FP8
// decoding costs more instructions per byte, so there several rows share each input vector.
template <class S, class D, int MB>
constexpr int fused_row_block() {
  return MB == 1 && D::kSize >= 2 ? 1 : S::kMatmulRowBlock[MB];
}

// All input rows (exactly MB of them) against weight rows [r_begin, r_end).
template <class S, class D, int MB>
void fused_rows(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end) {
  constexpr int RB = fused_row_block<S, D, MB>();
  for_each_row_block<S, D>(job, r_begin, r_end, [&](std::int64_t p0, std::int64_t p1, Inputs in) {
    std::int64_t r = p0;
    for (; r + RB <= p1; r += RB) fused_tile<S, D, RB, MB>(job, in, r);
    for (; r < p1; ++r) fused_tile<S, D, 1, MB>(job, in, r);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Panel schedule

// Row r decoded as the fused schedule sums it (FP8: value/256, no scale).
template <class S, class D>
void decode_row(const WeightView& w, std::int64_t r, float* out) {
  constexpr std::int64_t L = S::kLanes;
  const std::uint8_t* row = w.data + r * w.cols * D::kSize;
  std::int64_t c = 0;
  for (; c + L <= w.cols; c += L) S::store(out + c, D::load(row + c * D::kSize));
  for (; c < w.cols; ++c) out[c] = D::scalar(row + c * D::kSize);
}

// sums[rr] = hsum(acc[rr][ii]) for every weight row of a tile. A full tile of four rows reduces its accumulators
// together where the traits can (hsum4, bit-identical to four hsums): on short rows (K = 256-512) the reductions are
// a large share of a tile's work.
template <class S, int RB, int MB>
void hsum_column(const typename S::V (&acc)[RB][MB], int ii, float (&sums)[RB]) {
  if constexpr (RB == 4 && requires(typename S::V v, float* out) { S::hsum4(v, v, v, v, out); }) {
    S::hsum4(acc[0][ii], acc[1][ii], acc[2][ii], acc[3][ii], sums);
  } else {
#pragma GCC unroll 16
    for (int rr = 0; rr < RB; ++rr) sums[rr] = S::hsum(acc[rr][ii]);
  }
}

// Float32 weight rows w[rr * cols ...] (rr < RB) against input rows x[ii * ldx ...] (ii < MB), with the fused
// schedule's accumulators and tails; y[ii * ldy + rr] = result.
template <class S, int RB, int MB, bool kPrefetch>
void panel_tile(const float* w, std::int64_t cols, const float* x, std::int64_t ldx, float* y, std::int64_t ldy) {
  using V = typename S::V;
  constexpr std::int64_t L = S::kLanes;
  V acc[RB][MB];
#pragma GCC unroll 16
  for (int rr = 0; rr < RB; ++rr) {
#pragma GCC unroll 16
    for (int ii = 0; ii < MB; ++ii) acc[rr][ii] = S::zero();
  }
  // kPrefetch: where the panel is the stored float32 rows themselves (the attention scores over the latent cache),
  // the first block of input rows streams them from memory. A decoded panel is already in L2, and there the
  // prefetches only cost.
  std::int64_t c = 0;
  for (; c + L <= cols; c += L) {
    if constexpr (kPrefetch) prefetch_next_tile_share<RB, L * sizeof(float)>(w + RB * cols, c * sizeof(float));
    V wv[RB];
#pragma GCC unroll 16
    for (int rr = 0; rr < RB; ++rr) wv[rr] = S::load(w + rr * cols + c);
#pragma GCC unroll 16
    for (int ii = 0; ii < MB; ++ii) {
      const V xv = S::load(x + ii * ldx + c);
#pragma GCC unroll 16
      for (int rr = 0; rr < RB; ++rr) acc[rr][ii] = S::fma(wv[rr], xv, acc[rr][ii]);
    }
  }
  float tail[RB][MB] = {};
  for (; c < cols; ++c) {
#pragma GCC unroll 16
    for (int rr = 0; rr < RB; ++rr) {
#pragma GCC unroll 16
      for (int ii = 0; ii < MB; ++ii) tail[rr][ii] = fma_f32(w[rr * cols + c], x[ii * ldx + c], tail[rr][ii]);
    }
  }
#pragma GCC unroll 16
  for (int ii = 0; ii < MB; ++ii) {
    float sums[RB];
    hsum_column<S>(acc, ii, sums);
#pragma GCC unroll 16
    for (int rr = 0; rr < RB; ++rr) y[ii * ldy + rr] = sums[rr] + tail[rr][ii];
  }
}

template <class S, class D>
void panel_rows(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end) {
  constexpr int RB = S::kGemmRows;
  constexpr int MB = S::kGemmInputs;
  constexpr bool kStoredAsF32 = std::is_same_v<D, Decoder<S, DType::F32>>;  // the stored rows are the panel
  const WeightView& w = job.w;
  const std::int64_t cols = w.cols;
  std::int64_t panel = cols > 0 ? kPanelBytes / (cols * static_cast<std::int64_t>(sizeof(float))) / RB * RB : RB;
  panel = panel < RB ? RB : panel;
  float* scratch = kStoredAsF32 ? nullptr : scratch_buffer<Scratch::kPanel>(min_i64(panel, r_end - r_begin) * cols);
  for_each_row_block<S, D>(job, r_begin, r_end, [&](std::int64_t b0, std::int64_t b1, Inputs in) {
    for (std::int64_t p0 = b0; p0 < b1; p0 += panel) {
      const std::int64_t p1 = min_i64(b1, p0 + panel);
      const float* wp = nullptr;
      if constexpr (kStoredAsF32) {
        wp = reinterpret_cast<const float*>(w.data) + p0 * cols;
      } else {
        for (std::int64_t r = p0; r < p1; ++r) decode_row<S, D>(w, r, scratch + (r - p0) * cols);
        wp = scratch;
      }
      for (std::int64_t i = 0; i < job.m; i += MB) {
        const std::int64_t mb = min_i64(MB, job.m - i);
        for (std::int64_t r = p0; r < p1; r += RB) {
          with_tile_shape<RB, MB>(min_i64(RB, p1 - r), mb, [&]<int R, int M>() {
            panel_tile<S, R, M, kStoredAsF32>(wp + (r - p0) * cols, cols, in.x + i * in.ld, in.ld,
                                job.y + i * job.ldy + (r - job.row_begin), job.ldy);
          });
        }
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------

template <class S>
void matmul_rows(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end) {
  with_dtype(job.w.dtype, [&]<DType kDType>() {
    using D = Decoder<S, kDType>;
    if (job.m >= S::kPanelMinRows) {
      panel_rows<S, D>(job, r_begin, r_end);
    } else {
      with_tile_shape<1, S::kPanelMinRows - 1>(1, job.m,
                                               [&]<int, int M>() { fused_rows<S, D, M>(job, r_begin, r_end); });
    }
  });
}

}  // namespace
}  // namespace r1eval::engine::kernels::cpu
