// The results database: one SQLite file holding every run, sample, metric, kernel timing and throughput figure.
//
// The schema is versioned (PRAGMA user_version) and migrated forward on open; the views `sample_results`,
// `run_metrics`, `sample_verdicts`, `grading_metrics`, `problem_results`, `kernel_results` and `throughput` are the
// documented query API (README): columns may be added, never renamed or dropped. Writes are batched in transactions;
// the journal is WAL so a killed process never leaves a half-written batch and a reader can watch a run in progress.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace r1eval::reports::db {

// Any SQLite failure or a database this version cannot read; the message names the file and what failed.
class DbError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One evaluation run. run_key identifies the command's inputs (model hashes, suites, sampling, seed, limits): the
// identical command finds the same run and resumes it.
struct RunInfo {
  std::int64_t run_id = 0;  // assigned by the database
  std::string run_key;
  std::string status;         // "running", "finished" or "interrupted"
  std::string started_at;     // ISO-8601 UTC
  std::string finished_at;    // empty while running
  std::string model;          // the model directory as given
  std::string template_name;  // chat template: "r1", "r1-zero"...
  std::string suites;         // comma-separated suite names, in the order given
  std::int64_t samples = 0;   // k per problem (0: each suite's default)
  std::int64_t limit = 0;     // problems per suite (0: all)
  std::int64_t max_new_tokens = 0;
  double temperature = 0.0;
  double top_p = 1.0;
  std::uint64_t seed = 0;
  nlohmann::json provenance;  // r1eval version, git commit, build flags, model/data hashes, grader versions, machine
};

// One graded completion.
struct SampleRow {
  std::int64_t run_id = 0;
  std::string suite;
  std::string subset;  // e.g. the BBH task; empty when the suite has none
  std::string problem_id;
  std::int64_t problem_index = 0;  // position of the problem in the suite's selection
  std::int64_t sample_index = 0;
  std::int64_t prompt_tokens = 0;
  std::string completion;
  std::int64_t completion_tokens = 0;
  std::string finish_reason;  // "stop" or "length"
  bool correct = false;
  int outcome = 0;        // graders::Outcome code
  std::string extracted;  // the grader's extracted answer (cons@k groups these by equivalence)
  std::string detail;
  bool format_ok = false;       // well-formed for the run's template
  bool has_answer = false;      // an answer could be extracted
  double language_share = 1.0;  // share of reasoning words in the target language
  double prefill_seconds = 0.0;
  double decode_seconds = 0.0;
  // The budget the sample had: the run's, or less where the model's context left less after the prompt. 0: unknown.
  std::int64_t max_new_tokens = 0;
  std::int64_t reasoning_tokens = -1;  // of completion_tokens, as an endpoint reported them; -1: not reported
  std::string served_model;            // the model id an endpoint's reply named; empty: none named
  std::string system_fingerprint;      // an endpoint's system_fingerprint; empty: none sent

  friend bool operator==(const SampleRow&, const SampleRow&) = default;
};

// One grading of a run's completions. Grading 1 is the one done while generating; `r1eval regrade` adds 2, 3...
struct GradingInfo {
  std::int64_t run_id = 0;
  std::int64_t number = 0;                            // assigned by the database: 1, 2, 3... per run
  std::string created_at;                             // ISO-8601 UTC; empty: now
  nlohmann::json graders = nlohmann::json::object();  // suite -> {"grader": name, "version": version}
  std::string policy;                                 // the answer policy that overrode the suites' own; empty: none
};

struct MetricRow {
  std::string suite;   // a suite name, or "all" for the whole run
  std::string metric;  // "pass@1", "pass@4", "cons@4", "format_compliance", ... (README lists them)
  double value = 0.0;
  std::optional<double> ci_low;  // 95% bootstrap interval when computed
  std::optional<double> ci_high;
  std::int64_t n = 0;  // problems the figure is over
};

struct KernelResultRow {
  std::int64_t bench_id = 0;
  std::string kernel;    // "matmul", "rms_norm", "mla_decode_attention"...
  std::string shape;     // "m=1,k=7168,n=1536"
  std::string dtype;     // weight dtype: "bf16", "fp8", "f32"
  std::string backend;   // "avx2", "avx512", "scalar", "cuda"
  double seconds = 0.0;  // per call
  double gflops = 0.0;
  double gbps = 0.0;
  double roofline_pct = 0.0;  // floor time from bytes and FLOPs at the machine's ceilings / measured time
  std::int64_t repetitions = 1;
  // The per-call times `seconds` is the median of (empty: not kept, as in rows written before schema version 3).
  std::vector<double> repetition_seconds = {};
};

struct ThroughputRow {
  std::int64_t bench_id = 0;
  std::string model;
  std::string phase;  // "prefill" or "decode"
  std::int64_t batch = 1;
  std::int64_t context = 0;
  double tokens_per_s = 0.0;
  double cost_per_mtok_usd = 0.0;
  std::string price_basis;  // which price row, its source and date
  bool projection = false;  // analytic projection (e.g. real R1 on N GPUs), not a measurement
};

struct BenchInfo {
  std::int64_t bench_id = 0;
  std::string started_at;
  std::string model;
  nlohmann::json machine;  // CPU, cores, features, measured ceilings (GB/s, GFLOP/s)
  nlohmann::json provenance;
};

class ResultsDb {
 public:
  // Opens or creates the file, migrates an older schema to the current one (in one transaction), enables WAL.
  // Throws DbError for a file that is not a results database or has a newer schema than this build knows.
  static ResultsDb open(const std::filesystem::path& path);
  // Opens an existing file for reading only (report, compare): works on a read-only file or folder and never
  // writes, so it neither migrates nor switches the journal; throws DbError for a file not at the current schema.
  static ResultsDb open_read_only(const std::filesystem::path& path);
  ResultsDb(ResultsDb&&) noexcept;
  ResultsDb& operator=(ResultsDb&&) noexcept;
  ~ResultsDb();

  static int current_schema_version();
  int schema_version() const;
  const std::filesystem::path& path() const;

  // Runs. begin_run returns the existing run with info.run_key when there is one (to resume; its status is set back
  // to "running"), else inserts info and returns it with its run_id.
  RunInfo begin_run(const RunInfo& info);
  void set_run_status(std::int64_t run_id, const std::string& status, const std::string& finished_at);
  std::optional<RunInfo> find_run(std::int64_t run_id) const;
  std::vector<RunInfo> runs() const;  // oldest first

  // Samples. add_samples writes all rows in one transaction; a row whose (run_id, suite, problem_id, sample_index)
  // is already stored throws DbError and writes none of the batch (a sample is never doubled), except that a stored
  // row with outcome not_generated is replaced (in place, keeping its sample_id): a resumed run retries those.
  void add_samples(std::span<const SampleRow> rows);
  // The samples with the verdicts of the run's latest grading; ordered by the run's suites list (then any other suite
  // in order of arrival), problem_index, sample_index.
  std::vector<SampleRow> samples(std::int64_t run_id) const;
  // The same with the verdicts of grading `grading` (a sample it holds no verdict for shows grading 1's); throws
  // DbError when the run has no such grading.
  std::vector<SampleRow> samples(std::int64_t run_id, std::int64_t grading) const;

  // Gradings. add_grading stores a new grading of the run, numbered after its latest, with the verdict fields
  // (correct, outcome, extracted, detail, has_answer) of `graded`, rows of the run's stored samples named by
  // (suite, problem_id, sample_index), all in one transaction: a grading is never half-stored. Returns it with its
  // number. Throws DbError for an unknown run or a row that names no stored sample.
  GradingInfo add_grading(const GradingInfo& info, std::span<const SampleRow> graded);
  std::vector<GradingInfo> gradings(std::int64_t run_id) const;  // by number; empty for an unknown run
  // The run's latest grading's number (1 until it is graded again); throws DbError for an unknown run.
  std::int64_t latest_grading(std::int64_t run_id) const;

  // Metrics, per grading: replaces every metric row of the run's grading in one transaction. Without a grading:
  // the latest.
  void replace_metrics(std::int64_t run_id, std::span<const MetricRow> rows);
  void replace_metrics(std::int64_t run_id, std::int64_t grading, std::span<const MetricRow> rows);
  std::vector<MetricRow> metrics(std::int64_t run_id) const;
  std::vector<MetricRow> metrics(std::int64_t run_id, std::int64_t grading) const;

  // Benchmarks (r1eval bench).
  BenchInfo begin_bench(const BenchInfo& info);
  void add_kernel_results(std::span<const KernelResultRow> rows);
  void add_throughput(std::span<const ThroughputRow> rows);
  std::vector<BenchInfo> benches() const;
  std::vector<KernelResultRow> kernel_results(std::int64_t bench_id) const;
  std::vector<ThroughputRow> throughput(std::int64_t bench_id) const;

 private:
  struct Impl;
  explicit ResultsDb(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace r1eval::reports::db
