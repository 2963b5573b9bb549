// Everything a report shows, as plain data: the renderers never touch the database, so they can be tested on
// hand-built input and the `report` command only has to fill this in (run, metrics, samples, comparison, bench).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reports/db/results_db.h"

namespace r1eval::reports::render {

// One suite × metric of a comparison against a baseline (another run or a paper's published figure). Fields the
// baseline cannot provide (a paper has no samples, so no interval or p-value) are NaN and render as "—".
struct ComparisonRow {
  std::string suite;
  std::string metric;
  double run_value = 0.0;
  double baseline_value = 0.0;
  double delta = 0.0;   // run_value - baseline_value
  double ci_low = 0.0;  // 95% paired-bootstrap interval of delta
  double ci_high = 0.0;
  double p_value = 0.0;
  std::int64_t n_shared = 0;  // problems both runs have
  bool significant_regression = false;
  bool significant_improvement = false;
};

// One sample whose verdict differs between two gradings of a run (`r1eval audit`, the report's audit section).
struct VerdictDifference {
  std::string suite;
  std::string problem_id;
  std::int64_t sample_index = 0;
  bool correct_a = false;  // grading A's verdict
  int outcome_a = 0;
  std::string extracted_a;
  bool correct_b = false;  // grading B's verdict
  int outcome_b = 0;
  std::string extracted_b;
  std::string gold;  // empty when the suite's data could not be read back
};

// A problem's text as the model read it and its gold, for the HTML report's problem pages. The database stores
// neither: the report command reads them back from the suite files (evals/runner/run_suites.h).
struct ProblemText {
  std::string suite;
  std::string problem_id;
  std::string prompt;  // the user message: the problem with the suite's instruction
  std::string gold;
};

struct ReportData {
  db::RunInfo run;
  std::vector<db::MetricRow> metrics;  // suite "all" = the whole run
  std::vector<db::SampleRow> samples;  // completion-length histograms, outcome counts and example completions
  std::string baseline_name;           // "paper:DeepSeek-R1", "run 3"; empty = no comparison
  std::vector<ComparisonRow> comparison;
  std::optional<db::BenchInfo> bench;  // the database's latest bench run, when it has one
  std::vector<db::KernelResultRow> kernels;
  std::vector<db::ThroughputRow> throughput;
  // Which grading of the run the metrics and samples are (1: the grading done while generating), of how many.
  std::int64_t grading = 1;
  std::int64_t gradings = 1;
  // With two gradings or more: the samples whose verdicts differ between the first and the latest grading.
  std::vector<VerdictDifference> audit;
  // Prompts and golds of the run's problems (empty when the suites' data could not be read back; then
  // problem_texts_missing says why, and the problem pages show the problem ids only).
  std::vector<ProblemText> problem_texts;
  std::string problem_texts_missing;
};

}  // namespace r1eval::reports::render
