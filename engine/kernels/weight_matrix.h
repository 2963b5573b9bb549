// A read-only view of a weight matrix in its stored (checkpoint) format.
#pragma once

#include <cstdint>

#include "engine/weights/dtype.h"

namespace r1eval::engine::kernels {

// W has shape [rows, cols] = [out_features, in_features] (nn.Linear layout), row-major, contiguous.
// For F8_E4M3, scale_inv is float32 [ceil(rows/block), ceil(cols/block)] row-major and the dequantized
// value is fp8(W[r,c]) * scale_inv[(r/block) * ceil(cols/block) + c/block]; edge blocks may be partial.
struct WeightMatrix {
  weights::DType dtype = weights::DType::F32;
  const void* data = nullptr;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  const float* scale_inv = nullptr;  // only for F8_E4M3
  std::int64_t block = 128;          // only for F8_E4M3
  // Optional, BF16 only: the same matrix repacked by Bf16Pairs (bf16_pairs.h). matmul with MatmulInputs::Bfloat16
  // then multiplies from it on CPUs with bf16 dot products, and from `data` everywhere else.
  const std::uint16_t* bf16_pairs = nullptr;
};

}  // namespace r1eval::engine::kernels
