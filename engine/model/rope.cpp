#include "engine/model/rope.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace r1eval::engine::model {

Rope::Rope(const weights::ModelConfig& config) {
  const std::int64_t dim = config.qk_rope_head_dim;
  const double base = config.rope_theta;
  inv_freq_.resize(static_cast<std::size_t>(dim / 2));
  for (std::int64_t j = 0; j < dim / 2; ++j) {
    inv_freq_[j] = std::pow(base, -2.0 * static_cast<double>(j) / static_cast<double>(dim));
  }
  double mscale = 1.0;
  if (config.yarn && config.yarn->factor > 1.0) {
    const weights::YarnScaling& y = *config.yarn;
    // The pair index whose wavelength completes n turns over the original context (DeepSeek's
    // yarn_find_correction_dim).
    const auto correction_dim = [&](double turns) {
      return static_cast<double>(dim) *
             std::log(static_cast<double>(y.original_max_position_embeddings) / (turns * 2.0 * std::numbers::pi)) /
             (2.0 * std::log(base));
    };
    const double low = std::max(std::floor(correction_dim(y.beta_fast)), 0.0);
    double high = std::min(std::ceil(correction_dim(y.beta_slow)), static_cast<double>(dim - 1));
    if (low == high) high += 0.001;
    for (std::int64_t j = 0; j < dim / 2; ++j) {
      const double ramp = std::clamp((static_cast<double>(j) - low) / (high - low), 0.0, 1.0);
      // ramp 0: high-frequency pairs keep their frequency; ramp 1: low-frequency pairs are interpolated by factor.
      inv_freq_[j] = inv_freq_[j] / y.factor * ramp + inv_freq_[j] * (1.0 - ramp);
    }
    mscale = 0.1 * y.mscale_all_dim * std::log(y.factor) + 1.0;
  }
  softmax_scale_ = std::pow(static_cast<double>(config.qk_head_dim()), -0.5) * mscale * mscale;
}

void Rope::rotation(std::int64_t pos, double* cos_sin) const {
  for (std::size_t j = 0; j < inv_freq_.size(); ++j) {
    const double angle = static_cast<double>(pos) * inv_freq_[j];
    cos_sin[2 * j] = std::cos(angle);
    cos_sin[2 * j + 1] = std::sin(angle);
  }
}

void Rope::apply(float* x, const double* cos_sin) const {
  for (std::size_t j = 0; j < inv_freq_.size(); ++j) {
    const double c = cos_sin[2 * j];
    const double s = cos_sin[2 * j + 1];
    const double x0 = x[2 * j];
    const double x1 = x[2 * j + 1];
    x[2 * j] = static_cast<float>(x0 * c - x1 * s);
    x[2 * j + 1] = static_cast<float>(x0 * s + x1 * c);
  }
}

}  // namespace r1eval::engine::model
