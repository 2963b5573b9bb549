// Small pieces the evaluation commands share: comma lists and the metrics table printed at the end of a run.
#pragma once

#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "reports/db/results_db.h"

namespace r1eval::cli {

// "a, b,c" -> {"a", "b", "c"}; empty items are dropped.
std::vector<std::string> split_list(const std::string& text);

// One line per suite: pass@1 with its interval, the largest pass@k and cons@k, format, truncation, tokens.
void print_metric_table(std::FILE* out, std::span<const reports::db::MetricRow> metrics);

}  // namespace r1eval::cli
