// The progress line: counts against totals, and an endpoint's requests in flight and retries only when there are any.
#include "evals/runner/progress.h"

#include <gtest/gtest.h>

namespace r1eval::evals::runner {
namespace {

bool has(const std::string& line, const std::string& part) { return line.find(part) != std::string::npos; }

TEST(Progress, CountsAgainstTheTotalsAndShowsRequestsOnlyForABackendThatHasThem) {
  Progress progress(nullptr, false);
  progress.start(/*total_samples=*/8, /*total_problems=*/2, /*done_samples=*/4, /*done_problems=*/1);
  progress.sample_done(100, false);
  progress.sample_done(50, false);
  std::string line = progress.line();
  EXPECT_TRUE(has(line, "problems 1/2  samples 6/8  ")) << line;
  EXPECT_TRUE(has(line, " samples/s  ")) << line;
  EXPECT_TRUE(has(line, " tok/s  elapsed ")) << line;
  EXPECT_FALSE(has(line, "in flight")) << line;  // the embedded engine reports no requests

  progress.backend_activity({.in_flight = 32, .retries = 3});
  progress.sample_done(10, true);
  line = progress.line();
  EXPECT_TRUE(has(line, "problems 2/2  samples 7/8  ")) << line;
  EXPECT_TRUE(has(line, " tok/s  in flight 32  retries 3  elapsed ")) << line;
}

}  // namespace
}  // namespace r1eval::evals::runner
