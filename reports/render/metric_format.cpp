#include "reports/render/metric_format.h"

#include <array>
#include <charconv>
#include <cmath>
#include <tuple>

#include <fmt/format.h>

namespace r1eval::reports::render {
namespace {

// The whole run's pooled pass@1 (evals/metrics/run_metrics.h), shown in "all" only.
constexpr std::string_view kPooledPassAt1 = "pass@1_pooled";

constexpr std::array<std::string_view, 4> kRateMetrics = {"format_compliance", "truncation_rate", "no_answer_rate",
                                                          "language_consistency"};

// (rank, k) for ordering; unknown names share the last rank and are then ordered by name.
std::pair<int, std::int64_t> metric_rank(std::string_view metric) {
  if (const auto k = metric_k(metric, "pass")) return {*k == 1 ? 0 : 1, *k};
  if (const auto k = metric_k(metric, "cons")) return {2, *k};
  if (metric == kPooledPassAt1) return {3, 0};
  for (std::size_t i = 0; i < kRateMetrics.size(); ++i) {
    if (metric == kRateMetrics[i]) return {4 + static_cast<int>(i), 0};
  }
  constexpr std::array<std::string_view, 5> kLast = {"tokens_per_sample", "problems", "samples", "errors",
                                                     "error_rate"};
  for (std::size_t i = 0; i < kLast.size(); ++i) {
    if (metric == kLast[i]) return {8 + static_cast<int>(i), 0};
  }
  if (metric == "cost_usd") return {13, 0};
  if (metric_kind(metric) == MetricKind::kDollars) return {14, 0};
  return {15, 0};
}

// One decimal of percentage points or of the metric's own unit, with an explicit sign.
std::string signed_in_unit(std::string_view metric, double value) {
  const double scaled = metric_kind(metric) == MetricKind::kFraction ? value * 100.0 : value;
  return fmt::format("{:+.1f}", scaled);
}

}  // namespace

MetricKind metric_kind(std::string_view metric) {
  if (metric_k(metric, "pass") || metric_k(metric, "cons")) return MetricKind::kFraction;
  if (metric == kPooledPassAt1 || metric == "error_rate") return MetricKind::kFraction;
  for (const auto rate : kRateMetrics) {
    if (metric == rate) return MetricKind::kFraction;
  }
  if (metric == "tokens_per_sample") return MetricKind::kTokens;
  if (metric == "problems" || metric == "samples" || metric == "errors") return MetricKind::kCount;
  if (metric.ends_with("_usd") || metric.ends_with("_usd_per_mtok")) return MetricKind::kDollars;
  return MetricKind::kOther;
}

std::optional<std::int64_t> metric_k(std::string_view metric, std::string_view family) {
  if (metric.size() <= family.size() + 1 || metric.substr(0, family.size()) != family || metric[family.size()] != '@') {
    return std::nullopt;
  }
  const std::string_view digits = metric.substr(family.size() + 1);
  std::int64_t k = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), k);
  if (error != std::errc{} || end != digits.data() + digits.size() || k < 1) return std::nullopt;
  return k;
}

bool metric_less(std::string_view a, std::string_view b) {
  return std::tuple(metric_rank(a), a) < std::tuple(metric_rank(b), b);
}

std::string format_fixed(double value, int decimals) {
  if (!std::isfinite(value)) return std::string(kMissing);
  return fmt::format("{:.{}f}", value, decimals);
}

std::string format_metric_value(std::string_view metric, double value) {
  if (!std::isfinite(value)) return std::string(kMissing);
  switch (metric_kind(metric)) {
    case MetricKind::kFraction: return fmt::format("{:.1f}%", value * 100.0);
    case MetricKind::kTokens: return fmt::format("{:.1f}", value);
    case MetricKind::kCount: return fmt::format("{:.0f}", value);
    case MetricKind::kDollars: return fmt::format("${:.4f}", value);
    case MetricKind::kOther: break;
  }
  return fmt::format("{:.4g}", value);
}

std::string format_metric_interval(std::string_view metric, std::optional<double> low, std::optional<double> high) {
  if (!low || !high || !std::isfinite(*low) || !std::isfinite(*high)) return std::string(kMissing);
  return fmt::format("[{}, {}]", format_metric_value(metric, *low), format_metric_value(metric, *high));
}

std::string format_metric_delta(std::string_view metric, double delta) {
  if (!std::isfinite(delta)) return std::string(kMissing);
  const bool fraction = metric_kind(metric) == MetricKind::kFraction;
  return signed_in_unit(metric, delta) + (fraction ? " pp" : "");
}

std::string format_delta_interval(std::string_view metric, double low, double high) {
  if (!std::isfinite(low) || !std::isfinite(high)) return std::string(kMissing);
  const bool fraction = metric_kind(metric) == MetricKind::kFraction;
  return fmt::format("[{}, {}]{}", signed_in_unit(metric, low), signed_in_unit(metric, high), fraction ? " pp" : "");
}

std::string format_p_value(double p) {
  if (!std::isfinite(p)) return std::string(kMissing);
  if (p < 0.001) return "<0.001";
  return fmt::format("{:.3f}", p);
}

}  // namespace r1eval::reports::render
