#include "engine/weights/dtype.h"

#include <array>
#include <bit>
#include <cmath>
#include <limits>

namespace r1eval::engine::weights {

std::size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::BF16:
    case DType::F16:
      return 2;
    case DType::F32:
      return 4;
    case DType::F8_E4M3:
      return 1;
  }
  return 0;
}

std::string_view dtype_name(DType dtype) {
  switch (dtype) {
    case DType::BF16:
      return "BF16";
    case DType::F16:
      return "F16";
    case DType::F32:
      return "F32";
    case DType::F8_E4M3:
      return "F8_E4M3";
  }
  return "?";
}

std::optional<DType> parse_dtype(std::string_view name) {
  if (name == "BF16") return DType::BF16;
  if (name == "F16") return DType::F16;
  if (name == "F32") return DType::F32;
  if (name == "F8_E4M3") return DType::F8_E4M3;
  return std::nullopt;
}

float bf16_to_f32(std::uint16_t bits) { return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16); }

float f16_to_f32(std::uint16_t bits) {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
  const std::uint32_t exponent = (bits >> 10) & 0x1Fu;
  const std::uint32_t mantissa = bits & 0x3FFu;
  if (exponent == 0) {
    // Zero or subnormal: value = mantissa * 2^-24, exact in float32.
    const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign != 0 ? -magnitude : magnitude;
  }
  if (exponent == 0x1F) {
    return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));  // inf or NaN (payload kept)
  }
  return std::bit_cast<float>(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

namespace {

// Decodes one E4M3FN code from its definition (MODEL.md §4); used once to fill the lookup table.
float decode_e4m3(std::uint8_t bits) {
  const bool negative = (bits & 0x80u) != 0;
  const int exponent = (bits >> 3) & 0xF;
  const int mantissa = bits & 0x7;
  float magnitude = 0.0f;
  if (exponent == 15 && mantissa == 7) {
    magnitude = std::numeric_limits<float>::quiet_NaN();
  } else if (exponent == 0) {
    magnitude = std::ldexp(static_cast<float>(mantissa) / 8.0f, -6);
  } else {
    magnitude = std::ldexp(1.0f + static_cast<float>(mantissa) / 8.0f, exponent - 7);
  }
  return negative ? -magnitude : magnitude;
}

std::array<float, 256> make_e4m3_table() {
  std::array<float, 256> table{};
  for (int code = 0; code < 256; ++code)
    table[static_cast<std::size_t>(code)] = decode_e4m3(static_cast<std::uint8_t>(code));
  return table;
}

const std::array<float, 256> kE4M3Table = make_e4m3_table();

}  // namespace

float fp8_e4m3_to_f32(std::uint8_t bits) { return kE4M3Table[bits]; }

std::uint16_t f32_to_bf16(float value) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
  if (std::isnan(value)) return static_cast<std::uint16_t>((bits >> 16) | 0x0040u);  // keep it a quiet NaN
  // Round to nearest, ties to even: add 0x7FFF plus the lowest kept bit, then truncate.
  const std::uint32_t rounding = 0x7FFFu + ((bits >> 16) & 1u);
  return static_cast<std::uint16_t>((bits + rounding) >> 16);
}

std::uint8_t f32_to_fp8_e4m3(float value) {
  if (std::isnan(value)) return 0x7F;
  const std::uint8_t sign = std::signbit(value) ? 0x80 : 0x00;
  const float magnitude = std::fabs(value);
  if (magnitude >= 448.0f) return static_cast<std::uint8_t>(sign | 0x7E);  // saturate: E4M3FN has no infinity
  if (magnitude < 0x1.0p-6f) {
    // Subnormal range: the codes are m * 2^-9 for m = 0..7, and m = 8 is exactly the smallest normal (code 8).
    // Scaling by 2^9 is exact; nearbyint rounds to nearest even in the default rounding mode.
    return static_cast<std::uint8_t>(sign | static_cast<std::uint8_t>(std::nearbyint(magnitude * 512.0f)));
  }
  // Normal range: keep 3 of float32's 23 mantissa bits with round-to-nearest-even on the bit pattern (a carry out
  // of the mantissa correctly bumps the exponent), then rebias the exponent from 127 to 7.
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(magnitude);
  const std::uint32_t rounded = bits + 0x7FFFFu + ((bits >> 20) & 1u);
  const std::uint32_t code = (rounded >> 20) - ((127u - 7u) << 3);
  // Inputs below 448 round to at most 448 (0x7E); the clamp only guards the NaN code 0x7F.
  return static_cast<std::uint8_t>(sign | (code > 0x7Eu ? 0x7Eu : code));
}

}  // namespace r1eval::engine::weights
