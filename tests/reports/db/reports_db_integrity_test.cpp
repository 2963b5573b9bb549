// A sample is never doubled and a failed batch writes nothing; the four views keep their documented columns.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "graders/grader.h"
#include "reports/db/results_db.h"
#include "tests/reports/db/db_test_support.h"

namespace r1eval::reports::db {
namespace {

using testing::RawDb;
using testing::scratch_dir;

SampleRow sample(std::int64_t run_id, const std::string& problem_id, std::int64_t sample_index) {
  SampleRow row;
  row.run_id = run_id;
  row.suite = "gsm8k";
  row.problem_id = problem_id;
  row.sample_index = sample_index;
  row.completion = "answer " + problem_id;
  row.finish_reason = "stop";
  return row;
}

std::int64_t new_run(ResultsDb& db, const std::string& key) {
  RunInfo run;
  run.run_key = key;
  return db.begin_run(run).run_id;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const DbError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no DbError";
  return {};
}

TEST(ReportsDbIntegrity, DuplicateOfAStoredSampleRejectsTheWholeBatch) {
  const auto file = scratch_dir() / "results.db";
  auto db = ResultsDb::open(file);
  const auto run_id = new_run(db, "k");
  const std::vector<SampleRow> first = {sample(run_id, "p0", 0), sample(run_id, "p0", 1)};
  db.add_samples(first);

  const std::vector<SampleRow> second = {sample(run_id, "p1", 0), sample(run_id, "p0", 1), sample(run_id, "p2", 0)};
  const std::string message = error_of([&] { db.add_samples(second); });
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;
  EXPECT_NE(message.find("'p0', sample 1"), std::string::npos) << message;

  RawDb raw(file);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM samples"), "2");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM samples WHERE problem_id IN ('p1', 'p2')"), "0");
  EXPECT_EQ(db.samples(run_id).size(), 2u);

  // The same key in another run, suite or sample index is a different sample.
  const auto other_run = new_run(db, "other");
  SampleRow other_suite = sample(run_id, "p0", 0);
  other_suite.suite = "math500";
  const std::vector<SampleRow> distinct = {sample(other_run, "p0", 0), other_suite, sample(run_id, "p0", 2)};
  db.add_samples(distinct);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM samples"), "5");
}

// Issue 16: a sample stored as not_generated (the backend refused or failed it) is generated again on resume, and
// its new row replaces the old one in place; a row with a verdict is never overwritten.
TEST(ReportsDbIntegrity, ANotGeneratedSampleIsReplacedAndAGradedOneNever) {
  const auto file = scratch_dir() / "results.db";
  auto db = ResultsDb::open(file);
  const auto run_id = new_run(db, "k");
  SampleRow missing = sample(run_id, "p0", 0);
  missing.completion.clear();
  missing.outcome = static_cast<int>(graders::Outcome::kNotGenerated);
  missing.detail = "The backend failed the sample: timeout.";
  SampleRow thrown = sample(run_id, "p0", 1);
  thrown.outcome = static_cast<int>(graders::Outcome::kGraderError);
  db.add_samples(std::vector<SampleRow>{missing, thrown});
  RawDb raw(file);
  const std::string id = raw.scalar("SELECT sample_id FROM samples WHERE sample_index = 0");

  SampleRow generated = sample(run_id, "p0", 0);
  generated.correct = true;
  generated.extracted = "42";
  db.add_samples(std::vector<SampleRow>{generated});
  const std::vector<SampleRow> rows = db.samples(run_id);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].outcome, static_cast<int>(graders::Outcome::kPass));
  EXPECT_TRUE(rows[0].correct);
  EXPECT_EQ(rows[0].completion, "answer p0");
  EXPECT_EQ(rows[0].extracted, "42");
  EXPECT_EQ(rows[0].detail, "");
  EXPECT_EQ(raw.scalar("SELECT sample_id FROM samples WHERE sample_index = 0"), id) << "replaced in place";

  // Neither the graded row nor the grader_error row (a stored verdict of a generated sample) can be replaced.
  for (const std::int64_t index : {0, 1}) {
    const std::string message = error_of([&] { db.add_samples(std::vector<SampleRow>{sample(run_id, "p0", index)}); });
    EXPECT_NE(message.find("already stored"), std::string::npos) << message;
  }
  EXPECT_EQ(db.samples(run_id)[0].extracted, "42");
  EXPECT_EQ(db.samples(run_id)[1].outcome, static_cast<int>(graders::Outcome::kGraderError));
}

TEST(ReportsDbIntegrity, DuplicateInsideOneBatchWritesNothing) {
  const auto file = scratch_dir() / "results.db";
  auto db = ResultsDb::open(file);
  const auto run_id = new_run(db, "k");
  const std::vector<SampleRow> batch = {sample(run_id, "a", 0), sample(run_id, "b", 0), sample(run_id, "a", 0)};
  EXPECT_THROW(db.add_samples(batch), DbError);
  EXPECT_TRUE(db.samples(run_id).empty());
  // The connection is usable afterwards: the failed transaction was rolled back, not left open.
  const std::vector<SampleRow> good = {sample(run_id, "a", 0)};
  db.add_samples(good);
  EXPECT_EQ(db.samples(run_id).size(), 1u);
}

TEST(ReportsDbIntegrity, SampleOfAnUnknownRunIsRejected) {
  const auto file = scratch_dir() / "results.db";
  auto db = ResultsDb::open(file);
  const auto run_id = new_run(db, "k");
  const std::vector<SampleRow> batch = {sample(run_id, "a", 0), sample(run_id + 7, "b", 0)};
  const std::string message = error_of([&] { db.add_samples(batch); });
  EXPECT_NE(message.find("no run with id " + std::to_string(run_id + 7)), std::string::npos) << message;
  EXPECT_TRUE(db.samples(run_id).empty());
}

TEST(ReportsDbIntegrity, ViewsHaveTheDocumentedColumns) {
  const auto file = scratch_dir() / "results.db";
  { ResultsDb::open(file); }
  RawDb raw(file);
  EXPECT_EQ(raw.columns("sample_results"),
            (std::vector<std::string>{
                "run_id",       "suite",          "subset",           "problem_id",      "problem_index",
                "sample_index", "completion",     "correct",          "outcome",         "outcome_name",
                "extracted",    "detail",         "finish_reason",    "prompt_tokens",   "completion_tokens",
                "format_ok",    "has_answer",     "language_share",   "prefill_seconds", "decode_seconds",
                "grading",      "max_new_tokens", "reasoning_tokens", "served_model",    "system_fingerprint"}));
  EXPECT_EQ(raw.columns("run_metrics"),
            (std::vector<std::string>{"run_id", "suite", "metric", "value", "ci_low", "ci_high", "n", "grading"}));
  EXPECT_EQ(raw.columns("grading_metrics"),
            (std::vector<std::string>{"run_id", "grading", "suite", "metric", "value", "ci_low", "ci_high", "n"}));
  EXPECT_EQ(raw.columns("problem_results"),
            (std::vector<std::string>{"run_id", "grading", "suite", "subset", "problem_id", "problem_index", "samples",
                                      "scored", "correct", "pass_rate"}));
  EXPECT_EQ(raw.columns("kernel_results"),
            (std::vector<std::string>{"bench_id", "kernel", "shape", "dtype", "backend", "seconds", "gflops", "gbps",
                                      "roofline_pct", "repetitions", "started_at", "machine", "repetition_seconds"}));
  EXPECT_EQ(raw.columns("throughput"),
            (std::vector<std::string>{"bench_id", "model", "phase", "batch", "context", "tokens_per_s",
                                      "cost_per_mtok_usd", "price_basis", "projection", "started_at", "machine"}));
}

TEST(ReportsDbIntegrity, ViewsShowTheRowsWritten) {
  const auto file = scratch_dir() / "results.db";
  auto db = ResultsDb::open(file);
  const auto run_id = new_run(db, "k");
  SampleRow row = sample(run_id, "gsm8k/3", 1);
  row.subset = "sub";
  row.problem_index = 3;
  row.correct = true;
  row.outcome = 8;
  row.extracted = "42";
  row.detail = "d";
  row.prompt_tokens = 11;
  row.completion_tokens = 22;
  row.format_ok = true;
  row.language_share = 0.5;
  row.prefill_seconds = 0.25;
  row.decode_seconds = 4.0;
  row.max_new_tokens = 512;
  row.served_model = "deepseek-reasoner";
  db.add_samples(std::span(&row, 1));
  const std::vector<MetricRow> metrics = {{"gsm8k", "pass@1", 0.5, 0.25, 0.75, 2}};
  db.replace_metrics(run_id, metrics);
  BenchInfo bench;
  bench.started_at = "2026-11-29T00:00:00Z";
  bench.model = "tiny";
  bench.machine = {{"cores", 2}};
  const auto bench_id = db.begin_bench(bench).bench_id;
  const std::vector<KernelResultRow> kernels = {
      {bench_id, "rope", "n=64", "f32", "avx2", 0.5, 2.0, 3.0, 50.0, 3, {0.5, 0.25, 0.75}},
      {bench_id, "rope", "n=128", "f32", "avx2", 1.0, 2.0, 3.0, 50.0, 1, {}}};
  db.add_kernel_results(kernels);
  const std::vector<ThroughputRow> rates = {{bench_id, "tiny", "decode", 8, 128, 100.0, 0.25, "cpu", true}};
  db.add_throughput(rates);

  RawDb raw(file);
  using Row = RawDb::Row;
  EXPECT_EQ(raw.query("SELECT * FROM sample_results"), (std::vector<Row>{{std::to_string(run_id),
                                                                          "gsm8k",
                                                                          "sub",
                                                                          "gsm8k/3",
                                                                          "3",
                                                                          "1",
                                                                          "answer gsm8k/3",
                                                                          "1",
                                                                          "8",
                                                                          "format_error",
                                                                          "42",
                                                                          "d",
                                                                          "stop",
                                                                          "11",
                                                                          "22",
                                                                          "1",
                                                                          "0",
                                                                          "0.5",
                                                                          "0.25",
                                                                          "4.0",
                                                                          "1",
                                                                          "512",
                                                                          std::nullopt,  // no reasoning count reported
                                                                          "deepseek-reasoner",
                                                                          std::nullopt}}));
  EXPECT_EQ(raw.query("SELECT * FROM run_metrics"),
            (std::vector<Row>{{std::to_string(run_id), "gsm8k", "pass@1", "0.5", "0.25", "0.75", "2", "1"}}));
  EXPECT_EQ(raw.query("SELECT * FROM kernel_results"),
            (std::vector<Row>{{std::to_string(bench_id), "rope", "n=64", "f32", "avx2", "0.5", "2.0", "3.0", "50.0",
                               "3", "2026-11-29T00:00:00Z", R"({"cores":2})", "[0.5,0.25,0.75]"},
                              {std::to_string(bench_id), "rope", "n=128", "f32", "avx2", "1.0", "2.0", "3.0", "50.0",
                               "1", "2026-11-29T00:00:00Z", R"({"cores":2})", std::nullopt}}));
  EXPECT_EQ(raw.query("SELECT * FROM throughput"),
            (std::vector<Row>{{std::to_string(bench_id), "tiny", "decode", "8", "128", "100.0", "0.25", "cpu", "1",
                               "2026-11-29T00:00:00Z", R"({"cores":2})"}}));
  // Every outcome code the graders define has its name.
  EXPECT_EQ(raw.scalar("SELECT group_concat(name, ',') FROM (SELECT name FROM outcomes ORDER BY code)"),
            "pass,fail,no_answer,timeout,memory_limit,output_limit,runtime_error,sandbox_error,format_error,"
            "not_generated,grader_error");
}

TEST(ReportsDbIntegrity, AReaderSeesCommittedBatchesWhileTheWriterIsOpen) {
  const auto file = scratch_dir() / "results.db";
  auto writer = ResultsDb::open(file);
  const auto run_id = new_run(writer, "k");
  auto reader = ResultsDb::open(file);
  EXPECT_TRUE(reader.samples(run_id).empty());
  const std::vector<SampleRow> batch = {sample(run_id, "a", 0), sample(run_id, "a", 1)};
  writer.add_samples(batch);
  EXPECT_EQ(reader.samples(run_id).size(), 2u);  // the reader's earlier read did not pin an old snapshot
}

}  // namespace
}  // namespace r1eval::reports::db
