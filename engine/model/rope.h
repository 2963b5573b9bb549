// Rotary position embedding as DeepSeek-V3 uses it: interleaved pairs, YaRN-corrected frequencies, and the
// YaRN attention scale (MODEL.md §5.2-5.4).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/weights/config.h"

namespace r1eval::engine::model {

class Rope {
 public:
  explicit Rope(const weights::ModelConfig& config);

  // cos_sin[2j], cos_sin[2j+1] = cos, sin of pos * inv_freq[j], for j < dim/2. Computed once per token and
  // reused by every head and layer. The angle is formed in double: at long context a float angle is off by ~1e-3 rad.
  void rotation(std::int64_t pos, double* cos_sin) const;
  // Rotates x[0..dim) in place: pairs (x[2j], x[2j+1]) as complex numbers times e^(i angle_j).
  void apply(float* x, const double* cos_sin) const;
  std::int64_t dim() const { return static_cast<std::int64_t>(2 * inv_freq_.size()); }

  const std::vector<double>& inv_freq() const { return inv_freq_; }
  // qk_head_dim^-0.5 * mscale^2, mscale = 0.1 * mscale_all_dim * ln(factor) + 1 (factor > 1).
  double softmax_scale() const { return softmax_scale_; }

 private:
  std::vector<double> inv_freq_;
  double softmax_scale_ = 1.0;
};

}  // namespace r1eval::engine::model
