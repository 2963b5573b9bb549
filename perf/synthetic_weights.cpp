#include "perf/synthetic_weights.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/synth/counter_random.h"

namespace r1eval::perf {
namespace {

constexpr std::int64_t kBlock = 128;  // FP8 scale block edge (DeepSeek-V3's weight_block_size)

std::int64_t blocks(std::int64_t n) { return (n + kBlock - 1) / kBlock; }

}  // namespace

double weight_bytes(engine::weights::DType dtype, std::int64_t rows, std::int64_t cols) {
  const double elements = static_cast<double>(rows) * static_cast<double>(cols);
  switch (dtype) {
    case engine::weights::DType::BF16: return 2.0 * elements;
    case engine::weights::DType::F32: return 4.0 * elements;
    case engine::weights::DType::F8_E4M3: return elements + 4.0 * static_cast<double>(blocks(rows) * blocks(cols));
    case engine::weights::DType::F16: break;
  }
  throw std::invalid_argument("benchmark weights must be BF16, F32 or F8_E4M3");
}

SyntheticMatrix::SyntheticMatrix(engine::weights::DType dtype, std::int64_t rows, std::int64_t cols,
                                 std::uint64_t seed) {
  if (rows <= 0 || cols <= 0) throw std::invalid_argument("a benchmark matrix needs positive dimensions");
  const std::int64_t count = rows * cols;
  const engine::synth::CounterRandom random(seed, "bench-weights");
  // Values straight from the random bits (no floating-point math: filling hundreds of MB must be cheap): a random
  // sign and mantissa with an exponent giving |w| in [2^-7, 1) / 2^e, 2^e ≈ sqrt(cols), so outputs stay O(1).
  const int shift = static_cast<int>(std::lround(0.5 * std::log2(static_cast<double>(cols))));
  const std::uint32_t exponent_base = 120u - static_cast<std::uint32_t>(std::min(shift, 100));
  if (dtype == engine::weights::DType::F8_E4M3) {
    data_.resize(static_cast<std::size_t>(count));
    std::uint8_t* out = data_.data();
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < count; ++i) {
      auto code = static_cast<std::uint8_t>(random.bits(static_cast<std::uint64_t>(i)) & 0xFFu);
      if ((code & 0x7Fu) == 0x7Fu) code ^= 1u;  // 0x7F / 0xFF are NaN in E4M3FN
      out[i] = code;
    }
    // E4M3 codes span ±448: scale them to the same magnitude as the BF16 values.
    scales_.assign(static_cast<std::size_t>(blocks(rows) * blocks(cols)),
                   static_cast<float>(std::ldexp(1.0 / 448.0, -shift)));
  } else if (dtype == engine::weights::DType::BF16 || dtype == engine::weights::DType::F32) {
    const bool bf16 = dtype == engine::weights::DType::BF16;
    data_.resize(static_cast<std::size_t>(count) * (bf16 ? 2u : 4u));
    std::uint8_t* out = data_.data();
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < count; ++i) {
      const std::uint64_t h = random.bits(static_cast<std::uint64_t>(i));
      const auto bf16_bits = static_cast<std::uint16_t>((h & 0x8000u) | ((exponent_base + (h >> 16) % 7u) << 7) |
                                                        (h & 0x7Fu));
      if (bf16) {
        std::copy_n(reinterpret_cast<const std::uint8_t*>(&bf16_bits), 2, out + 2 * i);
      } else {
        const std::uint32_t f32_bits =
            static_cast<std::uint32_t>(bf16_bits) << 16 | static_cast<std::uint32_t>(h >> 48);
        std::copy_n(reinterpret_cast<const std::uint8_t*>(&f32_bits), 4, out + 4 * i);
      }
    }
  } else {
    throw std::invalid_argument("benchmark weights must be BF16, F32 or F8_E4M3");
  }
  view_ = engine::kernels::WeightMatrix{.dtype = dtype,
                                        .data = data_.data(),
                                        .rows = rows,
                                        .cols = cols,
                                        .scale_inv = scales_.empty() ? nullptr : scales_.data(),
                                        .block = kBlock};
}

std::vector<float> synthetic_floats(std::int64_t count, std::uint64_t seed, float scale) {
  const engine::synth::CounterRandom random(seed, "bench-activations");
  std::vector<float> values(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < values.size(); ++i) {
    values[i] = static_cast<float>(2.0 * random.uniform(i) - 1.0) * scale;
  }
  return values;
}

void WeightPool::retain_only(std::span<const Key> keys) {
  std::erase_if(matrices_, [&](const auto& entry) {
    return std::find(keys.begin(), keys.end(), entry.first) == keys.end();
  });
}

std::shared_ptr<const SyntheticMatrix> WeightPool::get(const Key& key) {
  auto it = matrices_.find(key);
  if (it == matrices_.end()) {
    const auto& [dtype, rows, cols, copy] = key;
    const auto seed = static_cast<std::uint64_t>((rows * 1000003 + cols) * 16 + copy);
    it = matrices_.emplace(key, std::make_shared<const SyntheticMatrix>(dtype, rows, cols, seed)).first;
  }
  return it->second;
}

}  // namespace r1eval::perf
