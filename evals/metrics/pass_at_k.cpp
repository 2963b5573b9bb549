#include "evals/metrics/pass_at_k.h"

#include <stdexcept>
#include <string>

namespace r1eval::evals::metrics {

double pass_at_k(std::int64_t n, std::int64_t c, std::int64_t k) {
  const std::string args =
      " (n=" + std::to_string(n) + ", c=" + std::to_string(c) + ", k=" + std::to_string(k) + ")";
  if (n < 1) throw std::invalid_argument("pass@k needs at least one sample" + args);
  if (c < 0 || c > n) throw std::invalid_argument("pass@k needs 0 <= correct <= samples" + args);
  if (k < 1 || k > n) throw std::invalid_argument("pass@k needs 1 <= k <= samples" + args);
  // Fewer than k wrong samples: every draw of k contains a correct one.
  if (n - c < k) return 1.0;
  // C(n-c, k) / C(n, k) = prod_{i=n-c+1..n} (i - k) / i; each factor lies in (0, 1), so the product only shrinks.
  double all_wrong = 1.0;
  for (std::int64_t i = n - c + 1; i <= n; ++i) {
    all_wrong *= 1.0 - static_cast<double>(k) / static_cast<double>(i);
  }
  return 1.0 - all_wrong;
}

}  // namespace r1eval::evals::metrics
