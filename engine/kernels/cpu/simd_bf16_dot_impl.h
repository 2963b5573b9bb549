// matmul with MatmulInputs::Bfloat16 (kernels.h) on vdpbf16ps, for BF16 and F8_E4M3 weights. Included by
// avx512_bf16_kernels.cpp (compiled with AVX512_BF16 and AVX512_VBMI; dispatch.cpp calls this only on CPUs that
// have both).
// Internal linkage throughout: see element_decode.h.
//
// What is summed: the inputs are scaled as for the float32 path (FP8: per row block, simd_matmul_impl.h) and rounded
// to bf16 (vcvtne2ps2bf16: nearest even, subnormals to zero); the weights enter as bf16 (BF16: as
// stored; FP8: value/256, which bf16 holds exactly), so every product is exact. Each output element has one float32
// accumulator vector, each vdpbf16ps adding to its lane j the products of two adjacent columns, and the result is
// hsum(accumulator). The column order:
// - BF16 weights: 32 columns per vector, lane j taking columns 2j and 2j+1.
// - FP8 weights: 64 columns per step, as two vectors: first the even octets (columns 16q to 16q+7, q = 0..3: lane j
//   takes 16(j/4) + 2(j%4) and the next), then the odd octets (16q+8 to 16q+15). That is the order in which the
//   byte-table decode (fp8x64_to_bf16) delivers 64 weights without a cross-lane permute, and the bf16 inputs are
//   stored in it (bf16_rows).
// The last step is zero-padded (a zero product adds nothing). The order is the same for every m, row range and
// thread split.
//
// Schedules: BF16 weights are read where they are stored, for any m. FP8 weights are decoded to bf16 as they stream
// in below S::kPanelMinRows input rows, else once per panel into thread-local scratch.
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

#include "engine/kernels/cpu/simd_matmul_impl.h"

namespace r1eval::engine::kernels::cpu {
namespace {

constexpr std::int64_t kBf16Step = 32;  // columns per vdpbf16ps
// Input rows converted at a time: their bf16 copy (up to 128 x 14 KB for R1's widest input) stays in L2 while every
// weight row passes over it.
constexpr std::int64_t kBf16InputChunk = 128;

// FP8 rows decoded at a time for many input rows (bf16_dot_rows).
constexpr std::int64_t kPanelRows = 64;

constexpr std::int64_t kFp8Step = 2 * kBf16Step;  // FP8 columns per step: one decode, two vdpbf16ps

inline std::int64_t round_up(std::int64_t n, std::int64_t step) { return (n + step - 1) / step * step; }

// Lanes [0, count) of a 32-lane step (none for count <= 0: the second half of an FP8 step can lie past the row).
inline __mmask32 step_mask(std::int64_t count) {
  if (count <= 0) return 0;
  return count >= kBf16Step ? ~__mmask32{0} : static_cast<__mmask32>((std::uint32_t{1} << count) - 1u);
}

// Bytes [0, count) of a 64-byte FP8 step.
inline __mmask64 fp8_step_mask(std::int64_t count) {
  if (count <= 0) return 0;
  return count >= kFp8Step ? ~__mmask64{0} : static_cast<__mmask64>((std::uint64_t{1} << count) - 1u);
}

inline __m512bh as_bf16(__m512i v) { return reinterpret_cast<__m512bh>(v); }

// bf16 bits of value/256 for the E4M3 magnitude k = code & 0x7F (exact: bf16 holds every such value). A normal
// magnitude (exponent e >= 1, mantissa m) is (1 + m/8) 2^(e-15) after the /256, whose bf16 bits are
// (e + 112) << 7 | m << 4 = k << 4 + 112 << 7; the seven subnormals are m 2^-17; 0x7F is NaN.
constexpr std::uint16_t fp8_magnitude_to_bf16_bits(int k) {
  constexpr std::uint16_t kSubnormals[8] = {0, 0x3700, 0x3780, 0x37C0, 0x3800, 0x3820, 0x3840, 0x3860};
  if (k == 0x7F) return 0x7FC0;
  if (k < 8) return kSubnormals[k];
  return static_cast<std::uint16_t>((k << 4) + (112 << 7));
}

// The low and high bytes of those bits for all 128 magnitudes (two zmm each, as vpermi2b indexes them).
struct Fp8Bf16Tables {
  alignas(64) std::uint8_t low[128];
  alignas(64) std::uint8_t high[128];
};
constexpr Fp8Bf16Tables kFp8Bf16Tables = [] {
  Fp8Bf16Tables t{};
  for (int k = 0; k < 128; ++k) {
    t.low[k] = static_cast<std::uint8_t>(fp8_magnitude_to_bf16_bits(k) & 0xFF);
    t.high[k] = static_cast<std::uint8_t>(fp8_magnitude_to_bf16_bits(k) >> 8);
  }
  return t;
}();

// 64 E4M3 codes -> their value/256 as bf16, in the FP8 column order (file comment): out[0] the even octets, out[1]
// the odd ones. vpermi2b looks each code's 7-bit magnitude up in the byte tables (it ignores index bit 7, the sign),
// the sign bit is or-ed into the high byte, and vpunpck{l,h}bw pair low and high bytes into words within each
// 128-bit lane. Interleaving into column order instead took a cross-lane permute per 32 weights and only half of
// each table lookup: 4.9 cycles per 32 weights against 2.65 now (one Zen 4 core, L1-resident codes).
inline void fp8x64_to_bf16(__m512i codes, __m512bh (&out)[2]) {
  const Fp8Bf16Tables& t = kFp8Bf16Tables;
  const __m512i low = _mm512_permutex2var_epi8(_mm512_load_si512(t.low), codes, _mm512_load_si512(t.low + 64));
  __m512i high = _mm512_permutex2var_epi8(_mm512_load_si512(t.high), codes, _mm512_load_si512(t.high + 64));
  high = _mm512_ternarylogic_epi32(high, codes, _mm512_set1_epi8(static_cast<char>(0x80)), 0xF8);  // high | sign
  out[0] = as_bf16(_mm512_unpacklo_epi8(low, high));
  out[1] = as_bf16(_mm512_unpackhi_epi8(low, high));
}

// Input rows [i0, i0 + count) as bf16, each padded with zeros to a whole number of steps. For FP8 weights (`scales`
// given) every element is first multiplied by its column's scale (block scale * 256 per column, as prepared_inputs
// in simd_matmul_impl.h multiplies), in the same pass, and the columns are stored in the FP8 order.
struct Bf16Rows {
  const std::uint16_t* x;
  std::int64_t ld;
};

// 32 columns from `c` on, lanes past `cols` zero, times their scales when given.
inline __m512i bf16_columns(const float* x, const float* scales, std::int64_t c, std::int64_t cols) {
  const __mmask32 valid = step_mask(cols - c);
  const auto valid_lo = static_cast<__mmask16>(valid), valid_hi = static_cast<__mmask16>(valid >> 16);
  __m512 lo = _mm512_maskz_loadu_ps(valid_lo, x + c);
  __m512 hi = _mm512_maskz_loadu_ps(valid_hi, x + c + 16);
  if (scales != nullptr) {
    lo = _mm512_mul_ps(lo, _mm512_maskz_loadu_ps(valid_lo, scales + c));
    hi = _mm512_mul_ps(hi, _mm512_maskz_loadu_ps(valid_hi, scales + c + 16));
  }
  return reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(hi, lo));
}

Bf16Rows bf16_rows(const MatmulJob& job, const float* scales, std::int64_t i0, std::int64_t count) {
  thread_local std::vector<std::uint16_t> buffer;
  const std::int64_t cols = job.w.cols;
  const bool fp8_order = scales != nullptr;
  const std::int64_t ld = round_up(cols, fp8_order ? kFp8Step : kBf16Step);
  if (static_cast<std::int64_t>(buffer.size()) < count * ld) buffer.resize(static_cast<std::size_t>(count * ld));
  for (std::int64_t i = 0; i < count; ++i) {
    const float* x = job.x + (i0 + i) * job.ldx;
    std::uint16_t* out = buffer.data() + i * ld;
    if (!fp8_order) {
      for (std::int64_t c = 0; c < ld; c += kBf16Step) _mm512_storeu_si512(out + c, bf16_columns(x, nullptr, c, cols));
      continue;
    }
    for (std::int64_t c = 0; c < ld; c += kFp8Step) {
      // Octets 0-3 and 4-7 of the step -> the even octets, then the odd ones (128-bit lanes 0, 2 and 1, 3 of each).
      const __m512i first = bf16_columns(x, scales, c, cols), second = bf16_columns(x, scales, c + kBf16Step, cols);
      _mm512_storeu_si512(out + c, _mm512_shuffle_i64x2(first, second, _MM_SHUFFLE(2, 0, 2, 0)));
      _mm512_storeu_si512(out + c + kBf16Step, _mm512_shuffle_i64x2(first, second, _MM_SHUFFLE(3, 1, 3, 1)));
    }
  }
  return Bf16Rows{buffer.data(), ld};
}

// The scale (times 256, see simd_fp8_bits.h) of every column for the FP8 weight rows of one row block.
const float* column_scales(const WeightView& w, std::int64_t row_block) {
  thread_local std::vector<float> scales;
  scales.resize(static_cast<std::size_t>(w.cols));
  const float* row = w.scale_inv + row_block * w.scale_cols;
  for (std::int64_t b = 0; b < w.scale_cols; ++b) {
    const auto begin = scales.begin() + b * w.block;
    std::fill(begin, begin + min_i64(w.block, w.cols - b * w.block), row[b] * kFp8ScaleFactor);
  }
  return scales.data();
}

// Weight sources for a tile of RB rows. Each step covers kParts * 32 columns from c: load(rr, c, remaining, out) gives
// them for tile row rr as kParts bf16 vectors, in the order they are summed, columns past `remaining` zero. Sources
// that read the stored rows request the next tile as they go (prefetch_next_tile): for BF16 rows at several input
// rows this took the small preset's LM head (1024 -> 129280) from 18-21 to 11-14 ms at m = 6 and from 65-69 to
// 58 ms at m = 64 (2 Zen 4 cores, r1eval_bench_kernels).
struct StoredBf16Rows {
  static constexpr int kParts = 1;
  const std::uint8_t* first;  // tile row 0
  std::int64_t row_bytes;
  template <int RB>
  void prefetch_next_tile(std::int64_t c) const {
    prefetch_next_tile_share<RB, 2 * kBf16Step>(first + RB * row_bytes, 2 * c);
  }
  void load(int rr, std::int64_t c, std::int64_t remaining, __m512bh (&out)[1]) const {
    out[0] = as_bf16(_mm512_maskz_loadu_epi16(step_mask(remaining), first + rr * row_bytes + c * 2));
  }
};

struct StoredFp8Rows {
  static constexpr int kParts = 2;
  const std::uint8_t* first;
  std::int64_t row_bytes;
  template <int RB>
  void prefetch_next_tile(std::int64_t c) const {
    prefetch_next_tile_share<RB, kFp8Step>(first + RB * row_bytes, c);
  }
  void load(int rr, std::int64_t c, std::int64_t remaining, __m512bh (&out)[2]) const {
    fp8x64_to_bf16(_mm512_maskz_loadu_epi8(fp8_step_mask(remaining), first + rr * row_bytes + c), out);
  }
};

// Decoded bf16 rows, padded to whole steps (zeros) so that every load is whole. While a tile works on them it
// requests its rows of the next panel (`next_fp8`: the stored rows kPanelRows further on, null past the matrix), so
// that the next decode finds them in cache rather than waiting on memory between the panels' arithmetic.
struct PanelRows {
  static constexpr int kParts = 1;
  const std::uint16_t* first;
  std::int64_t ld;
  const std::uint8_t* next_fp8;
  template <int RB>
  void prefetch_next_tile(std::int64_t c) const {
    if (next_fp8 != nullptr) prefetch_next_tile_share<RB, kBf16Step>(next_fp8, c);
  }
  void load(int rr, std::int64_t c, std::int64_t, __m512bh (&out)[1]) const {
    out[0] = as_bf16(_mm512_loadu_si512(first + rr * ld + c));
  }
};

// RB weight rows against MB input rows over columns [0, cols): y[ii * ldy + rr].
template <class S, int RB, int MB, class W>
void bf16_tile(const W& w, const std::uint16_t* x, std::int64_t ldx, std::int64_t cols, float* y, std::int64_t ldy) {
  constexpr int P = W::kParts;
  __m512 acc[RB][MB];
#pragma GCC unroll 16
  for (int rr = 0; rr < RB; ++rr) {
#pragma GCC unroll 16
    for (int ii = 0; ii < MB; ++ii) acc[rr][ii] = _mm512_setzero_ps();
  }
  for (std::int64_t c = 0; c < cols; c += P * kBf16Step) {
    if constexpr (RB > 1) w.template prefetch_next_tile<RB>(c);
    __m512bh wv[RB][P];
#pragma GCC unroll 16
    for (int rr = 0; rr < RB; ++rr) w.load(rr, c, cols - c, wv[rr]);
#pragma GCC unroll 2
    for (int p = 0; p < P; ++p) {
#pragma GCC unroll 16
      for (int ii = 0; ii < MB; ++ii) {
        const __m512bh xv = as_bf16(_mm512_loadu_si512(x + ii * ldx + c + p * kBf16Step));
#pragma GCC unroll 16
        for (int rr = 0; rr < RB; ++rr) acc[rr][ii] = _mm512_dpbf16_ps(acc[rr][ii], wv[rr][p], xv);
      }
    }
  }
#pragma GCC unroll 16
  for (int ii = 0; ii < MB; ++ii) {
    float sums[RB];
    hsum_column<S>(acc, ii, sums);
#pragma GCC unroll 16
    for (int rr = 0; rr < RB; ++rr) y[ii * ldy + rr] = sums[rr];
  }
}

// Weight rows per tile when one tile takes all of the chunk's `count` < kPanelMinRows input rows (the streamed
// schedules), by the source's vectors per step: RB x count accumulators and RB x kParts weight vectors, with one
// input vector, within 32 zmm registers. A tile that took only some of the inputs would load (and, from FP8, decode)
// its weight rows again for the rest: at 7 or 8 inputs a 4 x 6 tile decoded every row twice (small-preset FP8
// experts, bf16 inputs, 2 Zen 4 cores: m = 8 went from 41 to 30 us). FP8 rows stream from memory, and there more
// rows side by side ran slower: with 8 rows per tile for one input the experts of up to 2 rows took 15 ms per step
// of the isolated 64-sequence MoE instead of 9.4 with 4 (one thread).
constexpr int kStreamedRowBlock[3][9] = {{}, {0, 4, 6, 6, 6, 5, 4, 3, 3}, {0, 4, 4, 4, 4, 4, 2, 2, 2}};

// Weight rows [r0, r1) against input rows [i0, i0 + xb count) over columns [0, cols) (the stored width, or a
// decoded panel's padded one): `rows_at(r)` gives the source of tile rows r, r+1...
template <class S, class RowsAt>
void bf16_rows_against(const MatmulJob& job, std::int64_t r0, std::int64_t r1, std::int64_t cols, std::int64_t i0,
                       std::int64_t count, Bf16Rows xb, const RowsAt& rows_at) {
  constexpr int kParts = decltype(rows_at(r0))::kParts;
  float* y = job.y + i0 * job.ldy - job.row_begin;
  // Streamed rows with fewer inputs than a panel: all inputs in one tile. A lone input row against BF16 rows takes
  // one row at a time: one sequential stream, bound by memory (see fused_row_block). Against FP8 rows one row would
  // be bound by the latency of its one accumulator chain (~6 cycles per vdpbf16ps on Zen 4), so several rows keep
  // several chains in flight and prefetch the next ones (StoredFp8Rows): FP8 GEMV with bf16 inputs at R1's shapes
  // went from 15-24 to 20-42 GB/s on 2 Zen 4 cores with four.
  constexpr auto& kRowBlock = kStreamedRowBlock[kParts];
  if (count < static_cast<std::int64_t>(std::size(kRowBlock))) {
    const std::int64_t rb = count == 1 && job.w.dtype != DType::F8_E4M3 ? 1 : kRowBlock[count];
    with_input_count<std::size(kRowBlock) - 1>(count, [&]<int MB>() {
      constexpr int RB = kRowBlock[MB];
      for (std::int64_t r = r0; r < r1; r += rb) {
        with_tile_shape<RB, 1>(min_i64(rb, r1 - r), 1, [&]<int R, int>() {
          bf16_tile<S, R, MB>(rows_at(r), xb.x, xb.ld, cols, y + r, job.ldy);
        });
      }
    });
    return;
  }
  constexpr int RB = 4, MB = 6;
  for (std::int64_t r = r0; r < r1; r += RB) {
    const auto w = rows_at(r);
    for (std::int64_t i = 0; i < count; i += MB) {
      with_tile_shape<RB, MB>(min_i64(RB, r1 - r), min_i64(MB, count - i), [&]<int R, int M>() {
        bf16_tile<S, R, M>(w, xb.x + i * xb.ld, xb.ld, cols, y + i * job.ldy + r, job.ldy);
      });
    }
  }
}

// Weight rows [p0, p1), all sharing one row of scales when FP8 (`scales` as bf16_rows takes them; BF16: null).
template <class S>
void bf16_dot_rows(const MatmulJob& job, std::int64_t p0, std::int64_t p1, const float* scales) {
  const WeightView& w = job.w;
  const std::int64_t cols = w.cols;
  const bool fp8 = w.dtype == DType::F8_E4M3;
  for (std::int64_t i0 = 0; i0 < job.m; i0 += kBf16InputChunk) {
    const std::int64_t count = min_i64(kBf16InputChunk, job.m - i0);
    const Bf16Rows xb = bf16_rows(job, scales, i0, count);
    if (!fp8) {
      bf16_rows_against<S>(job, p0, p1, cols, i0, count, xb,
                           [&](std::int64_t r) { return StoredBf16Rows{w.data + r * cols * 2, cols * 2}; });
    } else if (job.m < S::kPanelMinRows) {
      bf16_rows_against<S>(job, p0, p1, cols, i0, count, xb,
                           [&](std::int64_t r) { return StoredFp8Rows{w.data + r * cols, cols}; });
    } else {
      // Decode a panel of rows once for all input rows of the chunk.
      thread_local std::vector<std::uint16_t> panel;
      if (static_cast<std::int64_t>(panel.size()) < kPanelRows * xb.ld) {
        panel.resize(static_cast<std::size_t>(kPanelRows * xb.ld));
      }
      for (std::int64_t q0 = p0; q0 < p1; q0 += kPanelRows) {
        const std::int64_t q1 = min_i64(p1, q0 + kPanelRows);
        for (std::int64_t r = q0; r < q1; ++r) {
          const StoredFp8Rows row{w.data + r * cols, cols};
          std::uint16_t* out = panel.data() + (r - q0) * xb.ld;
          for (std::int64_t c = 0; c < xb.ld; c += kFp8Step) {
            __m512bh parts[2];
            row.load(0, c, cols - c, parts);
            _mm512_storeu_si512(out + c, reinterpret_cast<__m512i>(parts[0]));
            _mm512_storeu_si512(out + c + kBf16Step, reinterpret_cast<__m512i>(parts[1]));
          }
        }
        // The panel holds the columns in the FP8 order, as the inputs do, padded to whole FP8 steps.
        bf16_rows_against<S>(job, q0, q1, xb.ld, i0, count, xb, [&](std::int64_t r) {
          const std::int64_t next = r + kPanelRows;
          return PanelRows{panel.data() + (r - q0) * xb.ld, xb.ld, next < w.rows ? w.data + next * cols : nullptr};
        });
      }
    }
  }
}

template <class S>
void matmul_rows_bf16_dot(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end) {
  const WeightView& w = job.w;
  if (w.dtype != DType::F8_E4M3) return bf16_dot_rows<S>(job, r_begin, r_end, nullptr);
  for_each_scale_row(w, r_begin, r_end, [&](std::int64_t p0, std::int64_t p1, std::int64_t row_block) {
    bf16_dot_rows<S>(job, p0, p1, column_scales(w, row_block));
  });
}

}  // namespace
}  // namespace r1eval::engine::kernels::cpu
