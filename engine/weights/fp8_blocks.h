// DeepSeek's FP8 weight format: E4M3 codes plus one float32 scale_inv per block x block tile.
#pragma once

#include <cstdint>
#include <span>

namespace r1eval::engine::weights {

// Quantizes a row-major [rows, cols] float32 matrix. For each tile (edge tiles partial) scale = amax/448 over the
// tile's real elements (1 for an all-zero tile), codes = E4M3(value / scale) rounded to nearest even.
// `codes` holds rows*cols bytes; `scales` holds ceil(rows/block) * ceil(cols/block) floats, row-major.
void quantize_fp8_blocks(std::span<const float> values, std::int64_t rows, std::int64_t cols, std::int64_t block,
                         std::span<std::uint8_t> codes, std::span<float> scales);

// W[r, c] = e4m3(codes[r, c]) * scales[r / block, c / block]; `out` holds rows*cols floats.
void dequantize_fp8_blocks(std::span<const std::uint8_t> codes, std::span<const float> scales, std::int64_t rows,
                           std::int64_t cols, std::int64_t block, std::span<float> out);

}  // namespace r1eval::engine::weights
