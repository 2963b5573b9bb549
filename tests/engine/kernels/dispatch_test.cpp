// The dispatcher: variant names, the R1EVAL_KERNELS override, CPU support checks, kernels.h's default entry points,
// and one-sentence errors for inconsistent arguments.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "tests/engine/kernels/kernel_test_support.h"

namespace r1eval::engine::kernels::testing {
namespace {

// Expects fn to throw E with a message containing every one of 'parts'.
template <class E, class Fn>
void expect_error(Fn&& fn, const std::vector<std::string>& parts) {
  try {
    fn();
    ADD_FAILURE() << "no exception; expected one mentioning " << parts.front();
  } catch (const E& error) {
    const std::string message = error.what();
    for (const std::string& part : parts) EXPECT_NE(message.find(part), std::string::npos) << message;
  }
}

TEST(Dispatch, VariantNamesRoundTrip) {
  for (Variant variant : kAllVariants) EXPECT_EQ(parse_variant(variant_name(variant)), variant);
  EXPECT_FALSE(parse_variant("avx"));
  EXPECT_FALSE(parse_variant(""));
}

TEST(Dispatch, ScalarIsAlwaysSupportedAndAvx512ImpliesAvx2) {
  EXPECT_TRUE(variant_supported(Variant::Scalar));
  EXPECT_TRUE(!variant_supported(Variant::Avx512) || variant_supported(Variant::Avx2));
}

TEST(Dispatch, EnvironmentOverride) {
  EXPECT_EQ(select_variant("scalar"), Variant::Scalar);
  const Variant best = variant_supported(Variant::Avx512) ? Variant::Avx512
                       : variant_supported(Variant::Avx2) ? Variant::Avx2
                                                          : Variant::Scalar;
  EXPECT_EQ(select_variant(nullptr), best);
  EXPECT_EQ(select_variant(""), best);
  expect_error<std::runtime_error>([] { select_variant("sse9"); },
                                   {"R1EVAL_KERNELS", "sse9", "scalar, avx2 or avx512"});
  for (Variant variant : {Variant::Avx2, Variant::Avx512}) {
    const std::string name(variant_name(variant));
    if (variant_supported(variant)) {
      EXPECT_EQ(select_variant(name.c_str()), variant);
    } else {
      expect_error<std::runtime_error>([&] { select_variant(name.c_str()); }, {"R1EVAL_KERNELS=" + name, "cannot run"});
      float a = 1.0f;
      expect_error<std::invalid_argument>([&] { dot(&a, &a, 1, variant); }, {"dot", name});
    }
  }
}

TEST(Dispatch, DefaultEntryPointsUseTheActiveVariant) {
  std::mt19937_64 rng(fresh_seed());
  const TestMatrix w = make_matrix(DType::F8_E4M3, 37, 300, 128, Values::Random, rng);
  const std::vector<float> x = random_vector(3 * 300, Values::Random, rng);
  const WeightMatrix view = w.view();
  std::vector<float> y_default(3 * 37), y_active(3 * 37);
  matmul({.w = &view, .x = x.data(), .m = 3, .y = y_default.data()});
  matmul({.w = &view, .x = x.data(), .m = 3, .y = y_active.data()}, active_variant());
  EXPECT_EQ(y_default, y_active);
  EXPECT_EQ(dot(x.data(), x.data() + 300, 300), dot(x.data(), x.data() + 300, 300, active_variant()));
}

TEST(Dispatch, InconsistentArgumentsGiveOneSentenceErrors) {
  std::mt19937_64 rng(fresh_seed());
  const TestMatrix w = make_matrix(DType::F8_E4M3, 10, 20, 128, Values::Random, rng);
  const WeightMatrix view = w.view();
  std::vector<float> x(100), y(100);
  using E = std::invalid_argument;
  expect_error<E>([&] { matmul({.w = nullptr, .x = x.data(), .y = y.data()}); }, {"matmul", "null"});
  expect_error<E>([&] { matmul({.w = &view, .x = x.data(), .y = y.data(), .row_begin = 5, .row_end = 11}); },
                  {"matmul", "[5, 11)", "[10, 20]"});
  expect_error<E>([&] { matmul({.w = &view, .x = x.data(), .y = y.data(), .row_begin = 6, .row_end = 4}); },
                  {"[6, 4)"});
  expect_error<E>([&] { matmul({.w = &view, .x = x.data(), .ldx = 19, .y = y.data()}); }, {"ldx = 19"});
  expect_error<E>([&] { matmul({.w = &view, .x = x.data(), .y = y.data(), .ldy = 3}); }, {"ldy = 3"});
  expect_error<E>([&] { matmul({.w = &view, .x = nullptr, .y = y.data()}); }, {"null"});
  expect_error<E>([&] { matmul({.w = &view, .x = x.data(), .m = -1, .y = y.data()}); }, {"m = -1"});
  WeightMatrix no_scales = view;
  no_scales.scale_inv = nullptr;
  expect_error<E>([&] { matmul({.w = &no_scales, .x = x.data(), .y = y.data()}); }, {"scale_inv"});
  WeightMatrix zero_block = view;
  zero_block.block = 0;
  expect_error<E>([&] { matmul({.w = &zero_block, .x = x.data(), .y = y.data()}); }, {"block size 0"});
  expect_error<E>([&] { matmul_transposed({.w = &view, .x = x.data(), .y = y.data(), .row_begin = 0, .row_end = 12}); },
                  {"matmul_transposed", "[0, 12)"});
  expect_error<E>([&] { dequantize_row(view, 10, y.data()); }, {"dequantize_row", "row 10"});
  // m = 0 and empty ranges are valid and write nothing.
  std::vector<float> untouched(100, 7.0f);
  matmul({.w = &view, .x = x.data(), .m = 0, .y = untouched.data()});
  matmul({.w = &view, .x = x.data(), .y = untouched.data(), .row_begin = 4, .row_end = 4});
  EXPECT_EQ(untouched, std::vector<float>(100, 7.0f));
}

}  // namespace
}  // namespace r1eval::engine::kernels::testing
