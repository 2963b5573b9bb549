// The Wilson score interval against published values, and the floor it gives a zero-width bootstrap interval.
#include "evals/metrics/wilson.h"

#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace r1eval::evals::metrics {
namespace {

// Values from the closed form worked by hand (z = 1.959964), to four decimals.
TEST(Wilson, MatchesHandComputedIntervals) {
  const Interval none_of_two = wilson_interval(0, 2);
  EXPECT_EQ(none_of_two.low, 0.0);
  EXPECT_NEAR(none_of_two.high, 0.6576, 5e-5);
  const Interval all_of_ten = wilson_interval(10, 10);
  EXPECT_NEAR(all_of_ten.low, 0.7225, 5e-5);
  EXPECT_EQ(all_of_ten.high, 1.0);
  const Interval three_of_ten = wilson_interval(3, 10);  // the textbook example: [0.108, 0.603]
  EXPECT_NEAR(three_of_ten.low, 0.1078, 5e-5);
  EXPECT_NEAR(three_of_ten.high, 0.6032, 5e-5);
  const Interval none_of_one = wilson_interval(0, 1);  // z^2 / (1 + z^2)
  EXPECT_NEAR(none_of_one.high, 0.7935, 5e-5);
}

TEST(Wilson, RejectsImpossibleCounts) {
  EXPECT_THROW(wilson_interval(0, 0), std::invalid_argument);
  EXPECT_THROW(wilson_interval(3, 2), std::invalid_argument);
  EXPECT_THROW(wilson_interval(-1, 2), std::invalid_argument);
  EXPECT_THROW(wilson_interval(1, 2, 0.0), std::invalid_argument);
}

TEST(Wilson, FloorsOnlyIntervalsOfProblemsThatAllPassedOrAllFailed) {
  const std::vector<double> failed = {0.0, 0.0};
  const Interval floored = floor_with_wilson({0.0, 0.0}, failed);
  EXPECT_EQ(floored.low, 0.0);
  EXPECT_NEAR(floored.high, 0.6576, 5e-5);
  const std::vector<double> passed(10, 1.0);
  const Interval high = floor_with_wilson({1.0, 1.0}, passed);
  EXPECT_NEAR(high.low, 0.7225, 5e-5);
  EXPECT_EQ(high.high, 1.0);
  // The union: a bound already wider than Wilson's stays.
  const Interval wide = floor_with_wilson({0.0, 0.9}, failed);
  EXPECT_EQ(wide.high, 0.9);
  // A mix, or a value between 0 and 1, leaves the bootstrap interval alone.
  const std::vector<double> mixed = {0.0, 1.0};
  EXPECT_EQ(floor_with_wilson({0.2, 0.8}, mixed).low, 0.2);
  const std::vector<double> halves = {0.5, 0.5};
  EXPECT_EQ(floor_with_wilson({0.5, 0.5}, halves).high, 0.5);
  EXPECT_EQ(floor_with_wilson({0.5, 0.5}, std::vector<double>{}).high, 0.5);
}

}  // namespace
}  // namespace r1eval::evals::metrics
