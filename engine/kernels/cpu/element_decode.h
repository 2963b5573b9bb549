// Scalar conversions of stored weight elements (BF16, F16, F8_E4M3FN) to float32.
//
// Everything here has internal linkage on purpose: this header is included by translation units compiled with
// AVX2 or AVX-512 flags, and an out-of-line copy of an ordinary inline function emitted there could be the one
// the linker keeps for baseline code (an illegal instruction on CPUs without those extensions). For the same
// reason it uses compiler builtins rather than std::bit_cast / std::numeric_limits, whose out-of-line copies
// (unoptimized builds) would be shared across translation units.
#pragma once

#include <cstdint>

namespace r1eval::engine::kernels::decode {
namespace {

constexpr float bf16_to_f32(std::uint16_t bits) {
  return __builtin_bit_cast(float, static_cast<std::uint32_t>(bits) << 16);
}

// float32 -> the nearest bfloat16 value (ties to even), as float32; subnormals become zero of the same sign and NaN
// stays NaN, as vcvtne2ps2bf16 does (MatmulInputs::Bfloat16 in kernels.h).
constexpr float round_to_bf16(float value) {
  const std::uint32_t bits = __builtin_bit_cast(std::uint32_t, value);
  if ((bits & 0x7F800000u) == 0) return __builtin_bit_cast(float, bits & 0x80000000u);
  if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return value;
  const std::uint32_t rounded = bits + 0x7FFFu + ((bits >> 16) & 1u);
  return __builtin_bit_cast(float, rounded & 0xFFFF0000u);
}

// IEEE binary16: 1 sign, 5 exponent (bias 15), 10 mantissa bits.
constexpr float f16_to_f32(std::uint16_t bits) {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
  const std::uint32_t exponent = (bits >> 10) & 0x1Fu;
  const std::uint32_t mantissa = bits & 0x3FFu;
  if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24, exact in float32
    const float magnitude = static_cast<float>(mantissa) * (1.0f / 16777216.0f);
    return sign != 0 ? -magnitude : magnitude;
  }
  if (exponent == 31) {  // infinity or NaN (payload kept)
    return __builtin_bit_cast(float, sign | 0x7F800000u | (mantissa << 13));
  }
  return __builtin_bit_cast(float, sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
}

// E4M3FN (MODEL.md §4): e != 0: (-1)^s (1 + m/8) 2^(e-7); e == 0: (-1)^s (m/8) 2^-6; 0x7F/0xFF are NaN.
constexpr float fp8_e4m3_formula(std::uint8_t bits) {
  const bool negative = (bits & 0x80u) != 0;
  const std::uint32_t exponent = (bits >> 3) & 0xFu;
  const std::uint32_t mantissa = bits & 0x7u;
  if (exponent == 15 && mantissa == 7) return __builtin_nanf("");
  float magnitude = 0.0f;
  if (exponent == 0) {
    magnitude = static_cast<float>(mantissa) * (1.0f / 512.0f);  // m/8 * 2^-6, exact
  } else {
    magnitude = __builtin_bit_cast(float, ((exponent - 7 + 127) << 23) | (mantissa << 20));
  }
  return negative ? -magnitude : magnitude;
}

// A plain aggregate (no member functions, so nothing with external linkage gets instantiated).
struct Fp8Table {
  float value[256];
};

constexpr Fp8Table make_fp8_table() {
  Fp8Table table{};
  for (int code = 0; code < 256; ++code) table.value[code] = fp8_e4m3_formula(static_cast<std::uint8_t>(code));
  return table;
}

constexpr Fp8Table kFp8Table = make_fp8_table();

constexpr float fp8_e4m3_to_f32(std::uint8_t bits) { return kFp8Table.value[bits]; }

}  // namespace
}  // namespace r1eval::engine::kernels::decode
