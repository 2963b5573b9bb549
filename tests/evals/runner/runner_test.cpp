// The runner's bookkeeping, with a scripted backend: every sample written exactly once, metrics at the end, and a
// run stopped between any two samples resumes to exactly the rows of an uninterrupted run.
#include "evals/runner/runner.h"
#include "evals/runner/run_lock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>

#include "scripted_backend.h"

namespace r1eval::evals::runner {
namespace {

namespace fs = std::filesystem;

fs::path fresh_db(const std::string& name) {
  const fs::path dir = fs::path(R1EVAL_BINARY_DIR) / "test-output" / "runner_test";
  fs::create_directories(dir);
  const fs::path path = dir / (name + ".sqlite");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  return path;
}

RunOptions arith_options() {
  RunOptions o;
  o.suites = {"arith"};
  o.model = "scripted";
  o.model_fingerprint = {{"scripted", 1}};
  o.samples = 4;
  o.limit = 12;
  o.seed = 5;
  return o;
}

// Stops the run (as Ctrl-C would) once `after` completions have come back.
class StopAfter final : public Backend {
 public:
  StopAfter(Backend& inner, int after, std::atomic<bool>& stop) : inner_(inner), after_(after), stop_(stop) {}
  nlohmann::json provenance() const override { return inner_.provenance(); }
  void submit(const CompletionRequest& r) override { inner_.submit(r); }
  void advance(std::vector<Completion>& finished) override {
    const std::size_t before = finished.size();
    inner_.advance(finished);
    seen_ += static_cast<int>(finished.size() - before);
    if (seen_ >= after_) stop_ = true;
  }
  bool idle() const override { return inner_.idle(); }

 private:
  Backend& inner_;
  int after_;
  int seen_ = 0;
  std::atomic<bool>& stop_;
};

// Everything of a row except the timings, which differ between runs by nature.
auto comparable(const reports::db::SampleRow& r) {
  return std::tie(r.suite, r.subset, r.problem_id, r.problem_index, r.sample_index, r.prompt_tokens, r.completion,
                  r.completion_tokens, r.finish_reason, r.correct, r.outcome, r.extracted, r.detail, r.format_ok,
                  r.has_answer, r.language_share);
}

const reports::db::MetricRow& metric(const std::vector<reports::db::MetricRow>& rows, const std::string& suite,
                                     const std::string& name) {
  for (const auto& r : rows) {
    if (r.suite == suite && r.metric == name) return r;
  }
  throw std::runtime_error("no metric " + suite + "/" + name);
}

TEST(Runner, WritesEverySampleOnceAndTheMetricsOfTheGrades) {
  reports::db::ResultsDb db = reports::db::ResultsDb::open(fresh_db("full"));
  testing::ScriptedBackend backend;
  Progress quiet(nullptr, false);
  std::atomic<bool> stop{false};
  const RunOutcome outcome = run_evaluation(arith_options(), backend, db, quiet, stop);
  EXPECT_FALSE(outcome.interrupted);
  EXPECT_EQ(outcome.samples_total, 48);
  EXPECT_EQ(outcome.samples_generated, 48);
  EXPECT_EQ(backend.submitted_requests, 12);

  const auto rows = db.samples(outcome.run_id);
  ASSERT_EQ(rows.size(), 48u);
  std::set<std::pair<std::string, std::int64_t>> keys;
  int expected_correct = 0;
  int expected_well_formed = 0;
  for (const auto& r : rows) {
    EXPECT_TRUE(keys.insert({r.problem_id, r.sample_index}).second);
    // The scripted backend's rule, applied independently of the graders: right unless the stream is a multiple
    // of 4 (off by one) or of 7 (truncated while reasoning).
    const std::uint64_t stream = sample_stream("arith", r.problem_id, r.sample_index);
    const bool truncated = stream % 7 == 0;
    const bool right = !truncated && stream % 4 != 0;
    EXPECT_EQ(r.correct, right) << r.problem_id << " sample " << r.sample_index << ": " << r.completion;
    EXPECT_EQ(r.format_ok, !truncated);
    EXPECT_EQ(r.finish_reason, truncated ? "length" : "stop");
    expected_correct += right;
    expected_well_formed += !truncated;
  }
  const auto metrics = db.metrics(outcome.run_id);
  EXPECT_NEAR(metric(metrics, "arith", "pass@1").value, expected_correct / 48.0, 1e-12);
  EXPECT_NEAR(metric(metrics, "arith", "format_compliance").value, expected_well_formed / 48.0, 1e-12);
  EXPECT_EQ(metric(metrics, "all", "samples").value, 48);
  EXPECT_EQ(db.find_run(outcome.run_id)->status, "finished");
}

TEST(Runner, AStoppedRunResumesToTheRowsOfAnUninterruptedRun) {
  reports::db::ResultsDb reference_db = reports::db::ResultsDb::open(fresh_db("reference"));
  testing::ScriptedBackend reference_backend;
  Progress quiet(nullptr, false);
  std::atomic<bool> never{false};
  const RunOutcome reference = run_evaluation(arith_options(), reference_backend, reference_db, quiet, never);

  reports::db::ResultsDb db = reports::db::ResultsDb::open(fresh_db("resumed"));
  std::int64_t run_id = 0;
  int invocations = 0;
  for (const int stop_after : {5, 1, 17, 9, 1000}) {
    testing::ScriptedBackend inner;
    std::atomic<bool> stop{false};
    StopAfter backend(inner, stop_after, stop);
    const RunOutcome outcome = run_evaluation(arith_options(), backend, db, quiet, stop);
    ++invocations;
    if (run_id == 0) run_id = outcome.run_id;
    EXPECT_EQ(outcome.run_id, run_id) << "the identical command must find its run";
    EXPECT_EQ(db.find_run(run_id)->status, outcome.interrupted ? "interrupted" : "finished");
    if (!outcome.interrupted) break;
  }
  EXPECT_EQ(invocations, 5);
  const auto expected = reference_db.samples(reference.run_id);
  const auto got = db.samples(run_id);
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(comparable(got[i]), comparable(expected[i])) << "row " << i;

  // Once finished, the same command generates nothing more.
  testing::ScriptedBackend again;
  const RunOutcome rerun = run_evaluation(arith_options(), again, db, quiet, never);
  EXPECT_EQ(rerun.samples_generated, 0);
  EXPECT_EQ(again.submitted_requests, 0);
  EXPECT_EQ(db.samples(run_id).size(), 48u);
}

TEST(Runner, ADifferentSeedIsANewRun) {
  reports::db::ResultsDb db = reports::db::ResultsDb::open(fresh_db("seeds"));
  Progress quiet(nullptr, false);
  std::atomic<bool> never{false};
  testing::ScriptedBackend a;
  const RunOutcome first = run_evaluation(arith_options(), a, db, quiet, never);
  RunOptions other = arith_options();
  other.seed = 6;
  testing::ScriptedBackend b;
  const RunOutcome second = run_evaluation(other, b, db, quiet, never);
  EXPECT_NE(first.run_id, second.run_id);
  EXPECT_EQ(db.runs().size(), 2u);
}

TEST(Runner, BadOptionsFailBeforeAnythingIsWritten) {
  const fs::path path = fresh_db("bad");
  reports::db::ResultsDb db = reports::db::ResultsDb::open(path);
  Progress quiet(nullptr, false);
  std::atomic<bool> never{false};
  testing::ScriptedBackend backend;
  RunOptions unknown = arith_options();
  unknown.suites = {"gsm8"};
  try {
    run_evaluation(unknown, backend, db, quiet, never);
    FAIL() << "an unknown suite must be rejected";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("gsm8k"), std::string::npos) << e.what();
  }
  RunOptions twice = arith_options();
  twice.suites = {"arith", "arith"};
  EXPECT_THROW(run_evaluation(twice, backend, db, quiet, never), std::invalid_argument);
  EXPECT_TRUE(db.runs().empty());
}

// Issue 20: a prompt past the model's context was stored as a wrong answer and never retried.
TEST(Runner, SamplesThatCouldNotBeGeneratedAreNeitherStoredNorScoredAndAreRetried) {
  reports::db::ResultsDb db = reports::db::ResultsDb::open(fresh_db("not-generated"));
  Progress quiet(nullptr, false);
  std::atomic<bool> never{false};
  testing::ScriptedBackend refusing;
  refusing.reject_every_request = true;
  const RunOutcome refused = run_evaluation(arith_options(), refusing, db, quiet, never);
  EXPECT_EQ(refused.samples_not_generated, 48);
  EXPECT_EQ(refused.samples_generated, 0);
  EXPECT_NE(refused.not_generated_reason.find("prompt too long"), std::string::npos) << refused.not_generated_reason;
  EXPECT_TRUE(db.samples(refused.run_id).empty());

  testing::ScriptedBackend able;
  const RunOutcome retried = run_evaluation(arith_options(), able, db, quiet, never);
  EXPECT_EQ(retried.run_id, refused.run_id);
  EXPECT_EQ(retried.samples_generated, 48);
  EXPECT_EQ(retried.samples_not_generated, 0);
}

// Issue 20: NaN logits gave a stream of token 0 that was graded like an answer.
TEST(Runner, SamplesStoppedByNonFiniteLogitsAreNeitherStoredNorScored) {
  reports::db::ResultsDb db = reports::db::ResultsDb::open(fresh_db("non-finite"));
  Progress quiet(nullptr, false);
  std::atomic<bool> never{false};
  testing::ScriptedBackend broken;
  broken.non_finite_logits = true;
  const RunOutcome outcome = run_evaluation(arith_options(), broken, db, quiet, never);
  EXPECT_EQ(outcome.samples_not_generated, 48);
  EXPECT_EQ(outcome.samples_generated, 0);
  EXPECT_NE(outcome.not_generated_reason.find("NaN"), std::string::npos) << outcome.not_generated_reason;
  EXPECT_TRUE(db.samples(outcome.run_id).empty());
}

TEST(Runner, ABudgetClampedByTheContextIsCountedAndRecordedOnTheRow) {
  reports::db::ResultsDb db = reports::db::ResultsDb::open(fresh_db("clamped"));
  Progress quiet(nullptr, false);
  std::atomic<bool> never{false};
  testing::ScriptedBackend backend;
  backend.context_budget = 5;
  const RunOutcome outcome = run_evaluation(arith_options(), backend, db, quiet, never);
  EXPECT_EQ(outcome.samples_clamped, 48);
  EXPECT_EQ(outcome.smallest_budget, 5);
  for (const auto& row : db.samples(outcome.run_id)) {
    EXPECT_NE(row.detail.find("budget clamped to 5 tokens"), std::string::npos) << row.detail;
  }
}

// Issue 20: two processes on one run generated the same samples and the second failed on the first's rows.
TEST(Runner, ASecondEvaluationOfTheSameRunStopsBeforeAnyWork) {
  reports::db::ResultsDb db = reports::db::ResultsDb::open(fresh_db("locked"));
  Progress quiet(nullptr, false);
  std::atomic<bool> never{false};
  testing::ScriptedBackend first;
  const RunOutcome done = run_evaluation(arith_options(), first, db, quiet, never);
  const std::string key = db.find_run(done.run_id)->run_key;
  {
    const RunLock other_process = RunLock::acquire(db.path(), key);
    testing::ScriptedBackend second;
    try {
      run_evaluation(arith_options(), second, db, quiet, never);
      FAIL() << "a run held by another process must be refused";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("another process"), std::string::npos) << e.what();
    }
    EXPECT_EQ(second.submitted_requests, 0);
    EXPECT_EQ(db.find_run(done.run_id)->status, "finished") << "the refused command changed the run";
    // Another run of the same database is not held up.
    RunOptions other = arith_options();
    other.seed = 99;
    testing::ScriptedBackend third;
    EXPECT_NO_THROW(run_evaluation(other, third, db, quiet, never));
  }
  testing::ScriptedBackend after;
  EXPECT_NO_THROW(run_evaluation(arith_options(), after, db, quiet, never)) << "the lock outlived its holder";
}

TEST(SampleStream, DiffersBetweenSamplesProblemsAndSuites) {
  std::set<std::uint64_t> streams;
  for (const char* suite : {"arith", "gsm8k"}) {
    for (const char* problem : {"1", "2", "12"}) {
      for (std::int64_t k = 0; k < 3; ++k) streams.insert(sample_stream(suite, problem, k));
    }
  }
  EXPECT_EQ(streams.size(), 18u);
  EXPECT_NE(sample_stream("a", "bc", 0), sample_stream("ab", "c", 0));  // fields are separated, not concatenated
}

}  // namespace
}  // namespace r1eval::evals::runner
