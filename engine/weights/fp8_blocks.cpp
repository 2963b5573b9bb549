#include "engine/weights/fp8_blocks.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/weights/dtype.h"

namespace r1eval::engine::weights {
namespace {

constexpr float kE4M3Max = 448.0f;

std::int64_t blocks_for(std::int64_t extent, std::int64_t block) { return (extent + block - 1) / block; }

void check_sizes(std::size_t values, std::size_t grid, std::int64_t rows, std::int64_t cols, std::int64_t block) {
  if (rows < 0 || cols < 0 || block < 1 || values != static_cast<std::size_t>(rows * cols) ||
      grid != static_cast<std::size_t>(blocks_for(rows, block) * blocks_for(cols, block))) {
    throw std::invalid_argument("fp8 block (de)quantization: buffer sizes do not match the matrix shape");
  }
}

}  // namespace

void quantize_fp8_blocks(std::span<const float> values, std::int64_t rows, std::int64_t cols, std::int64_t block,
                         std::span<std::uint8_t> codes, std::span<float> scales) {
  check_sizes(values.size(), scales.size(), rows, cols, block);
  if (codes.size() != values.size()) throw std::invalid_argument("fp8 block quantization: codes size mismatch");
  const std::int64_t grid_cols = blocks_for(cols, block);
  for (std::int64_t br = 0; br < blocks_for(rows, block); ++br) {
    const std::int64_t r0 = br * block;
    const std::int64_t r1 = std::min(rows, r0 + block);
    for (std::int64_t bc = 0; bc < grid_cols; ++bc) {
      const std::int64_t c0 = bc * block;
      const std::int64_t c1 = std::min(cols, c0 + block);
      float amax = 0.0f;
      for (std::int64_t r = r0; r < r1; ++r) {
        for (std::int64_t c = c0; c < c1; ++c)
          amax = std::max(amax, std::fabs(values[static_cast<std::size_t>(r * cols + c)]));
      }
      const float scale = amax > 0.0f ? amax / kE4M3Max : 1.0f;
      scales[static_cast<std::size_t>(br * grid_cols + bc)] = scale;
      for (std::int64_t r = r0; r < r1; ++r) {
        for (std::int64_t c = c0; c < c1; ++c) {
          const auto i = static_cast<std::size_t>(r * cols + c);
          codes[i] = f32_to_fp8_e4m3(values[i] / scale);
        }
      }
    }
  }
}

void dequantize_fp8_blocks(std::span<const std::uint8_t> codes, std::span<const float> scales, std::int64_t rows,
                           std::int64_t cols, std::int64_t block, std::span<float> out) {
  check_sizes(codes.size(), scales.size(), rows, cols, block);
  if (out.size() != codes.size()) throw std::invalid_argument("fp8 block dequantization: output size mismatch");
  const std::int64_t grid_cols = blocks_for(cols, block);
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < cols; ++c) {
      const auto i = static_cast<std::size_t>(r * cols + c);
      out[i] = fp8_e4m3_to_f32(codes[i]) * scales[static_cast<std::size_t>((r / block) * grid_cols + c / block)];
    }
  }
}

}  // namespace r1eval::engine::weights
