// The column tables of the results database's row types: what each table's INSERT writes and its SELECT reads
// (reports/db/column_table.h). Each lists its table's columns as the schema (reports/db/schema.cpp) creates them,
// which tests/reports/db/reports_db_column_tables_test.cpp checks.
#pragma once

#include <cstdint>
#include <string>

#include "reports/db/column_table.h"
#include "reports/db/results_db.h"

namespace r1eval::reports::db::columns {

// A sample as stored: the row and the id the database assigns it, by which samples() puts rows in order.
struct StoredSample : SampleRow {
  std::int64_t sample_id = 0;
};

// A metric as stored: the row, its run and grading, which MetricRow leaves to the caller of replace_metrics.
struct StoredMetric : MetricRow {
  std::int64_t run_id = 0;
  std::int64_t grading = 1;
};

// A grading as stored, with the id its verdicts refer to.
struct StoredGrading : GradingInfo {
  std::int64_t grading_id = 0;
};

// One sample's verdict in a grading after the first.
struct StoredVerdict {
  std::int64_t grading_id = 0;
  std::int64_t sample_id = 0;
  bool correct = false;
  int outcome = 0;
  std::string extracted;
  std::string detail;
  bool has_answer = false;
};

const ColumnTable<RunInfo>& run_table();
const ColumnTable<StoredSample>& sample_table();
const ColumnTable<StoredMetric>& metric_table();
const ColumnTable<StoredGrading>& grading_table();
const ColumnTable<StoredVerdict>& verdict_table();
const ColumnTable<BenchInfo>& bench_table();
const ColumnTable<KernelResultRow>& kernel_table();
const ColumnTable<ThroughputRow>& throughput_table();

// Calls visit with each table above, for what must hold of all of them.
template <typename Visit>
void for_each_table(Visit&& visit) {
  visit(run_table());
  visit(sample_table());
  visit(metric_table());
  visit(grading_table());
  visit(verdict_table());
  visit(bench_table());
  visit(kernel_table());
  visit(throughput_table());
}

}  // namespace r1eval::reports::db::columns
