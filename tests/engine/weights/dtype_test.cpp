#include "engine/weights/dtype.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "tests/engine/weights/test_files.h"

namespace r1eval::engine::weights {
namespace {

TEST(Fp8E4M3, EveryCodeMatchesTheFormula) {
  for (int code = 0; code < 256; ++code) {
    const float decoded = fp8_e4m3_to_f32(static_cast<std::uint8_t>(code));
    if ((code & 0x7F) == 0x7F) {
      EXPECT_TRUE(std::isnan(decoded)) << "code " << code;
      continue;
    }
    // MODEL.md §4, computed in double independently of the library's table.
    EXPECT_EQ(static_cast<double>(decoded), test::e4m3_by_definition(static_cast<std::uint8_t>(code)))
        << "code " << code;
    EXPECT_EQ(std::signbit(decoded), code >= 0x80) << "code " << code;
  }
}

TEST(Fp8E4M3, HandComputedValues) {
  EXPECT_EQ(fp8_e4m3_to_f32(0x00), 0.0f);
  EXPECT_EQ(fp8_e4m3_to_f32(0x01), 0.001953125f);  // 1/8 * 2^-6 = 2^-9
  EXPECT_EQ(fp8_e4m3_to_f32(0x07), 0.013671875f);  // 7/8 * 2^-6
  EXPECT_EQ(fp8_e4m3_to_f32(0x08), 0.015625f);     // 2^-6, smallest normal
  EXPECT_EQ(fp8_e4m3_to_f32(0x38), 1.0f);
  EXPECT_EQ(fp8_e4m3_to_f32(0x3C), 1.5f);
  EXPECT_EQ(fp8_e4m3_to_f32(0x40), 2.0f);
  EXPECT_EQ(fp8_e4m3_to_f32(0x7E), 448.0f);
  EXPECT_EQ(fp8_e4m3_to_f32(0xB8), -1.0f);
  EXPECT_EQ(fp8_e4m3_to_f32(0xFE), -448.0f);
}

TEST(Fp8E4M3, EncodingRoundTripsEveryFiniteCode) {
  for (int code = 0; code < 256; ++code) {
    if ((code & 0x7F) == 0x7F) continue;
    EXPECT_EQ(f32_to_fp8_e4m3(fp8_e4m3_to_f32(static_cast<std::uint8_t>(code))), code) << "code " << code;
  }
}

TEST(Fp8E4M3, RoundsToNearestEvenBetweenEveryPairOfCodes) {
  for (int code = 0; code < 0x7E; ++code) {
    const double low = test::e4m3_by_definition(static_cast<std::uint8_t>(code));
    const double high = test::e4m3_by_definition(static_cast<std::uint8_t>(code + 1));
    const auto midpoint = static_cast<float>((low + high) / 2);  // exact: few mantissa bits
    ASSERT_EQ(static_cast<double>(midpoint), (low + high) / 2);
    const int even = (code % 2 == 0) ? code : code + 1;
    EXPECT_EQ(f32_to_fp8_e4m3(midpoint), even) << "midpoint above code " << code;
    EXPECT_EQ(f32_to_fp8_e4m3(std::nextafter(midpoint, 0.0f)), code) << "just below the midpoint above " << code;
    EXPECT_EQ(f32_to_fp8_e4m3(std::nextafter(midpoint, 1000.0f)), code + 1) << "just above the midpoint above " << code;
    EXPECT_EQ(f32_to_fp8_e4m3(-midpoint), 0x80 | even) << "negative midpoint above code " << code;
  }
}

TEST(Fp8E4M3, SaturatesInsteadOfOverflowing) {
  EXPECT_EQ(f32_to_fp8_e4m3(448.0f), 0x7E);
  EXPECT_EQ(f32_to_fp8_e4m3(460.0f), 0x7E);
  EXPECT_EQ(f32_to_fp8_e4m3(470.0f), 0x7E);  // nearer to 480 than to 448, but 480 does not exist
  EXPECT_EQ(f32_to_fp8_e4m3(1e30f), 0x7E);
  EXPECT_EQ(f32_to_fp8_e4m3(std::numeric_limits<float>::infinity()), 0x7E);
  EXPECT_EQ(f32_to_fp8_e4m3(-std::numeric_limits<float>::infinity()), 0xFE);
  EXPECT_EQ(f32_to_fp8_e4m3(-1000.0f), 0xFE);
  EXPECT_EQ(f32_to_fp8_e4m3(std::numeric_limits<float>::quiet_NaN()) & 0x7F, 0x7F);
}

TEST(Fp8E4M3, TinyValuesRoundIntoSubnormals) {
  EXPECT_EQ(f32_to_fp8_e4m3(0x1.0p-10f), 0x00);        // half of the smallest subnormal: tie to even (0)
  EXPECT_EQ(f32_to_fp8_e4m3(0x1.8p-9f), 0x02);         // 1.5 * 2^-9: tie to even (2)
  EXPECT_EQ(f32_to_fp8_e4m3(0x1.0p-20f), 0x00);
  EXPECT_EQ(f32_to_fp8_e4m3(-0x1.0p-20f), 0x80);       // keeps the sign of zero
  EXPECT_EQ(f32_to_fp8_e4m3(0x1.fp-7f), 0x08);         // 7.75/8 * 2^-6 rounds up to the smallest normal
  EXPECT_EQ(f32_to_fp8_e4m3(0.0f), 0x00);
}

TEST(Bf16, DecodesByShifting) {
  EXPECT_EQ(bf16_to_f32(0x3F80), 1.0f);
  EXPECT_EQ(bf16_to_f32(0xC040), -3.0f);
  EXPECT_EQ(bf16_to_f32(0x3E80), 0.25f);
  EXPECT_EQ(bf16_to_f32(0x0001), 0x1.0p-133f);  // smallest subnormal
  EXPECT_TRUE(std::isinf(bf16_to_f32(0x7F80)));
  EXPECT_TRUE(std::isnan(bf16_to_f32(0x7FC0)));
}

TEST(Bf16, EncodesWithRoundToNearestEven) {
  EXPECT_EQ(f32_to_bf16(1.0f), 0x3F80);
  EXPECT_EQ(f32_to_bf16(1.0f + 0x1.0p-8f), 0x3F80);               // tie between 0x3F80 and 0x3F81: even
  EXPECT_EQ(f32_to_bf16(1.0f + 0x1.8p-7f), 0x3F82);               // tie between 0x3F81 and 0x3F82: even
  EXPECT_EQ(f32_to_bf16(1.0f + 0x1.0p-8f + 0x1.0p-20f), 0x3F81);  // just above the tie
  EXPECT_EQ(f32_to_bf16(-2.0f), 0xC000);
  EXPECT_EQ(f32_to_bf16(std::numeric_limits<float>::max()), 0x7F80);  // rounds up to infinity
  EXPECT_EQ(f32_to_bf16(std::numeric_limits<float>::infinity()), 0x7F80);
  EXPECT_TRUE(std::isnan(bf16_to_f32(f32_to_bf16(std::numeric_limits<float>::quiet_NaN()))));
  // Every bf16 value round-trips.
  for (std::uint32_t bits = 0; bits < 0x10000; ++bits) {
    const float value = bf16_to_f32(static_cast<std::uint16_t>(bits));
    if (std::isnan(value)) continue;
    ASSERT_EQ(f32_to_bf16(value), bits);
  }
}

TEST(F16, HandComputedValues) {
  EXPECT_EQ(f16_to_f32(0x3C00), 1.0f);
  EXPECT_EQ(f16_to_f32(0xC000), -2.0f);
  EXPECT_EQ(f16_to_f32(0x7BFF), 65504.0f);
  EXPECT_EQ(f16_to_f32(0x0001), 0x1.0p-24f);
  EXPECT_EQ(f16_to_f32(0x03FF), 1023.0f * 0x1.0p-24f);
  EXPECT_EQ(f16_to_f32(0x0400), 0x1.0p-14f);
  EXPECT_EQ(f16_to_f32(0x3555), 0.333251953125f);
  EXPECT_TRUE(std::signbit(f16_to_f32(0x8000)));
  EXPECT_TRUE(std::isinf(f16_to_f32(0x7C00)));
  EXPECT_TRUE(std::isnan(f16_to_f32(0x7E00)));
}

TEST(DType, NamesSizesAndParsing) {
  for (const DType dtype : {DType::BF16, DType::F16, DType::F32, DType::F8_E4M3}) {
    EXPECT_EQ(parse_dtype(dtype_name(dtype)), dtype);
  }
  EXPECT_EQ(dtype_size(DType::BF16), 2u);
  EXPECT_EQ(dtype_size(DType::F16), 2u);
  EXPECT_EQ(dtype_size(DType::F32), 4u);
  EXPECT_EQ(dtype_size(DType::F8_E4M3), 1u);
  EXPECT_FALSE(parse_dtype("F64"));
  EXPECT_FALSE(parse_dtype("bf16"));
  EXPECT_FALSE(parse_dtype("F8_E5M2"));
}

}  // namespace
}  // namespace r1eval::engine::weights
