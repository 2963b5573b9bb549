// Element decoding: the scalar decoders against the format definitions, and every variant's dequantize_row
// (which goes through the SIMD decoders) against them, bit for bit.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine/kernels/cpu/element_decode.h"
#include "tests/engine/kernels/kernel_test_support.h"
#include "tests/engine/kernels/variant_param.h"

namespace r1eval::engine::kernels::testing {
namespace {

void expect_same_float(float actual, double expected, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what << ": expected NaN, got " << actual;
  } else {
    EXPECT_EQ(actual, static_cast<float>(expected)) << what;
    EXPECT_EQ(std::signbit(actual), std::signbit(expected)) << what << ": sign of zero";
  }
}

TEST(ElementDecode, RoundToBf16IsNearestEvenWithSubnormalsFlushed) {
  EXPECT_EQ(decode::round_to_bf16(1.0f + 0x1p-9f), 1.0f);                  // below half a bf16 step: down
  EXPECT_EQ(decode::round_to_bf16(1.0f + 3 * 0x1p-9f), 1.0f + 0x1p-7f);    // above: up
  EXPECT_EQ(decode::round_to_bf16(1.0f + 0x1p-8f), 1.0f);                  // tie: to the even neighbour
  EXPECT_EQ(decode::round_to_bf16(1.0f + 3 * 0x1p-8f), 1.0f + 0x1p-6f);    // tie: to the even neighbour (up)
  EXPECT_EQ(decode::round_to_bf16(-3.0f), -3.0f);
  EXPECT_EQ(decode::round_to_bf16(0x1.FFFFFEp127f), INFINITY);             // rounds past the largest bf16
  EXPECT_TRUE(std::isnan(decode::round_to_bf16(NAN)));
  const float subnormal = -0x1p-130f;
  EXPECT_EQ(decode::round_to_bf16(subnormal), 0.0f);
  EXPECT_TRUE(std::signbit(decode::round_to_bf16(subnormal)));
  EXPECT_EQ(decode::round_to_bf16(0x1p-126f), 0x1p-126f);                  // the smallest normal stays
}

TEST(ElementDecode, Fp8MatchesTheDefinitionForEveryCode) {
  for (int code = 0; code < 256; ++code) {
    expect_same_float(decode::fp8_e4m3_to_f32(static_cast<std::uint8_t>(code)),
                      fp8_value(static_cast<std::uint8_t>(code)), "code " + std::to_string(code));
  }
  EXPECT_EQ(decode::fp8_e4m3_to_f32(0x7E), 448.0f);
  EXPECT_EQ(decode::fp8_e4m3_to_f32(0x01), std::ldexp(1.0f, -9));
  EXPECT_EQ(decode::fp8_e4m3_to_f32(0x08), std::ldexp(1.0f, -6));
  EXPECT_EQ(decode::fp8_e4m3_to_f32(0xB8), -1.0f);
}

TEST(ElementDecode, F16MatchesTheDefinitionForEveryCode) {
  for (int code = 0; code < 0x10000; ++code) {
    expect_same_float(decode::f16_to_f32(static_cast<std::uint16_t>(code)), f16_value(static_cast<std::uint16_t>(code)),
                      "code " + std::to_string(code));
  }
}

TEST(ElementDecode, Bf16IsTheUpperHalfOfFloat32) {
  EXPECT_EQ(decode::bf16_to_f32(0x3F80), 1.0f);
  EXPECT_EQ(decode::bf16_to_f32(0xC000), -2.0f);
  EXPECT_EQ(decode::bf16_to_f32(0x3E80), 0.25f);
  EXPECT_EQ(decode::bf16_to_f32(0x0001), std::ldexp(1.0f, -133));
  EXPECT_TRUE(std::isinf(decode::bf16_to_f32(0x7F80)));
  EXPECT_TRUE(std::isnan(decode::bf16_to_f32(0x7FC1)));
}

class DequantizeRow : public PerVariant {};

TEST_P(DequantizeRow, EveryFp8CodeTimesItsBlockScale) {
  // One row holding all 256 codes twice over, in blocks of 128 with different scales (one partial block).
  TestMatrix m{.dtype = DType::F8_E4M3,
               .rows = 1,
               .cols = 600,
               .block = 128,
               .data = {},
               .scales = {0.5f, 3.0f, 1.0f / 3.0f, 1e-3f, 7.0f},
               .exact = {}};
  for (int c = 0; c < 600; ++c) m.data.push_back(static_cast<std::uint8_t>((c * 7) % 256));
  std::vector<float> out(600);
  dequantize_row(m.view(), 0, out.data(), variant());
  for (int c = 0; c < 600; ++c) {
    expect_same_float(out[static_cast<std::size_t>(c)], fp8_value(m.data[static_cast<std::size_t>(c)]) * m.scale(0, c),
                      "column " + std::to_string(c));
  }
}

TEST_P(DequantizeRow, RandomRowsOfEveryDtypeAreExact) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (DType dtype : {DType::F32, DType::BF16, DType::F16, DType::F8_E4M3}) {
    for (std::int64_t cols : {1, 7, 31, 127, 129, 300}) {
      for (std::int64_t block : {128, 5}) {
        const TestMatrix m = make_matrix(dtype, 131, cols, block, Values::Random, rng);
        std::vector<float> out(static_cast<std::size_t>(cols));
        for (std::int64_t row : {0, 5, 127, 128, 130}) {
          dequantize_row(m.view(), row, out.data(), variant());
          for (std::int64_t c = 0; c < cols; ++c) {
            expect_same_float(out[static_cast<std::size_t>(c)], m.value(row, c),
                              dtype_label(dtype) + " cols " + std::to_string(cols) + " block " + std::to_string(block) +
                                  " row " + std::to_string(row) + " col " + std::to_string(c));
          }
        }
      }
    }
  }
}

R1EVAL_INSTANTIATE_PER_VARIANT(DequantizeRow);

}  // namespace
}  // namespace r1eval::engine::kernels::testing
