// The R1 projection on GPUs against hand-computed figures.
#include <gtest/gtest.h>

#include "perf/cost.h"
#include "perf/projection.h"
#include "perf/r1_config.h"

namespace r1eval::perf {
namespace {

GpuPrice h200() {
  GpuPrice g;
  g.name = "H200";
  g.usd_per_gpu_hour = 3.99;
  g.basis = "test";
  g.source = "test";
  g.as_of = "2025-01";
  g.spec = GpuSpec{.memory_gb = 141, .hbm_gbps = 4800, .dense_fp8_tflops = 1979, .dense_bf16_tflops = 989.5,
                   .source = "datasheet"};
  return g;
}

PriceTable table() {
  PriceTable t;
  t.gpus = {h200()};
  t.projection.efficiency = 0.25;
  t.projection.prompt_tokens = 4096;
  t.projection.context = 4096;
  t.projection.decode_batches = {1, 64};
  t.projection.memory_headroom = 0.9;
  return t;
}

// Stored weights 673,148,539,232 bytes (model_arithmetic_test). One node of 8 H200 holds 8 · 141 GB · 0.9 =
// 1,015.2 GB: 1 node. 8 H100 hold 8 · 80 GB · 0.9 = 576 GB < 673 GB: 2 nodes = 16 GPUs.
TEST(Projection, GpusNeededInWholeNodes) {
  const auto c = deepseek_r1_config();
  EXPECT_EQ(gpus_needed(c, h200().spec, 0.9), 8);
  GpuSpec h100 = h200().spec;
  h100.memory_gb = 80;
  EXPECT_EQ(gpus_needed(c, h100, 0.9), 16);
}

// Decode on 8 × H200 at 4096 positions:
//  batch 1: bytes 37,954,251,104 / (8 · 4.8e12 B/s) = 988.39 µs; FLOPs 142,841,085,952 / (8 · 1979e12) = 9.02 µs.
//           Memory-bound: bound = 1 / 988.39 µs = 1011.74 tok/s; × 25% = 252.94 tok/s;
//           cost = 8 · $3.99 / (252.94 · 3600) · 10⁶ = $35.055 per M tokens.
//  batch 64: expected distinct experts 256·(1 − (31/32)^64) = 222.44 → weights 603,979,556,271 bytes incl. KV
//           (64 · 287,834,112); 603.98e9 / 38.4e12 = 15.729 ms vs 64 · 142.84e9 / 15.832e15 = 0.577 ms.
//           bound = 64 / 15.729 ms = 4069.01 tok/s; × 25% = 1017.25; cost = $31.92/h / (1017.25 · 3600) · 10⁶ = $8.716.
// Prefill of 4096 tokens: FLOPs 4096 · 73,249,193,984 + 16,990,208 · 4096 · 4097 / 2 = 4.42588e14;
//           / 15.832e15 = 27.955 ms (compute-bound; memory: 671.64e9 / 38.4e12 = 17.49 ms).
//           bound = 4096 / 27.955 ms = 146,519.8 tok/s; × 25% = 36,629.96; cost = $0.24206 per M tokens.
TEST(Projection, R1OnH200MatchesHandComputation) {
  const std::vector<ProjectionRow> rows = project_throughput(deepseek_r1_config(), table());
  ASSERT_EQ(rows.size(), 3u);

  EXPECT_EQ(rows[0].phase, "prefill");
  EXPECT_EQ(rows[0].gpus, 8);
  EXPECT_EQ(rows[0].context, 4096);
  EXPECT_NEAR(rows[0].step_seconds, 0.0279553, 1e-6);
  EXPECT_NEAR(rows[0].bound_tokens_per_s, 146519.8, 0.5);
  EXPECT_NEAR(rows[0].tokens_per_s, 36629.96, 0.2);
  EXPECT_NEAR(rows[0].usd_per_mtok, 0.242061, 1e-5);

  EXPECT_EQ(rows[1].phase, "decode");
  EXPECT_EQ(rows[1].batch, 1);
  EXPECT_NEAR(rows[1].step_seconds, 988.392e-6, 1e-9);
  EXPECT_NEAR(rows[1].bound_tokens_per_s, 1011.744, 0.01);
  EXPECT_NEAR(rows[1].tokens_per_s, 252.936, 0.01);
  EXPECT_NEAR(rows[1].usd_per_mtok, 35.0550, 1e-3);

  EXPECT_EQ(rows[2].batch, 64);
  EXPECT_NEAR(rows[2].bound_tokens_per_s, 4069.01, 0.05);
  EXPECT_NEAR(rows[2].tokens_per_s, 1017.25, 0.05);
  EXPECT_NEAR(rows[2].usd_per_mtok, 8.7163, 1e-3);

  for (const ProjectionRow& r : rows) {
    EXPECT_NE(r.basis.find("projection"), std::string::npos);
    EXPECT_NE(r.basis.find("25%"), std::string::npos);
  }
}

TEST(Projection, BuiltInTableProjectsEveryGpu) {
  const PriceTable prices = default_price_table();
  const std::vector<ProjectionRow> rows = project_throughput(deepseek_r1_config(), prices);
  EXPECT_EQ(rows.size(), prices.gpus.size() * (1 + prices.projection.decode_batches.size()));
  for (const ProjectionRow& r : rows) {
    EXPECT_GT(r.tokens_per_s, 0.0);
    EXPECT_GT(r.usd_per_mtok, 0.0);
  }
}

}  // namespace
}  // namespace r1eval::perf
