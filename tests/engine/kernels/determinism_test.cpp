// The determinism contract of kernels.h: an output element's bits do not depend on m, on the other input rows, on
// the row range or on the number of threads. Checked for every variant the CPU supports, on shapes large enough
// that the work is split across threads.
#include <gtest/gtest.h>
#include <omp.h>

#include <utility>
#include <vector>

#include "tests/engine/kernels/kernel_test_support.h"
#include "tests/engine/kernels/variant_param.h"

namespace r1eval::engine::kernels::testing {
namespace {

class Determinism : public PerVariant {};

std::vector<float> matmul_rows(const TestMatrix& w, const float* x, std::int64_t m, std::int64_t row_begin,
                               std::int64_t row_end, Variant variant, MatmulInputs inputs) {
  std::vector<float> y(static_cast<std::size_t>(m * (row_end - row_begin)));
  const WeightMatrix view = w.view();
  matmul({.w = &view, .x = x, .m = m, .ldx = w.cols, .y = y.data(), .row_begin = row_begin, .row_end = row_end,
          .inputs = inputs},
         variant);
  return y;
}

// Every dtype with float32 inputs, and the dtypes MatmulInputs::Bfloat16 has kernels of its own for (vdpbf16ps on
// CPUs with AVX512_BF16 and AVX512_VBMI).
std::vector<std::pair<MatmulInputs, DType>> input_modes_and_dtypes() {
  return {{MatmulInputs::Float32, DType::F32},  {MatmulInputs::Float32, DType::BF16},
          {MatmulInputs::Float32, DType::F16},  {MatmulInputs::Float32, DType::F8_E4M3},
          {MatmulInputs::Bfloat16, DType::BF16}, {MatmulInputs::Bfloat16, DType::F8_E4M3}};
}

TEST_P(Determinism, MatmulRowsAreTheSameAloneInABatchInARangeAndOnAnyThreadCount) {
  ThreadCount restore;
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  // cols 163 leaves a scalar tail after the whole vectors; FP8 block 5 puts scale boundaries inside vectors. m runs
  // across the switch from the fused schedule (decoding on the fly) to the panel schedule (decoded scratch panels).
  for (const auto& [inputs, dtype] : input_modes_and_dtypes()) {
    for (auto [block, cols] : {std::pair<std::int64_t, std::int64_t>{128, 163}, {5, 160}}) {
      if (dtype != DType::F8_E4M3 && block != 128) continue;
      const std::int64_t rows = 6600;  // rows·cols > the threading threshold (2^18, dispatch.cpp) even at m = 1
      const TestMatrix w = make_matrix(dtype, rows, cols, block, Values::Random, rng);
      const std::int64_t max_m = 17;
      const std::vector<float> x = random_vector(static_cast<std::size_t>(max_m * cols), Values::Random, rng);
      const std::string what = dtype_label(dtype) + " block " + std::to_string(block) + " cols " +
                               std::to_string(cols) + (inputs == MatmulInputs::Bfloat16 ? " bf16 inputs" : "");

      omp_set_num_threads(1);
      const std::vector<float> batch = matmul_rows(w, x.data(), max_m, 0, rows, variant(), inputs);
      for (int threads : {1, 2, 3}) {
        omp_set_num_threads(threads);
        for (std::int64_t m : {1, 2, 3, 4, 5, 7, 8, 9, 13, 17}) {
          // Rows [i0, i0 + m) of x as their own batch.
          const std::int64_t i0 = max_m - m;
          const std::vector<float> y = matmul_rows(w, x.data() + i0 * cols, m, 0, rows, variant(), inputs);
          for (std::int64_t i = 0; i < m; ++i) {
            EXPECT_TRUE(same_bits(y.data() + i * rows, batch.data() + (i0 + i) * rows, rows))
                << what << ": input row " << i0 + i << " in a batch of " << m << " on " << threads << " threads";
          }
        }
        for (auto [r0, r1] : {std::pair<std::int64_t, std::int64_t>{0, 1}, {3, 130}, {129, 6600}, {517, 518}}) {
          const std::vector<float> y = matmul_rows(w, x.data(), max_m, r0, r1, variant(), inputs);
          for (std::int64_t i = 0; i < max_m; ++i) {
            EXPECT_TRUE(same_bits(y.data() + i * (r1 - r0), batch.data() + i * rows + r0, r1 - r0))
                << what << ": rows [" << r0 << ", " << r1 << ") on " << threads << " threads";
          }
        }
      }
    }
  }
}

TEST_P(Determinism, MatmulTransposedColumnsAreTheSameAloneInABatchAndOnAnyThreadCount) {
  ThreadCount restore;
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (DType dtype : {DType::BF16, DType::F8_E4M3}) {
    // cols·band > the threading threshold (2^18) even at m = 1; the band spans several row chunks. m runs past one
    // full tile of input rows (6 for FP8, 8 otherwise on AVX-512) so that ragged tiles meet full ones.
    const std::int64_t rows = 300, cols = 5300, band_begin = 37, band_end = 37 + 200;
    const std::int64_t band = band_end - band_begin;
    const TestMatrix w = make_matrix(dtype, rows, cols, 128, Values::Random, rng);
    const std::int64_t max_m = 19;
    const std::vector<float> x = random_vector(static_cast<std::size_t>(max_m * band), Values::Random, rng);
    const WeightMatrix view = w.view();
    auto run = [&](const float* xs, std::int64_t m) {
      std::vector<float> y(static_cast<std::size_t>(m * cols));
      matmul_transposed({.w = &view, .x = xs, .m = m, .y = y.data(), .row_begin = band_begin, .row_end = band_end},
                        variant());
      return y;
    };
    omp_set_num_threads(1);
    const std::vector<float> batch = run(x.data(), max_m);
    for (int threads : {1, 2, 3}) {
      omp_set_num_threads(threads);
      for (std::int64_t m : {1, 2, 3, 7, 9, 19}) {
        const std::int64_t i0 = max_m - m;
        const std::vector<float> y = run(x.data() + i0 * band, m);
        for (std::int64_t i = 0; i < m; ++i) {
          EXPECT_TRUE(same_bits(y.data() + i * cols, batch.data() + (i0 + i) * cols, cols))
              << dtype_label(dtype) << ": input row " << i0 + i << " in a batch of " << m << " on " << threads
              << " threads";
        }
      }
    }
  }
}

R1EVAL_INSTANTIATE_PER_VARIANT(Determinism);

}  // namespace
}  // namespace r1eval::engine::kernels::testing
