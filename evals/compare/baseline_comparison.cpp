#include "evals/compare/baseline_comparison.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "evals/compare/error_rate_warning.h"
#include "evals/suites/baselines.h"

namespace r1eval::evals::compare {
namespace {

constexpr std::string_view kPaperPrefix = "paper:";

std::int64_t parse_run_id(const std::string& text) {
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id < 1) {
    throw std::invalid_argument("baseline '" + text + "' is neither a run id nor paper:NAME (names: " +
                                [] {
                                  std::string names;
                                  for (const std::string& n : suites::paper_baseline_names())
                                    names += (names.empty() ? "" : ", ") + n;
                                  return names;
                                }() + ")");
  }
  return id;
}

// The run's samples under grading `grading` (0: the latest).
std::vector<reports::db::SampleRow> run_samples(const reports::db::ResultsDb& db, std::int64_t run_id,
                                                std::int64_t grading = 0) {
  if (!db.find_run(run_id)) {
    throw std::invalid_argument("run " + std::to_string(run_id) + " is not in " + db.path().string());
  }
  return grading > 0 ? db.samples(run_id, grading) : db.samples(run_id);
}

}  // namespace

BaselineComparison compare_with_baseline(const reports::db::ResultsDb& db, std::int64_t run_id,
                                         const std::string& baseline, const metrics::CompareOptions& options,
                                         std::int64_t grading) {
  const std::vector<reports::db::SampleRow> run = run_samples(db, run_id, grading);
  BaselineComparison result;
  std::vector<metrics::Comparison> rows;
  if (baseline.rfind(kPaperPrefix, 0) == 0) {
    const std::string name = baseline.substr(kPaperPrefix.size());
    std::vector<metrics::PublishedFigure> figures;
    for (const suites::BaselineFigure& f : suites::paper_baseline(name)) {
      if (f.metric == "pass@1") figures.push_back(metrics::PublishedFigure{f.suite, f.value});
    }
    rows = metrics::compare_with_figures(run, figures, options);
    result.baseline_name = baseline;
  } else {
    const std::int64_t baseline_id = parse_run_id(baseline);
    const std::vector<reports::db::SampleRow> baseline_rows = run_samples(db, baseline_id);
    rows = metrics::compare_runs(run, baseline_rows, options);
    result.baseline_name = "run " + std::to_string(baseline_id);
    result.error_rate_warning = error_rate_warning("run " + std::to_string(run_id), error_share(run),
                                                   result.baseline_name, error_share(baseline_rows));
  }
  if (rows.empty()) {
    throw std::invalid_argument("run " + std::to_string(run_id) + " and " + result.baseline_name +
                                " have no suite (and problem) in common");
  }
  result.rows = std::move(rows);
  return result;
}

bool has_significant_regression(const BaselineComparison& comparison) {
  return std::any_of(comparison.rows.begin(), comparison.rows.end(),
                     [](const reports::render::ComparisonRow& r) { return r.significant_regression; });
}

}  // namespace r1eval::evals::compare
