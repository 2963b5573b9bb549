#include "reports/db/row_tables.h"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/db/column_values.h"

namespace r1eval::reports::db::columns {

namespace {

// A time the caller left empty is stored as now, ISO-8601 UTC.
constexpr std::string_view kEmptyIsNow = "COALESCE(NULLIF({}, ''), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))";

constexpr Column<RunInfo> kRunColumns[] = {
    key<&RunInfo::run_id>("run_id"),
    field<&RunInfo::run_key>("run_key"),
    field<&RunInfo::status>("status", {.insert_value = "COALESCE(NULLIF({}, ''), 'running')"}),
    field<&RunInfo::started_at>("started_at", {.insert_value = kEmptyIsNow}),
    // NULL while running.
    field<&RunInfo::finished_at>("finished_at", {.insert_value = "NULLIF({}, '')", .select_value = "COALESCE({}, '')"}),
    field<&RunInfo::model>("model"),
    field<&RunInfo::template_name>("template_name"),
    field<&RunInfo::suites>("suites"),
    field<&RunInfo::samples>("samples"),
    field<&RunInfo::limit>("problem_limit"),
    field<&RunInfo::max_new_tokens>("max_new_tokens"),
    field<&RunInfo::temperature>("temperature"),
    field<&RunInfo::top_p>("top_p"),
    field<&RunInfo::seed>("seed"),
    field<&RunInfo::provenance>("provenance", {.noun = "run provenance"}),
};
constexpr ColumnTable<RunInfo> kRunTable{"runs", kRunColumns};

constexpr Column<StoredSample> kSampleColumns[] = {
    key<&StoredSample::sample_id>("sample_id"),
    field<&SampleRow::run_id>("run_id"),
    field<&SampleRow::suite>("suite"),
    field<&SampleRow::subset>("subset"),
    field<&SampleRow::problem_id>("problem_id"),
    field<&SampleRow::problem_index>("problem_index"),
    field<&SampleRow::sample_index>("sample_index"),
    field<&SampleRow::prompt_tokens>("prompt_tokens"),
    field<&SampleRow::completion>("completion"),
    field<&SampleRow::completion_tokens>("completion_tokens"),
    field<&SampleRow::finish_reason>("finish_reason"),
    field<&SampleRow::correct>("correct"),
    field<&SampleRow::outcome>("outcome"),
    field<&SampleRow::extracted>("extracted"),
    field<&SampleRow::detail>("detail"),
    field<&SampleRow::format_ok>("format_ok"),
    field<&SampleRow::has_answer>("has_answer"),
    measure<&SampleRow::language_share>("language_share"),
    measure<&SampleRow::prefill_seconds>("prefill_seconds"),
    measure<&SampleRow::decode_seconds>("decode_seconds"),
    field<&SampleRow::max_new_tokens>("max_new_tokens",
                                      {.insert_value = "NULLIF({}, 0)", .select_value = "COALESCE({}, 0)"}),
    field<&SampleRow::reasoning_tokens>("reasoning_tokens",
                                        {.insert_value = "NULLIF({}, -1)", .select_value = "COALESCE({}, -1)"}),
    field<&SampleRow::served_model>("served_model",
                                    {.insert_value = "NULLIF({}, '')", .select_value = "COALESCE({}, '')"}),
    field<&SampleRow::system_fingerprint>("system_fingerprint",
                                          {.insert_value = "NULLIF({}, '')", .select_value = "COALESCE({}, '')"}),
};
constexpr ColumnTable<StoredSample> kSampleTable{"samples", kSampleColumns};

constexpr Column<StoredMetric> kMetricColumns[] = {
    field<&StoredMetric::run_id>("run_id"), field<&StoredMetric::grading>("grading"), field<&MetricRow::suite>("suite"),
    field<&MetricRow::metric>("metric"),
    field<&MetricRow::value>("value"),  // NULL: a NaN, which SQLite cannot store
    field<&MetricRow::ci_low>("ci_low"),    field<&MetricRow::ci_high>("ci_high"),    field<&MetricRow::n>("n"),
};
constexpr ColumnTable<StoredMetric> kMetricTable{"metrics", kMetricColumns};

constexpr Column<StoredGrading> kGradingColumns[] = {
    key<&StoredGrading::grading_id>("grading_id"),
    field<&GradingInfo::run_id>("run_id"),
    field<&GradingInfo::number>("number"),
    field<&GradingInfo::created_at>("created_at", {.insert_value = kEmptyIsNow}),
    field<&GradingInfo::graders>("graders", {.noun = "grading graders"}),
    // NULL: the suites' own policies.
    field<&GradingInfo::policy>("policy", {.insert_value = "NULLIF({}, '')", .select_value = "COALESCE({}, '')"}),
};
constexpr ColumnTable<StoredGrading> kGradingTable{"gradings", kGradingColumns};

constexpr Column<StoredVerdict> kVerdictColumns[] = {
    field<&StoredVerdict::grading_id>("grading_id"), field<&StoredVerdict::sample_id>("sample_id"),
    field<&StoredVerdict::correct>("correct"),       field<&StoredVerdict::outcome>("outcome"),
    field<&StoredVerdict::extracted>("extracted"),   field<&StoredVerdict::detail>("detail"),
    field<&StoredVerdict::has_answer>("has_answer"),
};
constexpr ColumnTable<StoredVerdict> kVerdictTable{"verdicts", kVerdictColumns};

constexpr Column<BenchInfo> kBenchColumns[] = {
    key<&BenchInfo::bench_id>("bench_id"),
    field<&BenchInfo::started_at>("started_at", {.insert_value = kEmptyIsNow}),
    field<&BenchInfo::model>("model"),
    field<&BenchInfo::machine>("machine", {.noun = "bench machine"}),
    field<&BenchInfo::provenance>("provenance", {.noun = "bench provenance"}),
};
constexpr ColumnTable<BenchInfo> kBenchTable{"benches", kBenchColumns};

// Repetition times are a JSON array; an empty list is NULL (not kept, as in rows written before schema version 3).
void bind_repetition_seconds(sqlite::Statement& statement, int parameter, const KernelResultRow& row) {
  if (row.repetition_seconds.empty()) {
    statement.bind_null(parameter);
    return;
  }
  nlohmann::json array = nlohmann::json::array();
  for (const double seconds : row.repetition_seconds) {
    if (!std::isfinite(seconds)) {
      throw DbError(
          fmt::format("kernel '{}' ({}) has a repetition time that is not a finite number.", row.kernel, row.shape));
    }
    array.push_back(seconds);
  }
  statement.bind_text(parameter, array.dump());
}

void read_repetition_seconds(const StoredValue& stored, KernelResultRow& row) {
  row.repetition_seconds.clear();
  if (stored.row.is_null(stored.column)) return;
  nlohmann::json array;
  read_value(stored, array);
  if (!array.is_array()) throw stored_value_error(stored, "the stored kernel repetition times are not a JSON array.");
  for (const auto& value : array) {
    if (!value.is_number()) {
      throw stored_value_error(stored, "a stored kernel repetition time is not a number: " + value.dump());
    }
    row.repetition_seconds.push_back(value.get<double>());
  }
}

constexpr Column<KernelResultRow> kKernelColumns[] = {
    field<&KernelResultRow::bench_id>("bench_id"),
    field<&KernelResultRow::kernel>("kernel"),
    field<&KernelResultRow::shape>("shape"),
    field<&KernelResultRow::dtype>("dtype"),
    field<&KernelResultRow::backend>("backend"),
    field<&KernelResultRow::seconds>("seconds"),
    field<&KernelResultRow::gflops>("gflops"),
    field<&KernelResultRow::gbps>("gbps"),
    field<&KernelResultRow::roofline_pct>("roofline_pct"),
    field<&KernelResultRow::repetitions>("repetitions"),
    {.name = "repetition_seconds",
     .sql_type = "TEXT",
     .bind = &bind_repetition_seconds,
     .read = &read_repetition_seconds,
     .sql = {.noun = "kernel repetition times"}},
};
constexpr ColumnTable<KernelResultRow> kKernelTable{"kernel_timings", kKernelColumns};

constexpr Column<ThroughputRow> kThroughputColumns[] = {
    field<&ThroughputRow::bench_id>("bench_id"),
    field<&ThroughputRow::model>("model"),
    field<&ThroughputRow::phase>("phase"),
    field<&ThroughputRow::batch>("batch"),
    field<&ThroughputRow::context>("context"),
    field<&ThroughputRow::tokens_per_s>("tokens_per_s"),
    field<&ThroughputRow::cost_per_mtok_usd>("cost_per_mtok_usd"),
    field<&ThroughputRow::price_basis>("price_basis"),
    field<&ThroughputRow::projection>("projection"),
};
constexpr ColumnTable<ThroughputRow> kThroughputTable{"throughput_measurements", kThroughputColumns};

}  // namespace

const ColumnTable<RunInfo>& run_table() { return kRunTable; }
const ColumnTable<StoredSample>& sample_table() { return kSampleTable; }
const ColumnTable<StoredMetric>& metric_table() { return kMetricTable; }
const ColumnTable<StoredGrading>& grading_table() { return kGradingTable; }
const ColumnTable<StoredVerdict>& verdict_table() { return kVerdictTable; }
const ColumnTable<BenchInfo>& bench_table() { return kBenchTable; }
const ColumnTable<KernelResultRow>& kernel_table() { return kKernelTable; }
const ColumnTable<ThroughputRow>& throughput_table() { return kThroughputTable; }

}  // namespace r1eval::reports::db::columns
