// The cost of a run's tokens, worked out by hand from the rows' token counts and the prices.
#include "evals/metrics/cost_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace r1eval::evals::metrics {
namespace {

using reports::db::MetricRow;
using reports::db::SampleRow;

SampleRow sample(const std::string& suite, const std::string& problem, std::int64_t index, std::int64_t prompt,
                 std::int64_t completion) {
  SampleRow r;
  r.suite = suite;
  r.problem_id = problem;
  r.sample_index = index;
  r.prompt_tokens = prompt;
  r.completion_tokens = completion;
  return r;
}

TEST(CostMetrics, EachSuiteAndTheWholeRunAtTheGivenPrices) {
  // DeepSeek's January-2025 R1 prices: $0.55 in, $2.19 out per million tokens.
  const std::vector<SampleRow> rows = {sample("aime2024", "a1", 0, 100, 20000), sample("aime2024", "a1", 1, 100, 10000),
                                       sample("aime2024", "a2", 0, 300, 0),  // not generated: no output
                                       sample("gsm8k", "g1", 0, 1000, 500)};
  const std::vector<MetricRow> cost = cost_metrics(rows, {0.55, 2.19});
  ASSERT_EQ(cost.size(), 5u);
  // aime2024: 500 in × 0.55 + 30000 out × 2.19 = 275 + 65700 micro-dollars.
  EXPECT_EQ(cost[0].suite, "aime2024");
  EXPECT_EQ(cost[0].metric, "cost_usd");
  EXPECT_NEAR(cost[0].value, 0.065975, 1e-12);
  EXPECT_EQ(cost[0].n, 2);
  // gsm8k: 1000 × 0.55 + 500 × 2.19 = 550 + 1095.
  EXPECT_EQ(cost[1].suite, "gsm8k");
  EXPECT_NEAR(cost[1].value, 0.001645, 1e-12);
  EXPECT_EQ(cost[1].n, 1);
  EXPECT_EQ(cost[2].suite, "all");
  EXPECT_EQ(cost[2].metric, "cost_usd");
  EXPECT_NEAR(cost[2].value, 0.06762, 1e-12);
  EXPECT_EQ(cost[2].n, 3);
  EXPECT_EQ(cost[3].metric, "price_input_usd_per_mtok");
  EXPECT_EQ(cost[3].value, 0.55);
  EXPECT_EQ(cost[4].metric, "price_output_usd_per_mtok");
  EXPECT_EQ(cost[4].value, 2.19);

  // The prices are read back from the rows they were stored with.
  const std::optional<TokenPrices> stored = stored_token_prices(cost);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->input_usd_per_mtok, 0.55);
  EXPECT_EQ(stored->output_usd_per_mtok, 2.19);
}

TEST(CostMetrics, NoSamplesNoRowsAndBadPricesAreRefused) {
  EXPECT_TRUE(cost_metrics({}, {1.0, 2.0}).empty());
  EXPECT_FALSE(stored_token_prices({}).has_value());
  const std::vector<SampleRow> rows = {sample("gsm8k", "g1", 0, 1, 1)};
  EXPECT_THROW(cost_metrics(rows, {-1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(cost_metrics(rows, {1.0, std::numeric_limits<double>::quiet_NaN()}), std::invalid_argument);
  EXPECT_EQ(cost_metrics(rows, {0.0, 0.0})[0].value, 0.0);  // a free local server is allowed
}

}  // namespace
}  // namespace r1eval::evals::metrics
