#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "engine/model/philox.h"
#include "engine/model/sampler.h"

namespace r1eval::engine::model {
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
  std::sort(sorted.begin(), sorted.end(),
            [](auto a, auto b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
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

TEST(Sampler, TopPOnAPeakedDistributionDrawsExactlyTheNucleus) {
  // An untrained vocabulary's logits are all 0 (the bundled toy model's lm_head rows): a few trained tokens carry the
  // mass, the zeros a tail. The nucleus ends inside a bucket of the trained tokens; the tail is never drawn.
  const std::int64_t vocab = 129280;
  std::vector<float> logits(vocab, 0.0f);
  const std::vector<std::pair<int, float>> trained = {
      {10, 20.0f}, {500, 19.5f}, {7000, 19.2f}, {90000, 18.0f}, {129279, 14.0f}};
  for (const auto& [id, logit] : trained) logits[static_cast<std::size_t>(id)] = logit;
  const double temperature = 0.8;
  // The sorted reference: tokens by logit, the smallest prefix whose mass reaches 0.95 of the total.
  double total = static_cast<double>(vocab - static_cast<std::int64_t>(trained.size())) * std::exp(-20.0 / temperature);
  for (const auto& t : trained) total += std::exp((t.second - 20.0) / temperature);
  std::set<int> nucleus;
  double mass = 0.0;
  for (const auto& t : trained) {  // listed by decreasing logit
    if (mass >= 0.95 * total) break;
    mass += std::exp((t.second - 20.0) / temperature);
    nucleus.insert(t.first);
  }
  ASSERT_EQ(nucleus.size(), 3u);  // 10, 500, 7000: the 18.0 and 14.0 tokens and the zeros fall outside
  Sampler s;
  std::map<int, int> counts;
  for (std::uint64_t step = 0; step < 3000; ++step) {
    ++counts[s.sample(logits.data(), vocab, SamplingParams{temperature, 0.95, 0, 9}, 4, step)];
  }
  std::set<int> drawn;
  for (const auto& [token, count] : counts) drawn.insert(token);
  EXPECT_EQ(drawn, nucleus);
  // Frequencies follow the renormalized weights within the nucleus (4 standard errors).
  const double kept = std::exp(0.0) + std::exp(-0.5 / temperature) + std::exp(-0.8 / temperature);
  EXPECT_NEAR(counts[10] / 3000.0, 1.0 / kept, 4 * std::sqrt(0.25 / 3000.0));
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

TEST(Sampler, TopKThenTopPWithTiedLogitsMatchesASortedReference) {
  // 50000 logits on 64 levels (many ties): top-k 30001 cuts inside a tie, then top-p 0.6 of what is left. The kept
  // set must be exactly the sorted reference's prefix (ties broken towards lower ids), and every kept token must
  // be drawn with its weight: check membership, and that the draws land on many different tokens.
  const std::int64_t vocab = 50000, top_k = 30001;
  std::vector<float> logits(vocab);
  for (std::int64_t i = 0; i < vocab; ++i) logits[i] = static_cast<float>((i * 7919) % 64) / 16.0f;
  std::vector<int> order(vocab);
  for (int i = 0; i < vocab; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return logits[a] > logits[b] || (logits[a] == logits[b] && a < b); });
  const double temperature = 0.7;
  const auto weight = [&](int i) {
    return std::exp((static_cast<double>(logits[i]) - logits[order[0]]) / temperature);
  };
  double total = 0.0;
  for (std::int64_t r = 0; r < top_k; ++r) total += weight(order[r]);
  std::set<int> nucleus;
  double mass = 0.0;
  for (std::int64_t r = 0; r < top_k && mass < 0.6 * total; ++r) {
    mass += weight(order[r]);
    nucleus.insert(order[r]);
  }
  Sampler s;
  std::set<int> drawn;
  for (std::uint64_t step = 0; step < 400; ++step) {
    const int token = s.sample(logits.data(), vocab, SamplingParams{temperature, 0.6, top_k, 11}, 3, step);
    EXPECT_TRUE(nucleus.count(token)) << token;
    drawn.insert(token);
  }
  EXPECT_GT(drawn.size(), 300u);
}

}  // namespace
}  // namespace r1eval::engine::model
