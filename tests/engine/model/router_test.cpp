#include <cmath>

#include <gtest/gtest.h>

#include "engine/model/router.h"

namespace r1eval::engine::model {
namespace {

float logit_of(float probability) { return std::log(probability / (1.0f - probability)); }

struct Routed {
  std::vector<std::int32_t> experts;
  std::vector<float> weights;
};

Routed run(const RouterParams& p, const std::vector<float>& sigmoid_scores, const std::vector<float>& bias) {
  std::vector<float> logits;
  for (float s : sigmoid_scores) logits.push_back(logit_of(s));
  Routed r{std::vector<std::int32_t>(static_cast<std::size_t>(p.top_k)),
           std::vector<float>(static_cast<std::size_t>(p.top_k))};
  std::vector<float> scratch(static_cast<std::size_t>(2 * p.n_experts + p.n_group));
  route_token(p, logits.data(), bias.data(), r.experts.data(), r.weights.data(), scratch);
  return r;
}

TEST(Router, GroupScoreIsTopTwoSumAndBiasOnlyChooses) {
  // 8 experts in 4 groups of 2; keep 2 groups, choose 2 experts.
  RouterParams p{8, 4, 2, 2, true, 2.5f};
  // Group sums (biased): g0 = .9+.1 = 1.0, g1 = .5+.45 = .95, g2 = .6+.6 = 1.2, g3 = .2+.2 = .4.
  // Kept groups: g2, g0. Best biased experts there: 0 (.9 biased 0.9) and 4/5 (.6 each; tie -> 4).
  const std::vector<float> s = {0.8f, 0.1f, 0.5f, 0.45f, 0.3f, 0.6f, 0.2f, 0.2f};
  const std::vector<float> bias = {0.1f, 0.0f, 0.0f, 0.0f, 0.3f, 0.0f, 0.0f, 0.0f};
  const Routed r = run(p, s, bias);
  EXPECT_EQ(r.experts, (std::vector<std::int32_t>{0, 4}));
  // Weights from the unbiased scores 0.8 and 0.3, normalized, times 2.5.
  EXPECT_NEAR(r.weights[0], 2.5 * 0.8 / 1.1, 1e-5);
  EXPECT_NEAR(r.weights[1], 2.5 * 0.3 / 1.1, 1e-5);
}

TEST(Router, ExpertsOutsideKeptGroupsAreNeverChosen) {
  // Expert 6 has the single best score, but its group (g3: .99 + .01) loses to g0 and g1 on top-2 sums.
  RouterParams p{8, 4, 2, 2, true, 1.0f};
  const std::vector<float> s = {0.7f, 0.7f, 0.6f, 0.6f, 0.5f, 0.5f, 0.99f, 0.01f};
  const std::vector<float> bias(8, 0.0f);
  const Routed r = run(p, s, bias);
  EXPECT_EQ(r.experts, (std::vector<std::int32_t>{0, 1}));
  EXPECT_NEAR(r.weights[0] + r.weights[1], 1.0, 1e-6);
}

TEST(Router, WithoutNormalizationWeightsAreScaledScores) {
  RouterParams p{4, 1, 1, 2, false, 2.0f};
  const std::vector<float> s = {0.2f, 0.9f, 0.4f, 0.3f};
  const Routed r = run(p, s, std::vector<float>(4, 0.0f));
  EXPECT_EQ(r.experts, (std::vector<std::int32_t>{1, 2}));
  EXPECT_NEAR(r.weights[0], 1.8, 1e-5);
  EXPECT_NEAR(r.weights[1], 0.8, 1e-5);
}

}  // namespace
}  // namespace r1eval::engine::model
