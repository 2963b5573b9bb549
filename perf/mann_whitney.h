// The Mann–Whitney U test (Wilcoxon rank-sum) for two independent samples, two-sided: the rank test over
// repetition times that `r1eval compare --bench` uses, as Google Benchmark's compare tool does.
#pragma once

#include <cstddef>
#include <span>

namespace r1eval::perf {

struct MannWhitneyResult {
  double u = 0.0;        // U of the first sample: pairs (x, y) with x > y, a tie counting one half
  double p_value = 1.0;  // two-sided
  bool exact = false;    // exact null distribution (no ties, both samples ≤ kMannWhitneyExactLimit), else normal
};

// Samples up to this size without ties get the exact distribution; larger or tied ones the normal approximation
// with tie correction and continuity correction.
inline constexpr std::size_t kMannWhitneyExactLimit = 50;

// Two-sided Mann–Whitney U test of x against y. Throws std::invalid_argument when a sample is empty or holds a value
// that is not a finite number.
MannWhitneyResult mann_whitney_u(std::span<const double> x, std::span<const double> y);

}  // namespace r1eval::perf
