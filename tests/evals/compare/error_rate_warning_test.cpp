// When two runs' error rates differ, compare says so, naming both.
#include "evals/compare/error_rate_warning.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "graders/grader.h"

namespace r1eval::evals::compare {
namespace {

std::vector<reports::db::SampleRow> rows_with(int scored, int errors) {
  std::vector<reports::db::SampleRow> rows(static_cast<std::size_t>(scored + errors));
  for (int i = 0; i < errors; ++i) {
    rows[static_cast<std::size_t>(i)].outcome =
        static_cast<int>(i % 2 == 0 ? graders::Outcome::kNotGenerated : graders::Outcome::kGraderError);
  }
  for (int i = errors; i < scored + errors; ++i) {
    rows[static_cast<std::size_t>(i)].outcome =
        static_cast<int>(i % 2 == 0 ? graders::Outcome::kPass : graders::Outcome::kNoAnswer);
  }
  return rows;
}

TEST(ErrorShare, CountsTheUnscoredSamples) {
  const ErrorShare share = error_share(rows_with(45, 3));
  EXPECT_EQ(share.errors, 3);
  EXPECT_EQ(share.samples, 48);
  EXPECT_DOUBLE_EQ(share.rate(), 0.0625);
  EXPECT_EQ(error_share(std::vector<reports::db::SampleRow>{}).rate(), 0.0);
}

TEST(ErrorRateWarning, NamesBothRatesWhenTheyDiffer) {
  EXPECT_EQ(error_rate_warning("run 2", {3, 48}, "run 1", {0, 48}),
            "run 2 has an error rate of 6.2% (3 of 48 samples) and run 1 of 0.0% (0 of 48): they scored different "
            "samples, so part of any difference may come from the errors rather than the model.");
  // 1 of 1000 against none: under half a point apart, but one is zero.
  EXPECT_NE(error_rate_warning("run 2", {1, 1000}, "run 1", {0, 1000}), "");
  // 1.0% against 1.4%: close enough; 1.0% against 1.6%: not.
  EXPECT_EQ(error_rate_warning("run 2", {10, 1000}, "run 1", {14, 1000}), "");
  EXPECT_NE(error_rate_warning("run 2", {10, 1000}, "run 1", {16, 1000}), "");
  EXPECT_EQ(error_rate_warning("run 2", {0, 10}, "run 1", {0, 48}), "");
}

}  // namespace
}  // namespace r1eval::evals::compare
