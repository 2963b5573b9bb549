// Weight matrices and activations filled with deterministic pseudo-random values, for timing the kernels at any
// shape without a checkpoint. Values are well scaled (no NaN codes, no overflow) so every kernel path runs as it
// would on real weights.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <tuple>
#include <vector>

#include "engine/kernels/weight_matrix.h"
#include "engine/weights/dtype.h"

namespace r1eval::perf {

// Storage for one matrix [rows, cols] in `dtype` (BF16, F32 or F8_E4M3 with 128×128 block scales) and its view.
class SyntheticMatrix {
 public:
  SyntheticMatrix(engine::weights::DType dtype, std::int64_t rows, std::int64_t cols, std::uint64_t seed);
  SyntheticMatrix(const SyntheticMatrix&) = delete;
  SyntheticMatrix& operator=(const SyntheticMatrix&) = delete;

  const engine::kernels::WeightMatrix& view() const { return view_; }

 private:
  std::vector<std::uint8_t> data_;
  std::vector<float> scales_;
  engine::kernels::WeightMatrix view_;
};

// Bytes a kernel reads for a [rows, cols] matrix stored as `dtype`, FP8 block scales (float32, one per 128×128
// block, edge blocks partial) included. Throws std::invalid_argument for F16 (no engine kernel reads it here).
double weight_bytes(engine::weights::DType dtype, std::int64_t rows, std::int64_t cols);

// `count` floats, deterministic in (seed, index), roughly uniform in [-1, 1) times `scale`.
std::vector<float> synthetic_floats(std::int64_t count, std::uint64_t seed, float scale = 1.0f);

// Matrices shared by consecutive benchmark cases, so that m = 1, 8, 32 of one shape fill the weights once.
class WeightPool {
 public:
  // dtype, rows, cols, copy: distinct copies of one shape hold different values (an expert's gate and up).
  using Key = std::tuple<engine::weights::DType, std::int64_t, std::int64_t, int>;

  // Frees every matrix not in `keys` (call before preparing the next case, so the largest matrices are never
  // alive two at a time).
  void retain_only(std::span<const Key> keys);
  std::shared_ptr<const SyntheticMatrix> get(const Key& key);

 private:
  std::map<Key, std::shared_ptr<const SyntheticMatrix>> matrices_;
};

}  // namespace r1eval::perf
