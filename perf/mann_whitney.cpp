#include "perf/mann_whitney.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace r1eval::perf {
namespace {

void require_sample(std::span<const double> sample, const char* name) {
  if (sample.empty()) throw std::invalid_argument(std::string("Mann-Whitney test: sample ") + name + " is empty");
  for (const double value : sample) {
    if (!std::isfinite(value)) {
      throw std::invalid_argument(std::string("Mann-Whitney test: sample ") + name +
                                  " holds a value that is not finite");
    }
  }
}

struct RankSum {
  double rank_sum_x = 0.0;  // mid-ranks (1-based) of x in the pooled sample
  double tie_term = 0.0;    // Σ (t³ − t) over groups of t equal values
  bool ties = false;
};

RankSum rank_sum(std::span<const double> x, std::span<const double> y) {
  std::vector<std::pair<double, bool>> pooled;  // value, from x
  pooled.reserve(x.size() + y.size());
  for (const double v : x) pooled.emplace_back(v, true);
  for (const double v : y) pooled.emplace_back(v, false);
  std::sort(pooled.begin(), pooled.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  RankSum result;
  for (std::size_t start = 0; start < pooled.size();) {
    std::size_t end = start + 1;
    while (end < pooled.size() && pooled[end].first == pooled[start].first) ++end;
    const auto t = static_cast<double>(end - start);
    const double mid_rank = 0.5 * static_cast<double>(start + 1 + end);  // mean of ranks start+1 .. end
    for (std::size_t i = start; i < end; ++i) {
      if (pooled[i].second) result.rank_sum_x += mid_rank;
    }
    if (t > 1.0) {
      result.ties = true;
      result.tie_term += t * t * t - t;
    }
    start = end;
  }
  return result;
}

// Number of arrangements giving each U in 0 .. n1·n2 under the null: the coefficients of the Gaussian binomial
// [n1+n2 choose n1]_q, built as ∏_{t=1..m} (1 − q^(k+t)) / (1 − q^t) with m = min(n1, n2), k = max(n1, n2). Every
// partial product is itself a Gaussian binomial, so the coefficients stay non-negative whole numbers.
std::vector<double> exact_u_counts(std::size_t n1, std::size_t n2) {
  const std::size_t m = std::min(n1, n2);
  const std::size_t k = std::max(n1, n2);
  std::vector<double> counts(n1 * n2 + 1, 0.0);
  counts[0] = 1.0;
  for (std::size_t t = 1; t <= m; ++t) {
    const std::size_t shift = k + t;
    for (std::size_t j = counts.size(); j-- > shift;) counts[j] -= counts[j - shift];
    for (std::size_t j = t; j < counts.size(); ++j) counts[j] += counts[j - t];
  }
  return counts;
}

double exact_two_sided_p(double u, std::size_t n1, std::size_t n2) {
  const std::vector<double> counts = exact_u_counts(n1, n2);
  const auto observed = static_cast<std::size_t>(std::llround(u));
  const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  const double lower = std::accumulate(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(observed) + 1, 0.0);
  const double upper = std::accumulate(counts.begin() + static_cast<std::ptrdiff_t>(observed), counts.end(), 0.0);
  return std::min(1.0, 2.0 * std::min(lower, upper) / total);
}

double normal_two_sided_p(double u, std::size_t n1, std::size_t n2, double tie_term) {
  const auto a = static_cast<double>(n1);
  const auto b = static_cast<double>(n2);
  const double n = a + b;
  const double variance = a * b / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
  if (!(variance > 0.0)) return 1.0;  // every value equal: nothing to tell apart
  const double z = std::max(0.0, std::abs(u - a * b / 2.0) - 0.5) / std::sqrt(variance);
  return std::min(1.0, std::erfc(z / std::sqrt(2.0)));
}

}  // namespace

MannWhitneyResult mann_whitney_u(std::span<const double> x, std::span<const double> y) {
  require_sample(x, "x");
  require_sample(y, "y");
  const RankSum ranks = rank_sum(x, y);
  const auto n1 = static_cast<double>(x.size());
  MannWhitneyResult result;
  result.u = ranks.rank_sum_x - n1 * (n1 + 1.0) / 2.0;
  result.exact = !ranks.ties && x.size() <= kMannWhitneyExactLimit && y.size() <= kMannWhitneyExactLimit;
  result.p_value = result.exact ? exact_two_sided_p(result.u, x.size(), y.size())
                                : normal_two_sided_p(result.u, x.size(), y.size(), ranks.tie_term);
  return result;
}

}  // namespace r1eval::perf
