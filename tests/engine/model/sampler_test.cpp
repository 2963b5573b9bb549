#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include <gtest/gtest.h>

#include "engine/model/philox.h"
#include "engine/model/sampler.h"

namespace r1eval::model {
namespace {

TEST(Philox, MatchesPublishedKnownAnswer) {
  // Random123's kat_vectors: philox4x32 10 rounds, counter and key all ones-bits.
  const auto r = philox4x32({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu});
  EXPECT_EQ(r[0], 0x408f276du);
  EXPECT_EQ(r[1], 0x41c83b0eu);
  EXPECT_EQ(r[2], 0xa20bc7c6u);
  EXPECT_EQ(r[3], 0x6d5451fdu);
  const auto z = philox4x32({0, 0, 0, 0}, {0, 0});
  EXPECT_EQ(z[0], 0x6627e8d5u);
  EXPECT_EQ(z[1], 0xe169c58du);
  EXPECT_EQ(z[2], 0xbc57ac4cu);
  EXPECT_EQ(z[3], 0x9b00dbd8u);
}

TEST(Sampler, GreedyIsArgmaxWithTiesToLowestId) {
  Sampler s;
  const std::vector<float> logits = {0.5f, 2.0f, 2.0f, -1.0f};
  EXPECT_EQ(s.sample(logits.data(), 4, SamplingParams{}, 0, 0), 1);
}

TEST(Sampler, SameKeyGivesSameTokenAndStreamsDiffer) {
  Sampler s;
  std::vector<float> logits(1000);
  for (int i = 0; i < 1000; ++i) logits[i] = static_cast<float>(std::sin(i * 0.37) * 3.0);
  const SamplingParams p{1.0, 1.0, 0, 42};
  int differing = 0;
  for (std::uint64_t step = 0; step < 50; ++step) {
    EXPECT_EQ(s.sample(logits.data(), 1000, p, 7, step), s.sample(logits.data(), 1000, p, 7, step));
    differing += s.sample(logits.data(), 1000, p, 7, step) != s.sample(logits.data(), 1000, p, 8, step);
  }
  EXPECT_GT(differing, 25);
}

TEST(Sampler, FrequenciesFollowTheTemperedDistribution) {
  Sampler s;
  const std::vector<float> logits = {std::log(0.5f), std::log(0.3f), std::log(0.2f)};
  const SamplingParams p{1.0, 1.0, 0, 3};
  std::map<int, int> counts;
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) ++counts[s.sample(logits.data(), 3, p, 0, static_cast<std::uint64_t>(i))];
  // 4.5 standard deviations of a binomial proportion at n = 20000 is below 0.016.
  EXPECT_NEAR(counts[0] / double(draws), 0.5, 0.016);
  EXPECT_NEAR(counts[1] / double(draws), 0.3, 0.016);
  EXPECT_NEAR(counts[2] / double(draws), 0.2, 0.016);
  // Temperature 0.5 squares the probabilities: 25:9:4 over 38.
  const SamplingParams cold{0.5, 1.0, 0, 3};
  counts.clear();
  for (int i = 0; i < draws; ++i) ++counts[s.sample(logits.data(), 3, cold, 1, static_cast<std::uint64_t>(i))];
  EXPECT_NEAR(counts[0] / double(draws), 25.0 / 38, 0.016);
  EXPECT_NEAR(counts[2] / double(draws), 4.0 / 38, 0.016);
}

TEST(Sampler, TopPKeepsTheSmallestPrefixReachingP) {
  Sampler s;
  // Probabilities .5 .3 .15 .05: top_p .8 keeps {0, 1}; top_p .81 keeps {0, 1, 2}.
  const std::vector<float> logits = {std::log(0.5f), std::log(0.3f), std::log(0.15f), std::log(0.05f)};
  std::map<int, int> counts;
  for (int i = 0; i < 4000; ++i) {
    ++counts[s.sample(logits.data(), 4, SamplingParams{1.0, 0.8, 0, 9}, 0, static_cast<std::uint64_t>(i))];
  }
  EXPECT_EQ(counts[2] + counts[3], 0);
  EXPECT_NEAR(counts[0] / 4000.0, 0.5 / 0.8, 0.03);
  counts.clear();
  for (int i = 0; i < 4000; ++i) {
    ++counts[s.sample(logits.data(), 4, SamplingParams{1.0, 0.81, 0, 9}, 0, static_cast<std::uint64_t>(i))];
  }
  EXPECT_GT(counts[2], 0);
  EXPECT_EQ(counts[3], 0);
}

TEST(Sampler, TopPOverALargeVocabularyMatchesASortedReference) {
  // 129280 logits: the growing-prefix nucleus must pick exactly the sorted-prefix set.
  const std::int64_t vocab = 129280;
  std::vector<float> logits(vocab);
  for (std::int64_t i = 0; i < vocab; ++i) logits[i] = static_cast<float>(std::sin(static_cast<double>(i) * 1.7) * 4.0);
  std::vector<std::pair<float, int>> sorted;
  for (std::int64_t i = 0; i < vocab; ++i) sorted.emplace_back(logits[i], static_cast<int>(i));
  std::sort(sorted.begin(), sorted.end(), [](auto a, auto b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
  double total = 0.0;
  for (auto& e : sorted) total += std::exp(static_cast<double>(e.first) - sorted[0].first);
  std::set<int> nucleus;
  double mass = 0.0;
  for (auto& e : sorted) {
    if (mass >= 0.95 * total) break;
    mass += std::exp(static_cast<double>(e.first) - sorted[0].first);
    nucleus.insert(e.second);
  }
  Sampler s;
  for (std::uint64_t step = 0; step < 300; ++step) {
    const int token = s.sample(logits.data(), vocab, SamplingParams{1.0, 0.95, 0, 5}, 0, step);
    EXPECT_TRUE(nucleus.count(token)) << token;
  }
}

TEST(Sampler, RejectsOutOfRangeParameters) {
  Sampler s;
  const std::vector<float> logits = {1.0f, 2.0f};
  EXPECT_THROW(s.sample(logits.data(), 2, SamplingParams{-1.0, 1.0, 0, 0}, 0, 0), std::invalid_argument);
  EXPECT_THROW(s.sample(logits.data(), 2, SamplingParams{1.0, 0.0, 0, 0}, 0, 0), std::invalid_argument);
  EXPECT_THROW(s.sample(logits.data(), 2, SamplingParams{1.0, 1.5, 0, 0}, 0, 0), std::invalid_argument);
  EXPECT_THROW(s.sample(logits.data(), 2, SamplingParams{1.0, 1.0, -2, 0}, 0, 0), std::invalid_argument);
}

TEST(Sampler, TopKLimitsCandidates) {
  Sampler s;
  const std::vector<float> logits = {1.0f, 3.0f, 2.0f, 0.0f, 2.5f};
  for (std::uint64_t i = 0; i < 500; ++i) {
    const int t = s.sample(logits.data(), 5, SamplingParams{2.0, 1.0, 2, 1}, 0, i);
    EXPECT_TRUE(t == 1 || t == 4) << t;
  }
}

}  // namespace
}  // namespace r1eval::model
