// Parameter counts, FLOPs and bytes per token of the real R1, from its configuration.
#include <gtest/gtest.h>

#include "perf/model_arithmetic.h"
#include "perf/r1_config.h"

namespace r1eval::perf {
namespace {

// Hand computation from MODEL.md §3 (d = 7168, 61 layers of which 3 dense and 58 MoE, H = 128):
//   attention per layer = q_a 7168·1536 + q_b 1536·(128·192) + kv_a 7168·576 + kv_b 512·(128·256) + o 16384·7168
//                       = 11,010,048 + 37,748,736 + 4,128,768 + 16,777,216 + 117,440,512 = 187,105,280
//   dense MLP = 3·7168·18432 = 396,361,728;  expert = 3·7168·2048 = 44,040,192;  router = 256·7168 = 1,835,008
//   head = embedding = 129280·7168 = 926,679,040
//   matmul_active = 61·187,105,280 + 3·396,361,728 + 58·(1,835,008 + (1 shared + 8 routed)·44,040,192) + head
//                 = 11,413,422,080 + 1,189,085,184 + 23,095,410,688 + 926,679,040 = 36,624,596,992
//   vectors = 61·(2·7168 + 512 + 1536) + 58·256 (router bias) + 7168 (final norm) = 1,021,440
//   active = matmul_active + embedding + vectors = 37,552,297,472   (DeepSeek: "37B activated")
//   total = active + 58·(256 − 8)·44,040,192 = 671,026,419,200       (MODEL.md: 671.03 B from the inventory)
TEST(ModelArithmetic, R1ParameterCounts) {
  const ParameterCounts p = count_parameters(deepseek_r1_config());
  EXPECT_DOUBLE_EQ(p.matmul_active, 36'624'596'992.0);
  EXPECT_DOUBLE_EQ(p.active, 37'552'297'472.0);
  EXPECT_DOUBLE_EQ(p.total, 671'026'419'200.0);
}

// Attention per context position = 61 layers · 128 heads · 2 · (2·512 + 64) = 16,990,208 FLOPs (17.0 MFLOP, as in
// the performance notes); at 4096 positions: 2·36,624,596,992 + 4096·16,990,208 = 142,841,085,952.
TEST(ModelArithmetic, R1FlopsPerToken) {
  const auto c = deepseek_r1_config();
  EXPECT_DOUBLE_EQ(flops_per_token(c, 0), 73'249'193'984.0);
  EXPECT_DOUBLE_EQ(flops_per_token(c, 4096), 142'841'085'952.0);
}

// E·(1 − (1 − k/E)^B) with E = 256, k = 8, 1 − k/E = 31/32: B = 1 → 8; B = 8 → 256·(1 − 0.775701) = 57.42;
// B = 32 → 256·(1 − 0.362038) = 163.31; B = 64 → 256·(1 − 0.131071) = 222.44 (the performance notes' table:
// 8, 57, 163, 222).
TEST(ModelArithmetic, DistinctExpertsUnderUniformRouting) {
  const auto c = deepseek_r1_config();
  EXPECT_NEAR(expected_distinct_experts(c, 1), 8.0, 1e-9);
  EXPECT_NEAR(expected_distinct_experts(c, 8), 57.42, 0.01);
  EXPECT_NEAR(expected_distinct_experts(c, 32), 163.31, 0.01);
  EXPECT_NEAR(expected_distinct_experts(c, 64), 222.44, 0.01);
}

// FP8 matrices: 1 byte per weight + 4 bytes per 128×128 block (ceil in both directions); BF16 embedding, head and
// router. attention = (1536·7168 + 4·12·56) + (24576·1536 + 4·192·12) + (576·7168 + 4·5·56) + (32768·512 + 4·256·4)
//                   + (7168·16384 + 4·56·128) = 187,151,072
// dense = 2·(18432·7168 + 4·144·56) + (7168·18432 + 4·56·144) = 396,458,496
// expert = 2·(2048·7168 + 4·16·56) + (7168·2048 + 4·56·16) = 44,050,944
// storage = 61·187,151,072 + 3·396,458,496 + 58·(2·1,835,008 + 257·44,050,944) + 2·2·926,679,040 = 673,148,539,232
TEST(ModelArithmetic, R1StoredBytes) {
  EXPECT_DOUBLE_EQ(weight_storage_bytes(deepseek_r1_config()), 673'148'539'232.0);
}

// Decode, batch 1: weights = 61·187,151,072 + 3·396,458,496 + 58·(3,670,016 router + (1 + 8)·44,050,944)
// + 1,853,358,080 (head) + 2·7168 (one embedding row) = 37,666,416,992; at 4096 positions add the BF16 latent
// cache 4096·61·576·2 = 287,834,112, total 37,954,251,104.
TEST(ModelArithmetic, R1DecodeStepBytes) {
  const auto c = deepseek_r1_config();
  EXPECT_DOUBLE_EQ(decode_step_bytes(c, 1, 0), 37'666'416'992.0);
  EXPECT_DOUBLE_EQ(decode_step_bytes(c, 1, 4096), 37'954'251'104.0);
}

TEST(ModelArithmetic, RejectsBadArguments) {
  const auto c = deepseek_r1_config();
  EXPECT_THROW(flops_per_token(c, -1), std::invalid_argument);
  EXPECT_THROW(expected_distinct_experts(c, 0), std::invalid_argument);
  EXPECT_THROW(count_parameters(engine::weights::ModelConfig{}), std::invalid_argument);
}

}  // namespace
}  // namespace r1eval::perf
