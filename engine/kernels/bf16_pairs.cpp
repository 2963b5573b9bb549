#include "engine/kernels/bf16_pairs.h"

#include <omp.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

namespace r1eval::engine::kernels {

void Bf16Pairs::AlignedFree::operator()(std::uint16_t* p) const { std::free(p); }

Bf16Pairs::Bf16Pairs(const WeightMatrix& w) {
  if (w.dtype != weights::DType::BF16) throw std::invalid_argument("Bf16Pairs: the weight matrix is not BF16.");
  if (w.rows < 0 || w.cols < 0 || (w.data == nullptr && w.rows > 0 && w.cols > 0)) {
    throw std::invalid_argument("Bf16Pairs: the weight matrix has no data or a negative shape.");
  }
  const std::int64_t blocks = (w.rows + kBlockRows - 1) / kBlockRows;
  const std::int64_t pairs = (w.cols + 1) / 2;
  const std::int64_t block_values = pairs * kBlockRows * 2;
  // 64-byte aligned, so that every 128-byte pair of a block starts a line; whole lines, and at least one (an empty
  // matrix still gets a non-null pointer).
  const auto bytes = static_cast<std::size_t>(blocks * block_values) * sizeof(std::uint16_t);
  data_.reset(static_cast<std::uint16_t*>(std::aligned_alloc(64, bytes / 64 * 64 + 64)));
  if (!data_) throw std::bad_alloc();
  const auto* stored = static_cast<const unsigned char*>(w.data);  // BF16 little-endian, maybe not 2-byte aligned
#pragma omp parallel for schedule(static)
  for (std::int64_t b = 0; b < blocks; ++b) {
    std::uint16_t* block = data_.get() + b * block_values;
    std::memset(block, 0, static_cast<std::size_t>(block_values) * sizeof(std::uint16_t));
    for (std::int64_t r = 0; r < kBlockRows && b * kBlockRows + r < w.rows; ++r) {
      const unsigned char* row = stored + (b * kBlockRows + r) * w.cols * 2;
      for (std::int64_t c = 0; c < w.cols; ++c) {
        block[(c / 2) * kBlockRows * 2 + r * 2 + c % 2] = static_cast<std::uint16_t>(row[2 * c] | row[2 * c + 1] << 8);
      }
    }
  }
}

}  // namespace r1eval::engine::kernels
