// latent_attention against a float64 softmax-attention reference, at ragged sizes.
#include "engine/kernels/latent_attention.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace r1eval::kernels {
namespace {

TEST(LatentAttention, MatchesAFloat64Reference) {
  std::mt19937 rng(3);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (const auto& [heads, positions, width] : {std::tuple<int, int, int>{1, 1, 8}, {3, 17, 40}, {16, 130, 72}}) {
    std::vector<float> q(static_cast<std::size_t>(heads * width)), cache(static_cast<std::size_t>(positions * width));
    for (float& v : q) v = normal(rng);
    for (float& v : cache) v = normal(rng);
    std::vector<float> scores(static_cast<std::size_t>(heads * positions)), out(static_cast<std::size_t>(heads * width));
    const float scale = 0.3f;
    latent_attention({q.data(), heads, cache.data(), positions, width, scale, scores.data(), out.data()});
    for (int h = 0; h < heads; ++h) {
      std::vector<double> weight(static_cast<std::size_t>(positions));
      double max = -1e300, sum = 0.0;
      for (int p = 0; p < positions; ++p) {
        double dot = 0.0;
        for (int c = 0; c < width; ++c) dot += double(q[h * width + c]) * cache[p * width + c];
        weight[p] = dot * scale;
        max = std::max(max, weight[p]);
      }
      for (double& w : weight) sum += (w = std::exp(w - max));
      for (int c = 0; c < width; ++c) {
        double expected = 0.0;
        for (int p = 0; p < positions; ++p) expected += weight[p] / sum * cache[p * width + c];
        EXPECT_NEAR(out[h * width + c], expected, 1e-4) << heads << "x" << positions << "x" << width << " h" << h << " c" << c;
      }
    }
  }
}

}  // namespace
}  // namespace r1eval::kernels
