#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "engine/model/rope.h"
#include "golden_fixture.h"

namespace r1eval::engine::model {
namespace {

weights::ModelConfig r1_config() {
  weights::ModelConfig c;
  c.qk_nope_head_dim = 128;
  c.qk_rope_head_dim = 64;
  c.rope_theta = 10000;
  c.yarn = weights::YarnScaling{40.0, 4096, 32.0, 1.0, 1.0, 1.0};
  return c;
}

TEST(Rope, R1SoftmaxScaleMatchesModelMd) {
  // MODEL.md §1: 192^-0.5 * (0.1 ln 40 + 1)^2 = 0.1352338.
  EXPECT_NEAR(Rope(r1_config()).softmax_scale(), 0.1352338, 5e-7);
}

TEST(Rope, R1YarnKeepsPairs0To10AndDividesPairsFrom23) {
  const Rope rope(r1_config());
  for (int j = 0; j < 32; ++j) {
    const double theta = std::pow(10000.0, -2.0 * j / 64.0);
    if (j <= 10) {
      EXPECT_DOUBLE_EQ(rope.inv_freq()[j], theta) << j;
    } else if (j >= 23) {
      EXPECT_DOUBLE_EQ(rope.inv_freq()[j], theta / 40.0) << j;
    } else {
      const double ramp = (j - 10.0) / 13.0;
      EXPECT_NEAR(rope.inv_freq()[j], theta / 40.0 * ramp + theta * (1 - ramp), 1e-15) << j;
    }
  }
}

TEST(Rope, MatchesGoldenReferenceFrequenciesAndScale) {
  const auto golden = testing::load_golden("tiny-fp8");
  weights::ModelConfig c;
  c.qk_nope_head_dim = 16;
  c.qk_rope_head_dim = 8;
  c.rope_theta = 10000;
  c.yarn = weights::YarnScaling{40.0, 256, 32.0, 1.0, 1.0, 1.0};
  const Rope rope(c);
  const auto expected = golden["reference"]["rope_inv_freq"].get<std::vector<double>>();
  ASSERT_EQ(rope.inv_freq().size(), expected.size());
  for (std::size_t j = 0; j < expected.size(); ++j) EXPECT_NEAR(rope.inv_freq()[j], expected[j], 1e-15);
  EXPECT_NEAR(rope.softmax_scale(), golden["reference"]["softmax_scale"].get<double>(), 1e-12);
}

TEST(Rope, RotatesAdjacentPairsNotHalves) {
  weights::ModelConfig c;
  c.qk_rope_head_dim = 4;
  c.qk_nope_head_dim = 4;
  c.rope_theta = 10000;
  const Rope rope(c);
  std::vector<double> cs(4);
  rope.rotation(3, cs.data());
  float x[4] = {1.0f, 0.0f, 0.0f, 1.0f};
  rope.apply(x, cs.data());
  // Pair 0 = (1, 0) turned by 3 rad; pair 1 = (0, 1) turned by 3 * 10000^-0.5 rad.
  EXPECT_NEAR(x[0], std::cos(3.0), 1e-6);
  EXPECT_NEAR(x[1], std::sin(3.0), 1e-6);
  EXPECT_NEAR(x[2], -std::sin(0.03), 1e-6);
  EXPECT_NEAR(x[3], std::cos(0.03), 1e-6);
}

}  // namespace
}  // namespace r1eval::engine::model
