// BF16 weights repacked for products with many input rows at once on bf16 dot-product instructions.
#pragma once

#include <cstdint>
#include <memory>

#include "engine/kernels/weight_matrix.h"

namespace r1eval::engine::kernels {

// A BF16 matrix's values (bit for bit) in blocks of 32 rows: block b holds, for each column pair p in turn, the 32
// rows' columns 2p and 2p+1 side by side (64 values, 128 bytes). Rows past the matrix and the column after an odd
// last one are zero. One 512-bit load thus gives 16 rows x one pair of columns, and a vdpbf16ps against one input
// pair broadcast to every lane adds 16 rows' products at once: the row-major kernel instead sums 16 lanes of
// one row and reduces them at the end, and its tiles must bring each input row back from L2 for every few weight
// rows. Set `bf16_pairs` of the WeightMatrix to data() for matmul to use it (weight_matrix.h). Costs a second copy
// of the matrix; the stored one is then read no more on such CPUs.
class Bf16Pairs {
 public:
  static constexpr std::int64_t kBlockRows = 32;

  explicit Bf16Pairs(const WeightMatrix& w);  // w: BF16; throws std::invalid_argument otherwise

  const std::uint16_t* data() const { return data_.get(); }

 private:
  struct AlignedFree {
    void operator()(std::uint16_t* p) const;
  };
  std::unique_ptr<std::uint16_t[], AlignedFree> data_;
};

}  // namespace r1eval::engine::kernels
