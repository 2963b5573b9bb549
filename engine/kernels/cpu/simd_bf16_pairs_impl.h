// matmul with MatmulInputs::Bfloat16 from BF16 weights repacked as column pairs (Bf16Pairs, bf16_pairs.h), on
// vdpbf16ps. Included by avx512_bf16_kernels.cpp (compiled with AVX512_BF16; dispatch.cpp calls this only on CPUs
// with bf16 dot products). Internal linkage throughout: see element_decode.h.
//
// What is summed: the inputs rounded to bf16 by bf16_rows (simd_bf16_dot_impl.h), against the weights as stored, so
// every product is exact. Output row r is lane r % 16 of one float32 accumulator vector, to which each vdpbf16ps
// adds the products of one column pair (2p, 2p+1), p ascending; an odd last column pairs with a zero. No reduction
// follows. That order is the same for every m, row range and thread split.
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "engine/kernels/bf16_pairs.h"
#include "engine/kernels/cpu/simd_bf16_dot_impl.h"

namespace r1eval::engine::kernels::cpu {
namespace {

constexpr std::int64_t kPairBlockRows = Bf16Pairs::kBlockRows;
// Input rows per tile: 2 x 12 accumulators and 2 weight vectors; each input pair is a broadcast load.
constexpr int kPairTileInputs = 12;

// One block of 32 weight rows against MB bf16 input rows (`x`, `ldx` apart, as bf16_rows lays them out: an odd last
// column is followed by a zero): out[ii * ldo + row in block]. While the first input group runs, it requests the
// next block (`next`, or null), which it reads at the same pace.
template <int MB>
void pair_tile(const std::uint16_t* block, std::int64_t pairs, const std::uint16_t* x, std::int64_t ldx,
               const std::uint16_t* next, float* out, std::int64_t ldo) {
  __m512 acc[2][MB];
#pragma GCC unroll 16
  for (int ii = 0; ii < MB; ++ii) acc[0][ii] = acc[1][ii] = _mm512_setzero_ps();
  for (std::int64_t p = 0; p < pairs; ++p) {
    const std::uint16_t* w = block + p * 2 * kPairBlockRows;
    if (next != nullptr) {
      __builtin_prefetch(next + p * 2 * kPairBlockRows);
      __builtin_prefetch(next + p * 2 * kPairBlockRows + kPairBlockRows);
    }
    const auto w0 = reinterpret_cast<__m512bh>(_mm512_load_si512(w));
    const auto w1 = reinterpret_cast<__m512bh>(_mm512_load_si512(w + kPairBlockRows));
#pragma GCC unroll 16
    for (int ii = 0; ii < MB; ++ii) {
      std::int32_t pair;  // columns 2p and 2p + 1
      std::memcpy(&pair, x + ii * ldx + 2 * p, sizeof pair);
      const auto xv = reinterpret_cast<__m512bh>(_mm512_set1_epi32(pair));
      acc[0][ii] = _mm512_dpbf16_ps(acc[0][ii], w0, xv);
      acc[1][ii] = _mm512_dpbf16_ps(acc[1][ii], w1, xv);
    }
  }
#pragma GCC unroll 16
  for (int ii = 0; ii < MB; ++ii) {
    _mm512_storeu_ps(out + ii * ldo, acc[0][ii]);
    _mm512_storeu_ps(out + ii * ldo + 16, acc[1][ii]);
  }
}

void matmul_rows_bf16_pairs(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end) {
  const Bf16Rows xb = bf16_rows(job, nullptr, 0, job.m);
  const std::int64_t pairs = (job.w.cols + 1) / 2;
  const std::int64_t blocks = (job.w.rows + kPairBlockRows - 1) / kPairBlockRows;
  float partial[kPairTileInputs * kPairBlockRows];  // a block only partly this call's
  for (std::int64_t b = r_begin / kPairBlockRows; b * kPairBlockRows < r_end; ++b) {
    const std::uint16_t* block = job.w.bf16_pairs + b * pairs * 2 * kPairBlockRows;
    const std::uint16_t* next = b + 1 < blocks ? block + pairs * 2 * kPairBlockRows : nullptr;
    // This thread's rows of the block: a piece may begin or end inside one (row ranges need not be whole blocks).
    const std::int64_t first = b * kPairBlockRows < r_begin ? r_begin : b * kPairBlockRows;
    const std::int64_t last = (b + 1) * kPairBlockRows < r_end ? (b + 1) * kPairBlockRows : r_end;
    const bool whole = last - first == kPairBlockRows;
    // Input groups as even as possible (64 inputs: 4 x 11 + 2 x 10, not 5 x 12 + 4): a tile of few accumulators
    // waits on their latency.
    const std::int64_t groups = (job.m + kPairTileInputs - 1) / kPairTileInputs;
    for (std::int64_t g = 0; g < groups; ++g) {
      const std::int64_t i = job.m * g / groups, count = job.m * (g + 1) / groups - i;
      float* y = job.y + i * job.ldy + (first - job.row_begin);
      with_input_count<kPairTileInputs>(count, [&]<int MB>() {
        pair_tile<MB>(block, pairs, xb.x + i * xb.ld, xb.ld, i == 0 ? next : nullptr, whole ? y : partial,
                      whole ? job.ldy : kPairBlockRows);
      });
      if (whole) continue;
      for (std::int64_t ii = 0; ii < count; ++ii) {
        std::memcpy(y + ii * job.ldy, partial + ii * kPairBlockRows + (first - b * kPairBlockRows),
                    static_cast<std::size_t>(last - first) * sizeof(float));
      }
    }
  }
}

}  // namespace
}  // namespace r1eval::engine::kernels::cpu
