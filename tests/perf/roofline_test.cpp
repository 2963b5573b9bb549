#include <gtest/gtest.h>

#include <limits>

#include "perf/roofline.h"

namespace r1eval::perf {
namespace {

// 3.5 GB at 35 GB/s = 0.1 s; 1 GFLOP at 100 GFLOP/s = 0.01 s: memory-bound, floor 0.1 s.
TEST(Roofline, FloorIsTheSlowerOfMemoryAndCompute) {
  EXPECT_DOUBLE_EQ(floor_seconds({.flops = 1e9, .bytes = 3.5e9}, {.gflops = 100, .gbps = 35}), 0.1);
  // 50 GFLOP at 100 GFLOP/s = 0.5 s beats 0.35 GB / 35 GB/s = 0.01 s: compute-bound.
  EXPECT_DOUBLE_EQ(floor_seconds({.flops = 50e9, .bytes = 0.35e9}, {.gflops = 100, .gbps = 35}), 0.5);
  // No FLOPs (tokenizer): the memory floor alone.
  EXPECT_DOUBLE_EQ(floor_seconds({.flops = 0, .bytes = 2e9}, {.gflops = 100, .gbps = 20}), 0.1);
}

// A GEMV of a 7168 × 1536 BF16 matrix (22,020,096 bytes) on a 30 GB/s machine: floor 0.7340 ms; measured 1.0 ms
// gives 73.40%.
TEST(Roofline, PercentIsFloorOverMeasured) {
  const double floor =
      floor_seconds({.flops = 2.0 * 7168 * 1536, .bytes = 2.0 * 7168 * 1536}, {.gflops = 200, .gbps = 30});
  EXPECT_NEAR(floor, 0.00073400320, 1e-12);
  EXPECT_NEAR(roofline_pct(floor, 0.001), 73.400320, 1e-6);
  EXPECT_DOUBLE_EQ(roofline_pct(0.5, 0.25), 200.0);  // faster than the floor: the model or the ceiling is wrong
}

TEST(Roofline, RejectsImpossibleInputs) {
  EXPECT_THROW(floor_seconds({1, 1}, {0, 10}), std::invalid_argument);
  EXPECT_THROW(floor_seconds({1, 1}, {10, -1}), std::invalid_argument);
  EXPECT_THROW(floor_seconds({-1, 1}, {10, 10}), std::invalid_argument);
  EXPECT_THROW(floor_seconds({1, 1}, {std::numeric_limits<double>::infinity(), 10}), std::invalid_argument);
  EXPECT_THROW(roofline_pct(1.0, 0.0), std::invalid_argument);
  EXPECT_THROW(roofline_pct(-1.0, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace r1eval::perf
