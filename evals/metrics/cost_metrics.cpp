#include "evals/metrics/cost_metrics.h"

#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>

#include "evals/metrics/run_metrics.h"

namespace r1eval::evals::metrics {
namespace {

constexpr const char* kInputPrice = "price_input_usd_per_mtok";
constexpr const char* kOutputPrice = "price_output_usd_per_mtok";

struct Spend {
  double usd = 0.0;
  std::set<std::string> problems;
};

reports::db::MetricRow row(const std::string& suite, const char* metric, double value, std::size_t problems) {
  reports::db::MetricRow r;
  r.suite = suite;
  r.metric = metric;
  r.value = value;
  r.n = static_cast<std::int64_t>(problems);
  return r;
}

}  // namespace

std::vector<reports::db::MetricRow> cost_metrics(std::span<const reports::db::SampleRow> rows,
                                                 const TokenPrices& prices) {
  for (const double price : {prices.input_usd_per_mtok, prices.output_usd_per_mtok}) {
    if (!std::isfinite(price) || price < 0.0) {
      throw std::invalid_argument("a token price must be a finite number of dollars, zero or more");
    }
  }
  std::vector<std::string> order;
  std::map<std::string, Spend> by_suite;
  for (const reports::db::SampleRow& sample : rows) {
    auto [it, added] = by_suite.try_emplace(sample.suite);
    if (added) order.push_back(sample.suite);
    it->second.usd += (static_cast<double>(sample.prompt_tokens) * prices.input_usd_per_mtok +
                       static_cast<double>(sample.completion_tokens) * prices.output_usd_per_mtok) /
                      1e6;
    it->second.problems.insert(sample.problem_id);
  }
  std::vector<reports::db::MetricRow> out;
  if (order.empty()) return out;
  double total = 0.0;
  std::size_t problems = 0;
  for (const std::string& suite : order) {
    const Spend& spend = by_suite.at(suite);
    out.push_back(row(suite, "cost_usd", spend.usd, spend.problems.size()));
    total += spend.usd;
    problems += spend.problems.size();
  }
  out.push_back(row(kAllSuites, "cost_usd", total, problems));
  out.push_back(row(kAllSuites, kInputPrice, prices.input_usd_per_mtok, problems));
  out.push_back(row(kAllSuites, kOutputPrice, prices.output_usd_per_mtok, problems));
  return out;
}

std::optional<TokenPrices> stored_token_prices(std::span<const reports::db::MetricRow> metrics) {
  std::optional<double> input, output;
  for (const reports::db::MetricRow& m : metrics) {
    if (m.suite != kAllSuites) continue;
    if (m.metric == kInputPrice) input = m.value;
    if (m.metric == kOutputPrice) output = m.value;
  }
  if (!input || !output) return std::nullopt;
  return TokenPrices{*input, *output};
}

}  // namespace r1eval::evals::metrics
