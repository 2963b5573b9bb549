// Published reference figures ("paper baselines") a run can be compared with: `r1eval compare --baseline
// paper:NAME`. They live in evals/baselines/paper.json, each figure with the table it was taken from.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace r1eval::evals::suites {

struct BaselineFigure {
  std::string suite, metric;  // a bundled suite name; a metric name as the runner records it ("pass@1", "cons@64")
  double value = 0;           // in [0, 1] (the paper's percentages divided by 100)
  std::string source;         // e.g. "DeepSeek-R1 paper (arXiv 2501.12948), Table 4"
  std::string note;           // how the figure differs from what the bundled suite measures; may be empty
};

// The figures of one named baseline, e.g. "paper:DeepSeek-R1" (the "paper:" prefix may be left out). Throws
// std::invalid_argument "unknown paper baseline 'x'; did you mean 'y'?".
std::vector<BaselineFigure> paper_baseline(std::string_view name);
// Every name, sorted, with its "paper:" prefix.
std::vector<std::string> paper_baseline_names();

// Reads a baselines file (the bundled one is common::baselines_dir() / "paper.json"). Every figure must name a bundled
// suite, a metric and a value in [0, 1]; errors name the file and the baseline.
std::map<std::string, std::vector<BaselineFigure>> read_baselines(const std::filesystem::path& file);

}  // namespace r1eval::evals::suites
