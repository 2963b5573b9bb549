// What each metric name means for display: its kind (a fraction shown as a percentage, a token count, a count),
// its place in a table, and its value, interval, delta and p-value as text. Shared by every report format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace r1eval::reports::render {

enum class MetricKind {
  kFraction,  // pass@k, cons@k, pass@1_pooled, the reasoning rates, error_rate: a percentage with one decimal
  kTokens,    // tokens_per_sample: one decimal
  kCount,     // problems, samples, errors: an integer
  kDollars,   // cost_usd and the token prices (names ending in _usd or _usd_per_mtok): "$" and four decimals
  kOther,     // a name this build does not know: four significant digits
};

MetricKind metric_kind(std::string_view metric);

// k of "pass@k" / "cons@k" when metric is family + "@" + a positive integer, else nullopt.
std::optional<std::int64_t> metric_k(std::string_view metric, std::string_view family);

// Display order: pass@1, pass@k by k, cons@k by k, pass@1_pooled, format_compliance, truncation_rate,
// no_answer_rate, language_consistency, tokens_per_sample, problems, samples, errors, error_rate, cost_usd, the prices,
// then unknown names alphabetically.
bool metric_less(std::string_view a, std::string_view b);

// "—" for a value that is not finite (NaN marks "not available" throughout the report data).
inline constexpr std::string_view kMissing = "\xE2\x80\x94";

std::string format_metric_value(std::string_view metric, double value);  // "73.3%"
std::string format_metric_interval(std::string_view metric, std::optional<double> low,
                                   std::optional<double> high);                       // "[70.1%, 76.0%]"
std::string format_metric_delta(std::string_view metric, double delta);               // "+2.3 pp"
std::string format_delta_interval(std::string_view metric, double low, double high);  // "[-1.0, +5.6] pp"
std::string format_p_value(double p);                                                 // "0.012", "<0.001"
std::string format_fixed(double value, int decimals);                                 // "1.50"

}  // namespace r1eval::reports::render
