// matmul with MatmulInputs::Bfloat16, every variant (AVX-512 runs vdpbf16ps where the CPU has AVX512_BF16 and
// AVX512_VBMI; the others round the inputs and multiply in float32), against float64 on fresh random inputs at ragged
// sizes.
//
// Tolerance: rounding an input to bf16 moves it by at most 2^-9 of itself (2^-8 leaves room for the float32 scaling
// before it), so the result is within 2^-8·Σ|terms| plus the float32 sum bound of the exact product with the unrounded
// inputs. Small integers are exact in bf16, so there every variant must equal float64 exactly; and an input that
// bf16 cannot hold must arrive rounded.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/engine/kernels/kernel_test_support.h"
#include "tests/engine/kernels/variant_param.h"

namespace r1eval::engine::kernels::testing {
namespace {

std::vector<float> run(const TestMatrix& w, const std::vector<float>& x, std::int64_t m, std::int64_t ldx,
                       Variant variant) {
  std::vector<float> y(static_cast<std::size_t>(m * w.rows));
  const WeightMatrix view = w.view();
  matmul({.w = &view, .x = x.data(), .m = m, .ldx = ldx, .y = y.data(), .inputs = MatmulInputs::Bfloat16}, variant);
  return y;
}

std::string label(DType dtype, std::int64_t rows, std::int64_t cols, std::int64_t block, std::int64_t m) {
  return dtype_label(dtype) + " rows " + std::to_string(rows) + " cols " + std::to_string(cols) + " block " +
         std::to_string(block) + " m " + std::to_string(m);
}

class Bf16InputsMatmul : public PerVariant {};

TEST_P(Bf16InputsMatmul, IsWithinBf16RoundingOfTheExactProduct) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (DType dtype : {DType::BF16, DType::F8_E4M3, DType::F16, DType::F32}) {
    for (std::int64_t block :
         dtype == DType::F8_E4M3 ? std::vector<std::int64_t>{128, 5} : std::vector<std::int64_t>{128}) {
      for (std::int64_t rows : {1, 7, 67}) {
        for (std::int64_t cols : {1, 31, 33, 130, 300}) {  // under, over and well past one 32-column step
          const TestMatrix w = make_matrix(dtype, rows, cols, block, Values::Random, rng);
          const std::int64_t ldx = cols + 3;
          for (std::int64_t m : {1, 2, 4, 6, 8, 9, 13}) {  // streamed and panel schedules, full and ragged tiles
            const std::vector<float> x = random_vector(static_cast<std::size_t>(m * ldx), Values::Random, rng);
            const Exact exact = exact_matmul(w, x, m, ldx, 0, rows);
            const std::vector<float> y = run(w, x, m, ldx, variant());
            int reported = 0;
            for (std::size_t k = 0; k < y.size() && reported < 5; ++k) {
              const double bound = std::ldexp(exact.magnitude[k], -8) + sum_error_bound(cols, exact.magnitude[k]);
              if (!(std::fabs(y[k] - exact.value[k]) <= bound)) {
                ADD_FAILURE() << label(dtype, rows, cols, block, m) << ": element " << k << " is " << y[k]
                              << ", expected " << exact.value[k] << " ± " << bound;
                ++reported;
              }
            }
          }
        }
      }
    }
  }
}

TEST_P(Bf16InputsMatmul, IsExactOnSmallIntegers) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (DType dtype : {DType::BF16, DType::F8_E4M3}) {
    for (std::int64_t cols : {5, 32, 77, 300}) {
      const TestMatrix w = make_matrix(dtype, 19, cols, 128, Values::SmallIntegers, rng);
      for (std::int64_t m : {1, 4, 12}) {
        const std::vector<float> x = random_vector(static_cast<std::size_t>(m * cols), Values::SmallIntegers, rng);
        const Exact exact = exact_matmul(w, x, m, cols, 0, 19);
        const std::vector<float> y = run(w, x, m, cols, variant());
        for (std::size_t k = 0; k < y.size(); ++k) {
          ASSERT_EQ(y[k], exact.value[k]) << label(dtype, 19, cols, 128, m) << ": element " << k;
        }
      }
    }
  }
}

// A matrix of ones (FP8: code 0x38 = 1.0 with scale 1).
TestMatrix ones(DType dtype, std::int64_t rows, std::int64_t cols) {
  TestMatrix w;
  w.dtype = dtype;
  w.rows = rows;
  w.cols = cols;
  if (dtype == DType::BF16) {
    for (std::int64_t k = 0; k < rows * cols; ++k) w.data.insert(w.data.end(), {0x80, 0x3F});  // 0x3F80, little-endian
  } else {
    w.data.assign(static_cast<std::size_t>(rows * cols), 0x38);
    w.scales.assign(static_cast<std::size_t>(((rows + 127) / 128) * w.scale_cols()), 1.0f);
  }
  w.exact.assign(static_cast<std::size_t>(rows * cols), 1.0);
  return w;
}

TEST_P(Bf16InputsMatmul, RoundsEachInputToBf16) {
  // bf16 steps by 2^-7 just above 1: 1 + 2^-9 rounds down to 1, 1 + 3·2^-9 up to 1 + 2^-7. With weights of one
  // every sum is exact, so the result tells exactly which values entered the products.
  for (DType dtype : {DType::BF16, DType::F8_E4M3}) {
    const TestMatrix w = ones(dtype, 3, 40);
    std::vector<float> x(40);
    for (std::size_t c = 0; c < x.size(); ++c) x[c] = c % 2 == 0 ? 1.0f + 0x1p-9f : 1.0f + 3 * 0x1p-9f;
    const std::vector<float> y = run(w, x, 1, 40, variant());
    for (float v : y) EXPECT_EQ(v, 20.0f + 20.0f * (1.0f + 0x1p-7f)) << dtype_label(dtype);
  }
}

// Every E4M3 code through both FP8 schedules: one weight per row against x = 1 (the on-the-fly decoder, m = 1), and
// one weight per column against one-hot inputs (the decoded panel, m = 256). x = 1 is exact in bf16 and a lone
// product is exact, so each output is the code's value (times scale 0.5) exactly; the NaN codes give NaN.
TEST_P(Bf16InputsMatmul, DecodesEveryFp8CodeExactly) {
  constexpr std::int64_t kCodes = 256;
  const auto expect_code = [](float actual, int code) {
    const double expected = fp8_value(static_cast<std::uint8_t>(code)) * 0.5;
    if (std::isnan(expected)) {
      EXPECT_TRUE(std::isnan(actual)) << "code " << code;
    } else {
      EXPECT_EQ(actual, expected) << "code " << code;
    }
  };
  const auto fp8_matrix = [](std::int64_t rows, std::int64_t cols, auto code_at) {
    TestMatrix w;
    w.dtype = DType::F8_E4M3;
    w.rows = rows;
    w.cols = cols;
    w.data.resize(static_cast<std::size_t>(rows * cols));
    for (std::int64_t r = 0; r < rows; ++r) {
      for (std::int64_t c = 0; c < cols; ++c) w.data[static_cast<std::size_t>(r * cols + c)] = code_at(r, c);
    }
    w.scales.assign(static_cast<std::size_t>(((rows + 127) / 128) * w.scale_cols()), 0.5f);
    w.exact.assign(static_cast<std::size_t>(rows * cols), 0.0);  // unused here
    return w;
  };

  const TestMatrix column =
      fp8_matrix(kCodes, 1, [](std::int64_t r, std::int64_t) { return static_cast<std::uint8_t>(r); });
  const std::vector<float> one = {1.0f};
  const std::vector<float> by_row = run(column, one, 1, 1, variant());
  for (int code = 0; code < kCodes; ++code) expect_code(by_row[static_cast<std::size_t>(code)], code);

  // A NaN weight would poison every dot product of its row (0 * NaN), so the NaN codes become zeros in this one.
  const TestMatrix row = fp8_matrix(1, kCodes, [](std::int64_t, std::int64_t c) {
    return static_cast<std::uint8_t>((c & 0x7F) == 0x7F ? 0 : c);
  });
  std::vector<float> one_hot(static_cast<std::size_t>(kCodes * kCodes), 0.0f);
  for (std::int64_t i = 0; i < kCodes; ++i) one_hot[static_cast<std::size_t>(i * kCodes + i)] = 1.0f;
  const std::vector<float> by_column = run(row, one_hot, kCodes, kCodes, variant());
  for (int code = 0; code < kCodes; ++code) {
    if ((code & 0x7F) != 0x7F) expect_code(by_column[static_cast<std::size_t>(code)], code);
  }
}

R1EVAL_INSTANTIATE_PER_VARIANT(Bf16InputsMatmul);

}  // namespace
}  // namespace r1eval::engine::kernels::testing
