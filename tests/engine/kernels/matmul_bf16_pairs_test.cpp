// matmul with MatmulInputs::Bfloat16 from BF16 weights repacked by Bf16Pairs (bf16_pairs.h), every variant: where
// the CPU has bf16 dot products the AVX-512 variant multiplies from the pairs, the others ignore them. Checked
// against float64 on fresh random inputs at ragged shapes (rows not whole blocks of 32, odd columns), and for the
// determinism contract of kernels.h: an output's bits do not depend on m, the row range or the thread count.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "engine/kernels/bf16_pairs.h"
#include "tests/engine/kernels/kernel_test_support.h"
#include "tests/engine/kernels/variant_param.h"

namespace r1eval::engine::kernels::testing {
namespace {

class Bf16PairsMatmul : public PerVariant {};

std::vector<float> run(const WeightMatrix& view, const float* x, std::int64_t m, std::int64_t row_begin,
                       std::int64_t row_end, Variant variant) {
  std::vector<float> y(static_cast<std::size_t>(m * (row_end - row_begin)));
  matmul({.w = &view, .x = x, .m = m, .ldx = view.cols, .y = y.data(), .row_begin = row_begin, .row_end = row_end,
          .inputs = MatmulInputs::Bfloat16},
         variant);
  return y;
}

WeightMatrix with_pairs(const TestMatrix& w, const Bf16Pairs& pairs) {
  WeightMatrix view = w.view();
  view.bf16_pairs = pairs.data();
  return view;
}

// Tolerance as in matmul_bf16_inputs_test.cpp: bf16 rounding of the inputs plus the float32 sum bound.
TEST_P(Bf16PairsMatmul, IsWithinBf16RoundingOfTheExactProduct) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (std::int64_t rows : {1, 31, 33, 70}) {
    for (std::int64_t cols : {1, 2, 31, 33, 130}) {
      const TestMatrix w = make_matrix(DType::BF16, rows, cols, 128, Values::Random, rng);
      const Bf16Pairs pairs(w.view());
      const WeightMatrix view = with_pairs(w, pairs);
      for (std::int64_t m : {1, 5, 12, 13, 27}) {  // one tile of 12 inputs, ragged ones, several
        const std::vector<float> x = random_vector(static_cast<std::size_t>(m * cols), Values::Random, rng);
        const Exact exact = exact_matmul(w, x, m, cols, 0, rows);
        const std::vector<float> y = run(view, x.data(), m, 0, rows, variant());
        int reported = 0;
        for (std::size_t k = 0; k < y.size() && reported < 5; ++k) {
          const double bound = std::ldexp(exact.magnitude[k], -8) + sum_error_bound(cols, exact.magnitude[k]);
          if (!(std::fabs(y[k] - exact.value[k]) <= bound)) {
            ADD_FAILURE() << "rows " << rows << " cols " << cols << " m " << m << ": element " << k << " is " << y[k]
                          << ", expected " << exact.value[k] << " ± " << bound;
            ++reported;
          }
        }
      }
    }
  }
}

TEST_P(Bf16PairsMatmul, IsExactOnSmallIntegers) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  const TestMatrix w = make_matrix(DType::BF16, 45, 77, 128, Values::SmallIntegers, rng);
  const Bf16Pairs pairs(w.view());
  const WeightMatrix view = with_pairs(w, pairs);
  for (std::int64_t m : {1, 4, 14}) {
    const std::vector<float> x = random_vector(static_cast<std::size_t>(m * 77), Values::SmallIntegers, rng);
    const Exact exact = exact_matmul(w, x, m, 77, 0, 45);
    const std::vector<float> y = run(view, x.data(), m, 0, 45, variant());
    for (std::size_t k = 0; k < y.size(); ++k) ASSERT_EQ(y[k], exact.value[k]) << "m " << m << ": element " << k;
  }
}

TEST_P(Bf16PairsMatmul, RowsAreTheSameAloneInABatchInARangeAndOnAnyThreadCount) {
  ThreadCount restore;
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  const std::int64_t rows = 6600, cols = 163;  // rows·cols > the threading threshold (2^18) even at m = 1
  const TestMatrix w = make_matrix(DType::BF16, rows, cols, 128, Values::Random, rng);
  const Bf16Pairs pairs(w.view());
  const WeightMatrix view = with_pairs(w, pairs);
  const std::int64_t max_m = 29;
  const std::vector<float> x = random_vector(static_cast<std::size_t>(max_m * cols), Values::Random, rng);
  omp_set_num_threads(1);
  const std::vector<float> batch = run(view, x.data(), max_m, 0, rows, variant());
  for (int threads : {1, 2, 3}) {
    omp_set_num_threads(threads);
    for (std::int64_t m : {1, 2, 11, 12, 13, 25}) {
      const std::int64_t i0 = max_m - m;
      const std::vector<float> y = run(view, x.data() + i0 * cols, m, 0, rows, variant());
      for (std::int64_t i = 0; i < m; ++i) {
        EXPECT_TRUE(same_bits(y.data() + i * rows, batch.data() + (i0 + i) * rows, rows))
            << "input row " << i0 + i << " in a batch of " << m << " on " << threads << " threads";
      }
    }
    for (auto [r0, r1] : {std::pair<std::int64_t, std::int64_t>{0, 1}, {3, 130}, {129, 6600}, {517, 518}}) {
      const std::vector<float> y = run(view, x.data(), max_m, r0, r1, variant());
      for (std::int64_t i = 0; i < max_m; ++i) {
        EXPECT_TRUE(same_bits(y.data() + i * (r1 - r0), batch.data() + i * rows + r0, r1 - r0))
            << "rows [" << r0 << ", " << r1 << ") on " << threads << " threads";
      }
    }
  }
}

TEST(Bf16Pairs, RefusesWeightsThatAreNotBf16) {
  std::mt19937_64 rng(1);
  const TestMatrix w = make_matrix(DType::F8_E4M3, 4, 8, 128, Values::Random, rng);
  EXPECT_THROW(Bf16Pairs{w.view()}, std::invalid_argument);
  WeightMatrix view = w.view();
  const std::uint16_t fake[1] = {0};
  view.bf16_pairs = fake;
  std::vector<float> x(8, 1.0f), y(4);
  EXPECT_THROW(matmul({.w = &view, .x = x.data(), .m = 1, .y = y.data(), .inputs = MatmulInputs::Bfloat16}),
               std::invalid_argument);
}

R1EVAL_INSTANTIATE_PER_VARIANT(Bf16PairsMatmul);

}  // namespace
}  // namespace r1eval::engine::kernels::testing
