// matmul and matmul_transposed: the scalar reference against float64, and every SIMD variant against the scalar
// reference, on fresh random inputs at ragged sizes.
//
// Tolerances (the same for every dtype, because every variant dequantizes each weight to the same float32 value and
// only summation order and product rounding differ): a float32 sum of n rounded products, each block partial
// multiplied by its scale, is within (n + 4)·u·Σ|terms| of the exact float64 value (u = 2^-24), in any order.
// So scalar vs float64 must be within that bound and SIMD vs scalar within twice it. With small-integer inputs
// every product and partial sum is exact, so every variant must equal float64 exactly: that catches any wrong
// index or dropped term however small.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "tests/engine/kernels/kernel_test_support.h"
#include "tests/engine/kernels/variant_param.h"

namespace r1eval::engine::kernels::testing {
namespace {

constexpr float kSentinel = -12345.0f;  // written into the padding of y; must survive

// One weight shape; each test runs it for every m in 1..9 (so m covers full and partial 4-row tiles).
struct Case {
  DType dtype;
  std::int64_t rows, cols, block;
  std::string label(std::int64_t m) const {
    return dtype_label(dtype) + " rows " + std::to_string(rows) + " cols " + std::to_string(cols) + " block " +
           std::to_string(block) + " m " + std::to_string(m);
  }
};
constexpr std::int64_t kMaxM = 9;

std::vector<Case> ragged_cases() {
  std::vector<Case> cases;
  for (DType dtype : {DType::F32, DType::BF16, DType::F16, DType::F8_E4M3}) {
    for (std::int64_t block :
         dtype == DType::F8_E4M3 ? std::vector<std::int64_t>{128, 5, 32} : std::vector<std::int64_t>{128}) {
      for (std::int64_t rows : {1, 5, 67}) {  // 67: partial tiles for every tile height (1..8 rows)
        for (std::int64_t cols : {1, 7, 31, 127, 129, 300}) {
          cases.push_back({dtype, rows, cols, block});
        }
      }
    }
  }
  return cases;
}

// Runs 'variant' over rows [row_begin, row_end) with padded strides and returns y (padding checked here).
std::vector<float> run_matmul(const TestMatrix& w, const std::vector<float>& x, std::int64_t m, std::int64_t ldx,
                              std::int64_t row_begin, std::int64_t row_end, Variant variant) {
  const std::int64_t out = row_end - row_begin;
  const std::int64_t ldy = out + 3;
  std::vector<float> y(static_cast<std::size_t>(m * ldy), kSentinel);
  const WeightMatrix view = w.view();
  matmul({.w = &view,
          .x = x.data(),
          .m = m,
          .ldx = ldx,
          .y = y.data(),
          .ldy = ldy,
          .row_begin = row_begin,
          .row_end = row_end},
         variant);
  std::vector<float> packed;
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < ldy; ++j) {
      const float v = y[static_cast<std::size_t>(i * ldy + j)];
      if (j < out) {
        packed.push_back(v);
      } else {
        EXPECT_EQ(v, kSentinel) << "matmul wrote past its output row, i " << i << " j " << j;
      }
    }
  }
  return packed;
}

void expect_within(const std::vector<float>& actual, const std::vector<double>& expected,
                   const std::vector<double>& tolerance, const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  int reported = 0;
  for (std::size_t k = 0; k < actual.size() && reported < 5; ++k) {
    if (!(std::fabs(actual[k] - expected[k]) <= tolerance[k])) {
      ADD_FAILURE() << what << ": element " << k << " is " << actual[k] << ", expected " << expected[k] << " ± "
                    << tolerance[k];
      ++reported;
    }
  }
}

std::vector<double> to_double(const std::vector<float>& v) { return std::vector<double>(v.begin(), v.end()); }

TEST(ScalarReference, MatmulMatchesFloat64) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (const Case& c : ragged_cases()) {
    const TestMatrix w = make_matrix(c.dtype, c.rows, c.cols, c.block, Values::Random, rng);
    const std::int64_t ldx = c.cols + 2;
    const std::int64_t row_begin = c.rows > 2 ? 1 : 0;
    for (std::int64_t m = 1; m <= kMaxM; ++m) {
      const std::vector<float> x = random_vector(static_cast<std::size_t>(m * ldx), Values::Random, rng);
      const Exact exact = exact_matmul(w, x, m, ldx, row_begin, c.rows);
      std::vector<double> tolerance;
      for (double magnitude : exact.magnitude) tolerance.push_back(sum_error_bound(c.cols, magnitude));
      expect_within(run_matmul(w, x, m, ldx, row_begin, c.rows, Variant::Scalar), exact.value, tolerance, c.label(m));
    }
  }
}

TEST(ScalarReference, MatmulIsExactOnSmallIntegers) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (const Case& c : ragged_cases()) {
    const TestMatrix w = make_matrix(c.dtype, c.rows, c.cols, c.block, Values::SmallIntegers, rng);
    for (std::int64_t m : {1, 3}) {
      const std::vector<float> x = random_vector(static_cast<std::size_t>(m * c.cols), Values::SmallIntegers, rng);
      const Exact exact = exact_matmul(w, x, m, c.cols, 0, c.rows);
      expect_within(run_matmul(w, x, m, c.cols, 0, c.rows, Variant::Scalar), exact.value,
                    std::vector<double>(exact.value.size(), 0.0), c.label(m));
    }
  }
}

class SimdMatmul : public PerVariant {};

TEST_P(SimdMatmul, MatchesTheScalarReference) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (const Case& c : ragged_cases()) {
    const TestMatrix w = make_matrix(c.dtype, c.rows, c.cols, c.block, Values::Random, rng);
    const std::int64_t ldx = c.cols + 5;
    const std::int64_t row_begin = c.rows > 4 ? 3 : 0;
    for (std::int64_t m = 1; m <= kMaxM; ++m) {
      const std::vector<float> x = random_vector(static_cast<std::size_t>(m * ldx), Values::Random, rng);
      const Exact exact = exact_matmul(w, x, m, ldx, row_begin, c.rows);
      std::vector<double> tolerance;
      for (double magnitude : exact.magnitude) tolerance.push_back(2.0 * sum_error_bound(c.cols, magnitude));
      const std::vector<float> reference = run_matmul(w, x, m, ldx, row_begin, c.rows, Variant::Scalar);
      expect_within(run_matmul(w, x, m, ldx, row_begin, c.rows, variant()), to_double(reference), tolerance,
                    c.label(m));
    }
  }
}

TEST_P(SimdMatmul, IsExactOnSmallIntegers) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (const Case& c : ragged_cases()) {
    const TestMatrix w = make_matrix(c.dtype, c.rows, c.cols, c.block, Values::SmallIntegers, rng);
    for (std::int64_t m = 1; m <= kMaxM; ++m) {
      const std::vector<float> x = random_vector(static_cast<std::size_t>(m * c.cols), Values::SmallIntegers, rng);
      const Exact exact = exact_matmul(w, x, m, c.cols, 0, c.rows);
      expect_within(run_matmul(w, x, m, c.cols, 0, c.rows, variant()), exact.value,
                    std::vector<double>(exact.value.size(), 0.0), c.label(m));
    }
  }
}

// --- matmul_transposed -------------------------------------------------------------------------------------------

struct Band {
  std::int64_t begin, end;
};

std::vector<Band> bands_of(std::int64_t rows) {
  std::vector<Band> bands{{0, rows}};
  if (rows > 4) bands.push_back({3, rows - 1});
  if (rows > 120) bands.push_back({37, 37 + 77});  // inside one 128-row block; crosses several 5- and 32-row blocks
  if (rows > 200) bands.push_back({100, 290});     // starts inside a block and crosses 128 and 256
  return bands;
}

std::vector<float> run_transposed(const TestMatrix& w, const std::vector<float>& x, std::int64_t m, std::int64_t ldx,
                                  Band band, Variant variant) {
  const std::int64_t ldy = w.cols + 2;
  std::vector<float> y(static_cast<std::size_t>(m * ldy), kSentinel);
  const WeightMatrix view = w.view();
  matmul_transposed({.w = &view, .x = x.data(), .m = m, .ldx = ldx, .y = y.data(), .ldy = ldy, .row_begin = band.begin,
                     .row_end = band.end},
                    variant);
  std::vector<float> packed;
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < ldy; ++j) {
      const float v = y[static_cast<std::size_t>(i * ldy + j)];
      if (j < w.cols) {
        packed.push_back(v);
      } else {
        EXPECT_EQ(v, kSentinel) << "matmul_transposed wrote past its output row";
      }
    }
  }
  return packed;
}

std::string transposed_label(const Case& c, std::int64_t m, Band band) {
  return c.label(m) + " band [" + std::to_string(band.begin) + ", " + std::to_string(band.end) + ")";
}

std::vector<Case> transposed_shapes() {
  std::vector<Case> cases;
  for (DType dtype : {DType::F32, DType::BF16, DType::F16, DType::F8_E4M3}) {
    for (std::int64_t block :
         dtype == DType::F8_E4M3 ? std::vector<std::int64_t>{128, 5, 32} : std::vector<std::int64_t>{128}) {
      for (std::int64_t rows : {1, 5, 300}) {
        for (std::int64_t cols : {1, 7, 31, 127, 129, 300}) cases.push_back({dtype, rows, cols, block});
      }
    }
  }
  return cases;
}

constexpr std::int64_t kTransposedM[] = {1, 2, 5};  // full and partial 2-row tiles

TEST(ScalarReference, MatmulTransposedMatchesFloat64) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (const Case& c : transposed_shapes()) {
    const TestMatrix w = make_matrix(c.dtype, c.rows, c.cols, c.block, Values::Random, rng);
    for (Band band : bands_of(c.rows)) {
      for (std::int64_t m : kTransposedM) {
        const std::int64_t n = band.end - band.begin;
        const std::vector<float> x = random_vector(static_cast<std::size_t>(m * (n + 1)), Values::Random, rng);
        const Exact exact = exact_transposed(w, x, m, n + 1, band.begin, band.end);
        std::vector<double> tolerance;
        for (double magnitude : exact.magnitude) tolerance.push_back(sum_error_bound(n, magnitude));
        expect_within(run_transposed(w, x, m, n + 1, band, Variant::Scalar), exact.value, tolerance,
                      transposed_label(c, m, band));
      }
    }
  }
}

class SimdMatmulTransposed : public PerVariant {};

TEST_P(SimdMatmulTransposed, MatchesTheScalarReference) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (const Case& c : transposed_shapes()) {
    const TestMatrix w = make_matrix(c.dtype, c.rows, c.cols, c.block, Values::Random, rng);
    for (Band band : bands_of(c.rows)) {
      for (std::int64_t m : kTransposedM) {
        const std::int64_t n = band.end - band.begin;
        const std::vector<float> x = random_vector(static_cast<std::size_t>(m * n), Values::Random, rng);
        const Exact exact = exact_transposed(w, x, m, n, band.begin, band.end);
        std::vector<double> tolerance;
        for (double magnitude : exact.magnitude) tolerance.push_back(2.0 * sum_error_bound(n, magnitude));
        const std::vector<float> reference = run_transposed(w, x, m, n, band, Variant::Scalar);
        expect_within(run_transposed(w, x, m, n, band, variant()), to_double(reference), tolerance,
                      transposed_label(c, m, band));
      }
    }
  }
}

TEST_P(SimdMatmulTransposed, IsExactOnSmallIntegers) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (const Case& c : transposed_shapes()) {
    const TestMatrix w = make_matrix(c.dtype, c.rows, c.cols, c.block, Values::SmallIntegers, rng);
    for (Band band : bands_of(c.rows)) {
      for (std::int64_t m : kTransposedM) {
        const std::int64_t n = band.end - band.begin;
        const std::vector<float> x = random_vector(static_cast<std::size_t>(m * n), Values::SmallIntegers, rng);
        const Exact exact = exact_transposed(w, x, m, n, band.begin, band.end);
        expect_within(run_transposed(w, x, m, n, band, variant()), exact.value,
                      std::vector<double>(exact.value.size(), 0.0), transposed_label(c, m, band));
      }
    }
  }
}

R1EVAL_INSTANTIATE_PER_SIMD_VARIANT(SimdMatmul);
R1EVAL_INSTANTIATE_PER_SIMD_VARIANT(SimdMatmulTransposed);

}  // namespace
}  // namespace r1eval::engine::kernels::testing
