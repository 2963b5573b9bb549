// Cost per token and the price table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "perf/cost.h"

namespace r1eval::perf {
namespace {

TEST(CostPerToken, MatchesHandComputedFigures) {
  // $2.99 per hour at 1000 tok/s: 1000 × 3600 = 3.6 M tokens per hour, so $2.99 / 3.6 = $0.830556 per M tokens.
  EXPECT_NEAR(cost_per_mtok_usd(2.99, 1000.0), 0.8305556, 1e-6);
  // Two CPU cores at $0.05132 each ($0.10264/h) and 62.3 tok/s: 62.3 × 3600 = 224,280 tokens per hour;
  // 0.10264 / 224,280 × 10⁶ = $0.457642 per M tokens.
  EXPECT_NEAR(cost_per_mtok_usd(0.10264, 62.3), 0.4576422, 1e-6);
  // DeepSeek's own decode node (performance notes): 8 × $2/h = $16/h at 14.8k tok/s = $0.3003 per M tokens.
  EXPECT_NEAR(cost_per_mtok_usd(16.0, 14800.0), 0.3003003, 1e-6);
}

TEST(CostPerToken, RejectsNonPositiveInputs) {
  EXPECT_THROW(cost_per_mtok_usd(1.0, 0.0), std::invalid_argument);
  EXPECT_THROW(cost_per_mtok_usd(0.0, 10.0), std::invalid_argument);
  EXPECT_THROW(cost_per_mtok_usd(-1.0, 10.0), std::invalid_argument);
  EXPECT_THROW(cost_per_mtok_usd(1.0, std::numeric_limits<double>::infinity()), std::invalid_argument);
}

TEST(PriceTable, BuiltInTableCarriesSourcesAndTheApiReference) {
  const PriceTable t = default_price_table();
  EXPECT_GT(t.cpu.usd_per_core_hour, 0.0);
  EXPECT_FALSE(t.cpu.source.empty());
  EXPECT_FALSE(t.cpu.as_of.empty());
  ASSERT_EQ(t.gpus.size(), 2u);
  EXPECT_EQ(t.gpus[0].name, "H100");
  EXPECT_EQ(t.gpus[1].name, "H200");
  for (const GpuPrice& g : t.gpus) {
    EXPECT_FALSE(g.source.empty());
    EXPECT_FALSE(g.as_of.empty());
    EXPECT_GT(g.spec.hbm_gbps, 0.0);
  }
  // DeepSeek API, deepseek-reasoner, January 2025: $0.55 input (cache miss), $2.19 output per M tokens.
  EXPECT_DOUBLE_EQ(t.api.input_usd_per_mtok, 0.55);
  EXPECT_DOUBLE_EQ(t.api.output_usd_per_mtok, 2.19);
  EXPECT_NE(t.note.find("LIST prices"), std::string::npos);
}

// The file in the repository and the compiled-in copy agree (the build embeds the file's text).
TEST(PriceTable, FileInTheRepositoryParsesLikeTheBuiltIn) {
  const PriceTable file = load_price_table(std::filesystem::path(R1EVAL_SOURCE_DIR) / "benchmarks/prices.json");
  const PriceTable built_in = default_price_table();
  EXPECT_EQ(file.cpu.usd_per_core_hour, built_in.cpu.usd_per_core_hour);
  EXPECT_EQ(file.gpus[1].usd_per_gpu_hour, built_in.gpus[1].usd_per_gpu_hour);
  EXPECT_EQ(file.projection.decode_batches, built_in.projection.decode_batches);
}

std::string default_text() {
  std::ifstream in(std::filesystem::path(R1EVAL_SOURCE_DIR) / "benchmarks/prices.json");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string error_of(const std::string& text) {
  try {
    parse_price_table(text, "prices.json");
  } catch (const PriceError& e) {
    return e.what();
  }
  return "";
}

TEST(PriceTable, ErrorsNameTheFileAndTheKey) {
  nlohmann::json j = nlohmann::json::parse(default_text());
  j["gpus"][1]["spec"].erase("hbm_gbps");
  EXPECT_EQ(error_of(j.dump()), "prices.json: \"gpus[1].spec.hbm_gbps\" is missing.");

  j = nlohmann::json::parse(default_text());
  j["cpu_core_hour"]["usd_per_core_hour"] = -1;
  EXPECT_EQ(error_of(j.dump()), "prices.json: \"cpu_core_hour.usd_per_core_hour\" must be positive.");

  j = nlohmann::json::parse(default_text());
  j["projection"]["efficiency"] = 1.5;
  EXPECT_NE(error_of(j.dump()).find("projection.efficiency"), std::string::npos);

  j = nlohmann::json::parse(default_text());
  j["projection"]["decode_batches"] = nlohmann::json::array({1, 0});
  EXPECT_NE(error_of(j.dump()).find("projection.decode_batches"), std::string::npos);

  EXPECT_NE(error_of("{\"note\": ").find("prices.json"), std::string::npos);
  EXPECT_EQ(error_of("[]"), "prices.json: \"(top level)\" must be an object.");
}

// An endpoint run's served model finds its token prices by exact name; other names have none.
TEST(PriceTable, EndpointPricesAreFoundByServedModelName) {
  const PriceTable t = default_price_table();
  const EndpointPrice* deepseek = find_endpoint_price(t, "deepseek-reasoner");
  ASSERT_NE(deepseek, nullptr);
  EXPECT_DOUBLE_EQ(deepseek->price.input_usd_per_mtok, 0.55);  // January 2025, cache miss
  EXPECT_DOUBLE_EQ(deepseek->price.output_usd_per_mtok, 2.19);
  EXPECT_EQ(find_endpoint_price(t, "deepseek-ai/DeepSeek-R1"), nullptr);
  EXPECT_EQ(find_endpoint_price(t, "DeepSeek-Reasoner"), nullptr);
}

TEST(PriceTable, MissingFileIsAnErrorNamingIt) {
  try {
    load_price_table("/nonexistent/prices.json");
    FAIL() << "expected PriceError";
  } catch (const PriceError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/prices.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace r1eval::perf
