// latent_attention against a float64 softmax-attention reference, at ragged sizes that take one chunk of the cache
// or several (the last one partial), and its independence from the thread count.
#include "engine/kernels/latent_attention.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace r1eval::engine::kernels {
namespace {

struct Case {
  int heads, positions, width;
};

struct Inputs {
  std::vector<float> q, cache;
};

// Normal queries and cache rows; with `uneven`, the rows of one chunk are scaled up so that its scores dominate
// and the chunks' partial softmaxes must be rescaled by very different factors when they are combined.
Inputs random_inputs(const Case& c, bool uneven, std::mt19937& rng) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Inputs in{std::vector<float>(static_cast<std::size_t>(c.heads * c.width)),
            std::vector<float>(static_cast<std::size_t>(c.positions * c.width))};
  for (float& v : in.q) v = normal(rng);
  for (std::size_t i = 0; i < in.cache.size(); ++i) {
    const auto position = static_cast<std::int64_t>(i) / c.width;
    const bool boosted = uneven && position / kLatentAttentionChunk == 1;
    in.cache[i] = normal(rng) * (boosted ? 3.0f : 1.0f);
  }
  return in;
}

// The scratch for every chunk (`all_chunks`: they run in parallel outside a parallel region) or for one at a time.
std::vector<float> attend(const Case& c, const Inputs& in, float scale, bool all_chunks = true) {
  const std::int64_t floats = all_chunks ? latent_attention_scratch_floats(c.heads, c.positions, c.width)
                                         : latent_attention_chunk_scratch_floats(c.heads, c.width);
  std::vector<float> scratch(static_cast<std::size_t>(floats));
  std::vector<float> out(static_cast<std::size_t>(c.heads * c.width));
  latent_attention(
      {in.q.data(), c.heads, in.cache.data(), c.positions, c.width, scale, scratch.data(), out.data(), floats});
  return out;
}

TEST(LatentAttention, MatchesAFloat64Reference) {
  std::mt19937 rng(3);
  const float scale = 0.3f;
  for (const Case& c : {Case{1, 1, 8}, Case{3, 17, 40}, Case{16, 130, 72}, Case{16, 256, 72}, Case{5, 700, 33}}) {
    for (const bool uneven : {false, true}) {
      const Inputs in = random_inputs(c, uneven, rng);
      const std::vector<float> out = attend(c, in, scale);
      EXPECT_EQ(attend(c, in, scale, false), out) << "one chunk at a time";
      for (int h = 0; h < c.heads; ++h) {
        std::vector<double> weight(static_cast<std::size_t>(c.positions));
        double max = -1e300, sum = 0.0;
        for (int p = 0; p < c.positions; ++p) {
          double dot = 0.0;
          for (int k = 0; k < c.width; ++k) dot += double(in.q[h * c.width + k]) * in.cache[p * c.width + k];
          weight[p] = dot * scale;
          max = std::max(max, weight[p]);
        }
        for (double& w : weight) sum += (w = std::exp(w - max));
        for (int k = 0; k < c.width; ++k) {
          double expected = 0.0, magnitude = 0.0;
          for (int p = 0; p < c.positions; ++p) {
            expected += weight[p] / sum * in.cache[p * c.width + k];
            magnitude += weight[p] / sum * std::fabs(in.cache[p * c.width + k]);
          }
          EXPECT_NEAR(out[h * c.width + k], expected, 1e-4 * (1.0 + magnitude))
              << c.heads << "x" << c.positions << "x" << c.width << (uneven ? " uneven" : "") << " h" << h << " k" << k;
        }
      }
    }
  }
}

TEST(LatentAttention, EmptyContextGivesZeros) {
  const Case c{2, 0, 5};
  std::mt19937 rng(4);
  const std::vector<float> out = attend(c, random_inputs(c, false, rng), 1.0f);
  for (const float v : out) EXPECT_EQ(v, 0.0f);
}

// Chunks run in parallel when the call is outside a parallel region and has the scratch for all of them; one at a
// time with less scratch or inside a parallel region. The result must not depend on which, nor on how many threads.
TEST(LatentAttention, BitIdenticalOnEverySchedule) {
  std::mt19937 rng(5);
  const Case c{16, 3 * static_cast<int>(kLatentAttentionChunk) + 7, 72};
  const Inputs in = random_inputs(c, true, rng);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const std::vector<float> alone = attend(c, in, 0.2f);
  for (const int threads : {2, 3}) {
    omp_set_num_threads(threads);
    EXPECT_EQ(attend(c, in, 0.2f), alone) << threads << " threads";
    EXPECT_EQ(attend(c, in, 0.2f, false), alone) << threads << " threads, one chunk at a time";
    std::vector<std::vector<float>> inside(2);
#pragma omp parallel for num_threads(2)
    for (int i = 0; i < 2; ++i) inside[i] = attend(c, in, 0.2f, i == 0);
    EXPECT_EQ(inside[0], alone) << "inside a parallel region, scratch for every chunk";
    EXPECT_EQ(inside[1], alone) << "inside a parallel region, scratch for one chunk";
  }
  omp_set_num_threads(saved);
}

// Less than one chunk's scratch (or, for a context shorter than a chunk, than the whole context's) is refused.
TEST(LatentAttention, RefusesScratchSmallerThanOneChunk) {
  std::mt19937 rng(6);
  for (const Case& c : {Case{4, static_cast<int>(kLatentAttentionChunk) + 10, 16}, Case{4, 10, 16}}) {
    const Inputs in = random_inputs(c, false, rng);
    const std::int64_t floats = std::min(latent_attention_chunk_scratch_floats(c.heads, c.width),
                                         latent_attention_scratch_floats(c.heads, c.positions, c.width)) - 1;
    std::vector<float> scratch(static_cast<std::size_t>(floats + 1)), out(static_cast<std::size_t>(c.heads * c.width));
    EXPECT_THROW(latent_attention({in.q.data(), c.heads, in.cache.data(), c.positions, c.width, 1.0f, scratch.data(),
                                   out.data(), floats}),
                 std::invalid_argument)
        << c.positions << " positions";
    EXPECT_NO_THROW(latent_attention({in.q.data(), c.heads, in.cache.data(), c.positions, c.width, 1.0f,
                                      scratch.data(), out.data(), floats + 1}))
        << c.positions << " positions";
  }
}

}  // namespace
}  // namespace r1eval::engine::kernels
