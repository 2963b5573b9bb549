#include "engine/model/router.h"

#include <cassert>
#include <cmath>
#include <limits>

namespace r1eval::engine::model {

RouterParams RouterParams::from_config(const weights::ModelConfig& config) {
  RouterParams p;
  p.n_experts = config.n_routed_experts;
  p.n_group = config.n_group;
  p.topk_group = config.topk_group;
  p.top_k = config.num_experts_per_tok;
  p.normalize = config.norm_topk_prob;
  p.scaling = static_cast<float>(config.routed_scaling_factor);
  return p;
}

namespace {

// Index of the largest value (ties to the lower index); values equal to -inf count as taken.
std::int64_t argmax(const float* values, std::int64_t n) {
  std::int64_t best = -1;
  for (std::int64_t i = 0; i < n; ++i) {
    if (values[i] == -std::numeric_limits<float>::infinity()) continue;
    if (best < 0 || values[i] > values[best]) best = i;
  }
  return best;
}

}  // namespace

void route_token(const RouterParams& params, const float* logits, const float* bias, std::int32_t* experts_out,
                 float* weights_out, std::span<float> scratch) {
  const std::int64_t n = params.n_experts;
  const std::int64_t per_group = n / params.n_group;
  assert(static_cast<std::int64_t>(scratch.size()) >= 2 * n + params.n_group);
  float* scores = scratch.data();          // sigmoid, unbiased: they give the weights
  float* choice = scratch.data() + n;      // biased: they choose
  float* group_score = scratch.data() + 2 * n;
  constexpr float kTaken = -std::numeric_limits<float>::infinity();

  for (std::int64_t e = 0; e < n; ++e) {
    scores[e] = 1.0f / (1.0f + std::exp(-logits[e]));
    choice[e] = scores[e] + bias[e];
  }
  // A group's score is the sum of its two best biased scores (the best alone when a group has one expert).
  for (std::int64_t g = 0; g < params.n_group; ++g) {
    const float* group = choice + g * per_group;
    float first = kTaken, second = kTaken;
    for (std::int64_t i = 0; i < per_group; ++i) {
      if (group[i] > first) {
        second = first;
        first = group[i];
      } else if (group[i] > second) {
        second = group[i];
      }
    }
    group_score[g] = per_group >= 2 ? first + second : first;
  }
  // Keep the topk_group best groups; mask the experts of the others with -inf (as DeepSeek's own code does).
  for (std::int64_t kept = 0; kept < params.topk_group; ++kept) {
    const std::int64_t g = argmax(group_score, params.n_group);
    group_score[g] = kTaken;
  }
  for (std::int64_t g = 0; g < params.n_group; ++g) {
    if (group_score[g] == kTaken) continue;  // a kept group
    for (std::int64_t i = 0; i < per_group; ++i) choice[g * per_group + i] = kTaken;
  }
  float sum = 0.0f;
  for (std::int64_t k = 0; k < params.top_k; ++k) {
    const std::int64_t e = argmax(choice, n);
    choice[e] = kTaken;
    experts_out[k] = static_cast<std::int32_t>(e);
    weights_out[k] = scores[e];
    sum += scores[e];
  }
  const float norm = params.normalize ? params.scaling / (sum + 1e-20f) : params.scaling;
  for (std::int64_t k = 0; k < params.top_k; ++k) weights_out[k] *= norm;
}

}  // namespace r1eval::engine::model
