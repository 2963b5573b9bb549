// The unbiased pass@k estimator (Chen et al. 2021, "Evaluating Large Language Models Trained on Code"):
// with n samples of which c are correct, pass@k = 1 - C(n-c, k) / C(n, k), the chance that k samples drawn
// without replacement from the n include at least one correct one.
#pragma once

#include <cstdint>

namespace r1eval::evals::metrics {

// Computed as 1 - prod_{i=n-c+1..n} (1 - k/i): no binomial coefficient is formed, so n = 1024 or more neither
// overflows nor loses precision. Requires 1 <= k <= n and 0 <= c <= n; throws std::invalid_argument otherwise.
double pass_at_k(std::int64_t n, std::int64_t c, std::int64_t k);

}  // namespace r1eval::evals::metrics
