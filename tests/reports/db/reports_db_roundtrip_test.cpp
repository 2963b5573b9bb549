// Every field written through ResultsDb comes back unchanged: runs, samples, metrics and bench rows.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "reports/db/results_db.h"
#include "tests/reports/db/db_test_support.h"

namespace r1eval::reports::db {
namespace {

using testing::scratch_dir;

RunInfo example_run(const std::string& key) {
  RunInfo run;
  run.run_key = key;
  run.status = "running";
  run.started_at = "2026-11-29T01:02:03Z";
  run.model = "/models/DeepSeek-R1 (σ test)";
  run.template_name = "r1-zero";
  run.suites = "gsm8k,bbh";
  run.samples = 4;
  run.limit = 7;
  run.max_new_tokens = 32768;
  run.temperature = 0.6;
  run.top_p = 0.95;
  run.seed = std::numeric_limits<std::uint64_t>::max();  // does not fit a signed 64-bit SQLite integer
  run.provenance = {{"r1eval", "0.1.0"}, {"git", "abc123"}, {"hashes", {{"config", "ff00"}}}, {"cores", 2}};
  return run;
}

SampleRow example_sample(std::int64_t run_id, const std::string& suite, const std::string& problem_id,
                         std::int64_t problem_index, std::int64_t sample_index) {
  SampleRow row;
  row.run_id = run_id;
  row.suite = suite;
  row.subset = suite == "bbh" ? "date_understanding" : "";
  row.problem_id = problem_id;
  row.problem_index = problem_index;
  row.sample_index = sample_index;
  row.prompt_tokens = 100 + problem_index;
  row.completion = "<think>" + problem_id + "</think> \\boxed{" + std::to_string(sample_index) + "}";
  row.completion_tokens = 20 + sample_index;
  row.finish_reason = sample_index % 2 == 0 ? "stop" : "length";
  row.correct = sample_index % 2 == 0;
  row.outcome = sample_index % 2 == 0 ? 0 : 2;
  row.extracted = std::to_string(sample_index);
  row.detail = "compared " + std::to_string(sample_index);
  row.format_ok = true;
  row.has_answer = sample_index % 2 == 0;
  row.language_share = 0.25 * static_cast<double>(sample_index);
  row.prefill_seconds = 0.5 + static_cast<double>(problem_index);
  row.decode_seconds = 1.5 + static_cast<double>(sample_index);
  // Odd samples come from an endpoint that says everything; even ones from a backend that says nothing.
  if (sample_index % 2 == 1) {
    row.max_new_tokens = 32768 - problem_index;
    row.reasoning_tokens = 10 + sample_index;
    row.served_model = "deepseek-ai/DeepSeek-R1";
    row.system_fingerprint = "fp-\u00e9";
  }
  return row;
}

void expect_same_run(const RunInfo& want, const RunInfo& got) {
  EXPECT_EQ(want.run_key, got.run_key);
  EXPECT_EQ(want.status, got.status);
  EXPECT_EQ(want.started_at, got.started_at);
  EXPECT_EQ(want.finished_at, got.finished_at);
  EXPECT_EQ(want.model, got.model);
  EXPECT_EQ(want.template_name, got.template_name);
  EXPECT_EQ(want.suites, got.suites);
  EXPECT_EQ(want.samples, got.samples);
  EXPECT_EQ(want.limit, got.limit);
  EXPECT_EQ(want.max_new_tokens, got.max_new_tokens);
  EXPECT_EQ(want.temperature, got.temperature);
  EXPECT_EQ(want.top_p, got.top_p);
  EXPECT_EQ(want.seed, got.seed);
  EXPECT_EQ(want.provenance, got.provenance);
}

void expect_same_sample(const SampleRow& want, const SampleRow& got) {
  EXPECT_EQ(want.run_id, got.run_id);
  EXPECT_EQ(want.suite, got.suite);
  EXPECT_EQ(want.subset, got.subset);
  EXPECT_EQ(want.problem_id, got.problem_id);
  EXPECT_EQ(want.problem_index, got.problem_index);
  EXPECT_EQ(want.sample_index, got.sample_index);
  EXPECT_EQ(want.prompt_tokens, got.prompt_tokens);
  EXPECT_EQ(want.completion, got.completion);
  EXPECT_EQ(want.completion_tokens, got.completion_tokens);
  EXPECT_EQ(want.finish_reason, got.finish_reason);
  EXPECT_EQ(want.correct, got.correct);
  EXPECT_EQ(want.outcome, got.outcome);
  EXPECT_EQ(want.extracted, got.extracted);
  EXPECT_EQ(want.detail, got.detail);
  EXPECT_EQ(want.format_ok, got.format_ok);
  EXPECT_EQ(want.has_answer, got.has_answer);
  EXPECT_EQ(want.language_share, got.language_share);
  EXPECT_EQ(want.prefill_seconds, got.prefill_seconds);
  EXPECT_EQ(want.decode_seconds, got.decode_seconds);
  EXPECT_EQ(want.max_new_tokens, got.max_new_tokens);
  EXPECT_EQ(want.reasoning_tokens, got.reasoning_tokens);
  EXPECT_EQ(want.served_model, got.served_model);
  EXPECT_EQ(want.system_fingerprint, got.system_fingerprint);
}

TEST(ReportsDbRoundTrip, NewFileHasTheCurrentSchema) {
  const auto file = scratch_dir() / "results.db";
  auto db = ResultsDb::open(file);
  EXPECT_EQ(db.schema_version(), 4);
  EXPECT_EQ(ResultsDb::current_schema_version(), 4);
  EXPECT_EQ(db.path(), file);
  EXPECT_TRUE(db.runs().empty());
  testing::RawDb raw(file);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), "4");
  EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
}

TEST(ReportsDbRoundTrip, RunFieldsSurviveReopening) {
  const auto file = scratch_dir() / "results.db";
  RunInfo want = example_run("key-1");
  std::int64_t run_id = 0;
  {
    auto db = ResultsDb::open(file);
    const RunInfo stored = db.begin_run(want);
    EXPECT_GT(stored.run_id, 0);
    expect_same_run(want, stored);
    run_id = stored.run_id;
    db.set_run_status(run_id, "finished", "2026-11-29T02:00:00Z");
  }
  auto db = ResultsDb::open(file);
  const auto found = db.find_run(run_id);
  ASSERT_TRUE(found.has_value());
  want.status = "finished";
  want.finished_at = "2026-11-29T02:00:00Z";
  expect_same_run(want, *found);
  EXPECT_FALSE(db.find_run(run_id + 100).has_value());
}

TEST(ReportsDbRoundTrip, BeginRunResumesTheRunWithTheSameKey) {
  auto db = ResultsDb::open(scratch_dir() / "results.db");
  const RunInfo first = db.begin_run(example_run("same-command"));
  const RunInfo other = db.begin_run(example_run("another-command"));
  EXPECT_NE(first.run_id, other.run_id);
  db.set_run_status(first.run_id, "interrupted", "2026-11-29T03:00:00Z");

  RunInfo again = example_run("same-command");
  again.started_at = "2030-01-01T00:00:00Z";  // a later start of the identical command keeps the original record
  const RunInfo resumed = db.begin_run(again);
  EXPECT_EQ(resumed.run_id, first.run_id);
  EXPECT_EQ(resumed.status, "running");
  EXPECT_EQ(resumed.finished_at, "");
  EXPECT_EQ(resumed.started_at, "2026-11-29T01:02:03Z");

  const auto all = db.runs();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].run_key, "same-command");
  EXPECT_EQ(all[1].run_key, "another-command");
}

TEST(ReportsDbRoundTrip, EmptyStartTimeIsFilledWithNow) {
  auto db = ResultsDb::open(scratch_dir() / "results.db");
  RunInfo run = example_run("k");
  run.started_at.clear();
  run.status.clear();
  const RunInfo stored = db.begin_run(run);
  EXPECT_EQ(stored.status, "running");
  ASSERT_EQ(stored.started_at.size(), 20u) << stored.started_at;  // 2026-11-29T01:02:03Z
  EXPECT_EQ(stored.started_at[10], 'T');
  EXPECT_EQ(stored.started_at.back(), 'Z');
}

TEST(ReportsDbRoundTrip, BadRunInputsAreRejected) {
  auto db = ResultsDb::open(scratch_dir() / "results.db");
  EXPECT_THROW(db.begin_run(example_run("")), DbError);
  RunInfo bad_status = example_run("k");
  bad_status.status = "paused";
  EXPECT_THROW(db.begin_run(bad_status), DbError);
  const RunInfo run = db.begin_run(example_run("k"));
  EXPECT_THROW(db.set_run_status(run.run_id, "done", ""), DbError);
  EXPECT_THROW(db.set_run_status(run.run_id + 1, "finished", ""), DbError);
  EXPECT_EQ(db.find_run(run.run_id)->status, "running");
}

TEST(ReportsDbRoundTrip, EverySampleFieldIncludingUnicodeAndAMegabyteCompletion) {
  const auto file = scratch_dir() / "results.db";
  std::vector<SampleRow> want;
  {
    auto db = ResultsDb::open(file);
    const auto run_id = db.begin_run(example_run("k")).run_id;
    want.push_back(example_sample(run_id, "gsm8k", "gsm8k/0", 0, 0));
    want.push_back(example_sample(run_id, "gsm8k", "gsm8k/0", 0, 1));
    SampleRow unicode = example_sample(run_id, "gsm8k", "gsm8k/1 — ∑ 数学 🙂", 1, 0);
    unicode.completion =
        "<think>让我们一步一步地思考。Ελληνικά, العربية, emoji 🧮</think> \\boxed{½}";
    unicode.extracted = "½";
    unicode.detail = "égal à ½";
    unicode.subset = "ünïcödé";
    want.push_back(unicode);
    SampleRow big = example_sample(run_id, "gsm8k", "gsm8k/2", 2, 0);
    big.completion.clear();
    for (int i = 0; big.completion.size() < (1u << 20); ++i) big.completion += "step " + std::to_string(i) + " ∴\n";
    big.completion += std::string("nul\0inside", 10);  // byte-exact, even an embedded NUL
    big.completion_tokens = 300000;
    want.push_back(big);
    db.add_samples(want);
  }
  auto db = ResultsDb::open(file);
  const auto got = db.samples(want[0].run_id);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(i);
    expect_same_sample(want[i], got[i]);
  }
  EXPECT_GT(got[3].completion.size(), 1u << 20);
}

TEST(ReportsDbRoundTrip, SamplesComeBackInSuiteListOrderThenProblemThenSample) {
  auto db = ResultsDb::open(scratch_dir() / "results.db");
  const auto run_id = db.begin_run(example_run("k")).run_id;  // suites "gsm8k,bbh"
  const std::vector<SampleRow> batch1 = {
      example_sample(run_id, "bbh", "bbh/b", 1, 1), example_sample(run_id, "extra", "x/0", 0, 0),
      example_sample(run_id, "gsm8k", "g/1", 1, 0), example_sample(run_id, "bbh", "bbh/a", 0, 0)};
  const std::vector<SampleRow> batch2 = {
      example_sample(run_id, "gsm8k", "g/0", 0, 1), example_sample(run_id, "bbh", "bbh/b", 1, 0),
      example_sample(run_id, "gsm8k", "g/0", 0, 0), example_sample(run_id, "later", "l/0", 0, 0)};
  db.add_samples(batch1);
  db.add_samples(batch2);
  std::vector<std::string> order;
  for (const auto& row : db.samples(run_id)) order.push_back(row.problem_id + "#" + std::to_string(row.sample_index));
  // Listed suites first (gsm8k, then bbh), then unlisted ones in the order their first sample arrived.
  const std::vector<std::string> want = {"g/0#0", "g/0#1", "g/1#0", "bbh/a#0", "bbh/b#0", "bbh/b#1", "x/0#0", "l/0#0"};
  EXPECT_EQ(order, want);
}

TEST(ReportsDbRoundTrip, SamplesOfOneRunOnly) {
  auto db = ResultsDb::open(scratch_dir() / "results.db");
  const auto a = db.begin_run(example_run("a")).run_id;
  const auto b = db.begin_run(example_run("b")).run_id;
  const std::vector<SampleRow> rows = {example_sample(a, "gsm8k", "p", 0, 0), example_sample(b, "gsm8k", "p", 0, 0),
                                       example_sample(b, "gsm8k", "p", 0, 1)};
  db.add_samples(rows);
  EXPECT_EQ(db.samples(a).size(), 1u);
  EXPECT_EQ(db.samples(b).size(), 2u);
  EXPECT_TRUE(db.samples(b + 5).empty());
}

TEST(ReportsDbRoundTrip, MetricsAreReplacedAsAWhole) {
  auto db = ResultsDb::open(scratch_dir() / "results.db");
  const auto run_id = db.begin_run(example_run("k")).run_id;
  const auto other = db.begin_run(example_run("other")).run_id;
  const std::vector<MetricRow> other_rows = {{"all", "pass@1", 0.1, std::nullopt, std::nullopt, 3}};
  db.replace_metrics(other, other_rows);

  const std::vector<MetricRow> first = {{"gsm8k", "pass@1", 0.5, 0.25, 0.75, 10},
                                        {"gsm8k", "cons@4", 0.6, std::nullopt, std::nullopt, 10},
                                        {"all", "truncation_rate", 0.125, 0.0, 0.3, 20}};
  db.replace_metrics(run_id, first);
  const std::vector<MetricRow> second = {
      {"all", "pass@1", 0.875, 0.8, 0.9, 20},
      {"bbh", "no_answer_rate", std::numeric_limits<double>::quiet_NaN(), std::nullopt, 1.0, 0}};
  db.replace_metrics(run_id, second);

  const auto got = db.metrics(run_id);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].suite, "all");
  EXPECT_EQ(got[0].metric, "pass@1");
  EXPECT_EQ(got[0].value, 0.875);
  EXPECT_EQ(got[0].ci_low, 0.8);
  EXPECT_EQ(got[0].ci_high, 0.9);
  EXPECT_EQ(got[0].n, 20);
  EXPECT_EQ(got[1].metric, "no_answer_rate");
  EXPECT_TRUE(std::isnan(got[1].value));
  EXPECT_FALSE(got[1].ci_low.has_value());
  EXPECT_EQ(got[1].ci_high, 1.0);
  EXPECT_EQ(got[1].n, 0);

  ASSERT_EQ(db.metrics(other).size(), 1u);  // another run's metrics are untouched
  EXPECT_EQ(db.metrics(other)[0].value, 0.1);

  // A batch with the same metric twice fails and leaves the previous metrics in place.
  const std::vector<MetricRow> twice = {{"all", "pass@1", 0.1, std::nullopt, std::nullopt, 1},
                                        {"all", "pass@1", 0.2, std::nullopt, std::nullopt, 1}};
  EXPECT_THROW(db.replace_metrics(run_id, twice), DbError);
  EXPECT_EQ(db.metrics(run_id).size(), 2u);
  EXPECT_THROW(db.replace_metrics(run_id + 100, first), DbError);
}

TEST(ReportsDbRoundTrip, BenchRowsSurviveReopening) {
  const auto file = scratch_dir() / "results.db";
  BenchInfo info;
  info.started_at = "2026-11-29T01:00:00Z";
  info.model = "synthetic-tiny";
  info.machine = {{"cpu", "Xeon"}, {"cores", 2}, {"ceilings", {{"gbps", 12.5}, {"gflops_f32", 80.0}}}};
  info.provenance = {{"git", "abc"}};
  std::vector<KernelResultRow> kernels = {
      // Repetition times that print with 17 significant digits, and a tiny one: stored exactly.
      {0,
       "matmul",
       "m=1,k=7168,n=1536",
       "bf16",
       "avx2",
       1.25e-4,
       175.5,
       88.2,
       71.5,
       5,
       {1.25e-4, 0.1 + 0.2, 1.0 / 3.0, 4.9406564584124654e-324, 2.5e-4}},
      {0, "rms_norm", "n=7168", "f32", "scalar", 3e-6, 0.0, 9.5, 40.0, 1000, {}}};
  std::vector<ThroughputRow> rates = {
      {0, "synthetic-tiny", "prefill", 8, 512, 1234.5, 0.42, "CPU core-hour $0.05 (AWS, 2026-01)", false},
      {0, "DeepSeek-R1 671B on 8xH200", "decode", 64, 4096, 5000.0, 1.1, "H200 $3.50/h (2026-01)", true}};
  std::int64_t bench_id = 0;
  {
    auto db = ResultsDb::open(file);
    const BenchInfo stored = db.begin_bench(info);
    bench_id = stored.bench_id;
    EXPECT_GT(bench_id, 0);
    EXPECT_EQ(stored.started_at, info.started_at);
    for (auto& row : kernels) row.bench_id = bench_id;
    for (auto& row : rates) row.bench_id = bench_id;
    db.add_kernel_results(kernels);
    db.add_throughput(rates);
  }
  auto db = ResultsDb::open(file);
  const auto benches = db.benches();
  ASSERT_EQ(benches.size(), 1u);
  EXPECT_EQ(benches[0].bench_id, bench_id);
  EXPECT_EQ(benches[0].started_at, info.started_at);
  EXPECT_EQ(benches[0].model, info.model);
  EXPECT_EQ(benches[0].machine, info.machine);
  EXPECT_EQ(benches[0].provenance, info.provenance);

  const auto got_kernels = db.kernel_results(bench_id);
  ASSERT_EQ(got_kernels.size(), kernels.size());
  for (std::size_t i = 0; i < kernels.size(); ++i) {
    EXPECT_EQ(got_kernels[i].bench_id, bench_id);
    EXPECT_EQ(got_kernels[i].kernel, kernels[i].kernel);
    EXPECT_EQ(got_kernels[i].shape, kernels[i].shape);
    EXPECT_EQ(got_kernels[i].dtype, kernels[i].dtype);
    EXPECT_EQ(got_kernels[i].backend, kernels[i].backend);
    EXPECT_EQ(got_kernels[i].seconds, kernels[i].seconds);
    EXPECT_EQ(got_kernels[i].gflops, kernels[i].gflops);
    EXPECT_EQ(got_kernels[i].gbps, kernels[i].gbps);
    EXPECT_EQ(got_kernels[i].roofline_pct, kernels[i].roofline_pct);
    EXPECT_EQ(got_kernels[i].repetitions, kernels[i].repetitions);
    EXPECT_EQ(got_kernels[i].repetition_seconds, kernels[i].repetition_seconds);
  }
  const auto got_rates = db.throughput(bench_id);
  ASSERT_EQ(got_rates.size(), rates.size());
  for (std::size_t i = 0; i < rates.size(); ++i) {
    EXPECT_EQ(got_rates[i].bench_id, bench_id);
    EXPECT_EQ(got_rates[i].model, rates[i].model);
    EXPECT_EQ(got_rates[i].phase, rates[i].phase);
    EXPECT_EQ(got_rates[i].batch, rates[i].batch);
    EXPECT_EQ(got_rates[i].context, rates[i].context);
    EXPECT_EQ(got_rates[i].tokens_per_s, rates[i].tokens_per_s);
    EXPECT_EQ(got_rates[i].cost_per_mtok_usd, rates[i].cost_per_mtok_usd);
    EXPECT_EQ(got_rates[i].price_basis, rates[i].price_basis);
    EXPECT_EQ(got_rates[i].projection, rates[i].projection);
  }
  EXPECT_TRUE(db.kernel_results(bench_id + 1).empty());
}

TEST(ReportsDbRoundTrip, BenchRowsForAnUnknownBenchAreRejected) {
  auto db = ResultsDb::open(scratch_dir() / "results.db");
  const std::vector<KernelResultRow> kernels = {{42, "matmul", "m=1", "f32", "scalar", 1.0, 1.0, 1.0, 1.0, 1, {}}};
  EXPECT_THROW(db.add_kernel_results(kernels), DbError);
  const std::vector<ThroughputRow> rates = {{42, "m", "decode", 1, 0, 1.0, 1.0, "p", false}};
  EXPECT_THROW(db.add_throughput(rates), DbError);
}

TEST(ReportsDbRoundTrip, ANonFiniteRepetitionTimeIsRejectedWithTheKernelNamed) {
  auto db = ResultsDb::open(scratch_dir() / "results.db");
  const auto bench_id = db.begin_bench(BenchInfo{}).bench_id;
  const std::vector<KernelResultRow> kernels = {
      {bench_id, "rope", "n=64", "f32", "scalar", 1.0, 1.0, 1.0, 1.0, 2, {1.0, std::nan("")}}};
  try {
    db.add_kernel_results(kernels);
    ADD_FAILURE() << "a NaN repetition time was stored";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("rope"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(db.kernel_results(bench_id).empty());  // nothing of the batch was written
}

}  // namespace
}  // namespace r1eval::reports::db
