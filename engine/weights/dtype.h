// Element types of checkpoint tensors and their conversions to float32.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace r1eval::engine::weights {

enum class DType : std::uint8_t { BF16, F16, F32, F8_E4M3 };

// Bytes per element.
std::size_t dtype_size(DType dtype);
// The safetensors spelling: "BF16", "F16", "F32", "F8_E4M3".
std::string_view dtype_name(DType dtype);
std::optional<DType> parse_dtype(std::string_view name);

float bf16_to_f32(std::uint16_t bits);
float f16_to_f32(std::uint16_t bits);
// E4M3FN: exact value for every one of the 256 codes (NaN for 0x7F/0xFF).
float fp8_e4m3_to_f32(std::uint8_t bits);
// Round to nearest even.
std::uint16_t f32_to_bf16(float value);
// Round to nearest even, saturating to ±448 (no infinities in E4M3FN).
std::uint8_t f32_to_fp8_e4m3(float value);

}  // namespace r1eval::engine::weights
