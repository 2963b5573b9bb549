#include "cli/metric_table.h"

#include <map>
#include <sstream>

#include <fmt/format.h>

#include "reports/render/metric_format.h"

namespace r1eval::cli {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto begin = item.find_first_not_of(" \t");
    if (begin == std::string::npos) continue;
    items.push_back(item.substr(begin, item.find_last_not_of(" \t") - begin + 1));
  }
  return items;
}

void print_metric_table(std::FILE* out, std::span<const reports::db::MetricRow> metrics) {
  // suite -> metric -> row, suites kept in the order the metrics list them ("all" last).
  std::vector<std::string> order;
  std::map<std::string, std::map<std::string, const reports::db::MetricRow*>> by_suite;
  for (const reports::db::MetricRow& m : metrics) {
    if (by_suite.find(m.suite) == by_suite.end()) order.push_back(m.suite);
    by_suite[m.suite][m.metric] = &m;
  }
  if (order.empty()) {
    fmt::print(out, "no results yet\n");
    return;
  }
  const auto print_row = [out](auto&&... cells) {
    fmt::print(out, "{:<16} {:>8} {:>21} {:>10} {:>10} {:>8} {:>8} {:>9}\n", cells...);
  };
  print_row("suite", "problems", "pass@1 [95% CI]", "pass@k", "cons@k", "format", "trunc", "tokens");
  auto percent = [](const reports::db::MetricRow* row) {
    return row ? fmt::format("{:.1f}%", 100.0 * row->value) : "-";
  };
  for (const std::string& suite : order) {
    const auto& m = by_suite[suite];
    const auto find = [&m](const std::string& name) -> const reports::db::MetricRow* {
      const auto it = m.find(name);
      return it == m.end() ? nullptr : it->second;
    };
    // The largest k present for pass@k and cons@k.
    const reports::db::MetricRow* pass_k = nullptr;
    const reports::db::MetricRow* cons_k = nullptr;
    for (const auto& [name, row] : m) {
      const auto k = reports::render::metric_k(name, "pass");  // not pass@1_pooled
      if (k && *k > 1 && (!pass_k || *k > *reports::render::metric_k(pass_k->metric, "pass"))) pass_k = row;
      if (reports::render::metric_k(name, "cons")) cons_k = row;
    }
    const reports::db::MetricRow* pass1 = find("pass@1");
    std::string pass1_text = percent(pass1);
    if (pass1 && pass1->ci_low && pass1->ci_high) {
      pass1_text += fmt::format(" [{:.1f}, {:.1f}]", 100.0 * *pass1->ci_low, 100.0 * *pass1->ci_high);
    }
    const reports::db::MetricRow* problems = find("problems");
    const reports::db::MetricRow* tokens = find("tokens_per_sample");
    print_row(suite, problems ? fmt::format("{}", problems->value) : "-", pass1_text,
              pass_k ? fmt::format("{}={:.1f}%", pass_k->metric.substr(5), 100.0 * pass_k->value) : "-",
              cons_k ? fmt::format("{}={:.1f}%", cons_k->metric.substr(5), 100.0 * cons_k->value) : "-",
              percent(find("format_compliance")), percent(find("truncation_rate")),
              tokens ? fmt::format("{:.1f}", tokens->value) : "-");
  }
}

}  // namespace r1eval::cli
