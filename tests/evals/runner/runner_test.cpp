// The runner's bookkeeping, with a scripted backend: every sample written exactly once, metrics at the end, and a
// run stopped between any two samples resumes to exactly the rows of an uninterrupted run.
#include "evals/runner/runner.h"
#include "evals/runner/run_lock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <tuple>

#include "evals/metrics/run_metrics.h"
#include "evals/suites/suite.h"
#include "graders/grader.h"
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

bool not_generated(const reports::db::SampleRow& row) {
  return row.outcome == static_cast<int>(graders::Outcome::kNotGenerated);
}

// Issue 20: a prompt past the model's context was stored as a wrong answer and never retried. Issue 16: such
// samples are stored as not_generated (never scored, counted in error_rate) and a resumed run replaces them.
TEST(Runner, SamplesThatCouldNotBeGeneratedAreStoredUnscoredAndRetried) {
  reports::db::ResultsDb db = reports::db::ResultsDb::open(fresh_db("not-generated"));
  Progress quiet(nullptr, false);
  std::atomic<bool> never{false};
  testing::ScriptedBackend refusing;
  refusing.reject_every_request = true;
  const RunOutcome refused = run_evaluation(arith_options(), refusing, db, quiet, never);
  EXPECT_EQ(refused.samples_not_generated, 48);
  EXPECT_EQ(refused.samples_generated, 0);
  EXPECT_NE(refused.not_generated_reason.find("prompt too long"), std::string::npos) << refused.not_generated_reason;
  const auto rows = db.samples(refused.run_id);
  ASSERT_EQ(rows.size(), 48u);
  for (const auto& row : rows) {
    EXPECT_TRUE(not_generated(row));
    EXPECT_FALSE(row.correct);
    EXPECT_FALSE(row.has_answer);
    EXPECT_TRUE(row.completion.empty());
    EXPECT_EQ(row.detail, "The backend could not take the prompt: prompt too long.");
  }
  const auto metrics = db.metrics(refused.run_id);
  EXPECT_EQ(metric(metrics, "arith", "error_rate").value, 1.0);
  EXPECT_EQ(metric(metrics, "all", "errors").value, 48.0);
  EXPECT_THROW(metric(metrics, "arith", "pass@1"), std::runtime_error) << "no scored sample, no pass@1";

  testing::ScriptedBackend able;
  const RunOutcome retried = run_evaluation(arith_options(), able, db, quiet, never);
  EXPECT_EQ(retried.run_id, refused.run_id);
  EXPECT_EQ(retried.samples_resumed, 0) << "not_generated rows are not done";
  EXPECT_EQ(retried.samples_generated, 48);
  EXPECT_EQ(retried.samples_not_generated, 0);
  const auto replaced = db.samples(retried.run_id);
  ASSERT_EQ(replaced.size(), 48u);
  for (const auto& row : replaced) EXPECT_FALSE(not_generated(row)) << row.problem_id << " " << row.sample_index;
  EXPECT_EQ(metric(db.metrics(retried.run_id), "all", "error_rate").value, 0.0);
}

// Issue 20: NaN logits gave a stream of token 0 that was graded like an answer.
TEST(Runner, SamplesStoppedByNonFiniteLogitsAreStoredAsNotGenerated) {
  reports::db::ResultsDb db = reports::db::ResultsDb::open(fresh_db("non-finite"));
  Progress quiet(nullptr, false);
  std::atomic<bool> never{false};
  testing::ScriptedBackend broken;
  broken.non_finite_logits = true;
  const RunOutcome outcome = run_evaluation(arith_options(), broken, db, quiet, never);
  EXPECT_EQ(outcome.samples_not_generated, 48);
  EXPECT_EQ(outcome.samples_generated, 0);
  EXPECT_NE(outcome.not_generated_reason.find("NaN"), std::string::npos) << outcome.not_generated_reason;
  const auto rows = db.samples(outcome.run_id);
  ASSERT_EQ(rows.size(), 48u);
  for (const auto& row : rows) {
    EXPECT_TRUE(not_generated(row));
    EXPECT_TRUE(row.completion.empty()) << "the text drawn from NaN logits is not kept";
    EXPECT_EQ(row.finish_reason, "non_finite");
    EXPECT_NE(row.detail.find("NaN or infinity"), std::string::npos) << row.detail;
  }
}

// The faults the next test injects, chosen by problem (refused prompts, a throwing grader) and by sample (failed
// requests): a backend that refuses or fails those, and a grader that throws on those problems.
struct Faults {
  std::set<std::string> refused_prompts;         // problem prompts the backend refuses
  std::set<std::uint64_t> failed_streams;        // samples (by RNG stream) the backend fails
  std::set<std::string> grader_throws_on_golds;  // golds (dumped) the grader throws on
};

class FaultyBackend final : public Backend {
 public:
  FaultyBackend(Backend& inner, const Faults& faults) : inner_(inner), faults_(faults) {}
  nlohmann::json provenance() const override { return inner_.provenance(); }
  void submit(const CompletionRequest& r) override {
    for (const std::string& prompt : faults_.refused_prompts) {
      if (r.user_message.find(prompt) != std::string::npos) throw std::invalid_argument("prompt too long");
    }
    streams_[r.id] = r.streams;
    inner_.submit(r);
  }
  void advance(std::vector<Completion>& finished) override {
    const std::size_t before = finished.size();
    inner_.advance(finished);
    for (std::size_t i = before; i < finished.size(); ++i) {
      Completion& c = finished[i];
      if (faults_.failed_streams.count(streams_.at(c.request_id)[c.sample]) == 0) continue;
      c.text.clear();
      c.error = "the endpoint never answered";
    }
  }
  bool idle() const override { return inner_.idle(); }

 private:
  Backend& inner_;
  const Faults& faults_;
  std::map<std::uint64_t, std::vector<std::uint64_t>> streams_;
};

class ThrowingGrader final : public graders::Grader {
 public:
  ThrowingGrader(std::unique_ptr<graders::Grader> inner, const Faults& faults)
      : inner_(std::move(inner)), faults_(faults) {}
  std::string_view name() const override { return inner_->name(); }
  std::string_view version() const override { return inner_->version(); }  // the same run key as without faults
  graders::Verdict grade(const graders::GradeRequest& request) const override {
    if (faults_.grader_throws_on_golds.count(request.gold.dump()) > 0) {
      throw std::invalid_argument("the gold answer cannot be read");
    }
    return inner_->grade(request);
  }

 private:
  std::unique_ptr<graders::Grader> inner_;
  const Faults& faults_;
};

// Issue 16, "done means": a run with injected backend failures and grader exceptions has the pass@1 of the run
// without them on the samples that were graded, an error_rate equal to the injected share, and a resume with a
// working backend replaces the not_generated rows (the grader_error rows stay: they were generated).
TEST(Runner, InjectedErrorsAreStoredUnscoredAndLeaveThePassRateOfTheGradedSamples) {
  const RunOptions options = arith_options();
  const datasets::Dataset data = suites::load_suite_problems(suites::find_suite("arith"), options.limit);
  ASSERT_EQ(data.problems.size(), 12u);
  // Problems 1 and 7 refused; sample 2 of problems 0, 3 and 8 and sample 0 of problem 7 (refused anyway) failed;
  // the grader throws on problems 4 and 8 (8's failed sample is not generated, so not graded).
  Faults faults;
  for (const int p : {1, 7}) faults.refused_prompts.insert(data.problems[p].prompt);
  for (const auto& [p, k] : std::vector<std::pair<int, int>>{{0, 2}, {3, 2}, {8, 2}, {7, 0}}) {
    faults.failed_streams.insert(sample_stream("arith", data.problems[p].id, k));
  }
  for (const int p : {4, 8}) faults.grader_throws_on_golds.insert(data.problems[p].gold.dump());
  // The injected share, worked out from the faults: 2 x 4 refused + 3 failed + (4 + 3) grader errors = 18 of 48.
  using Expected = std::pair<graders::Outcome, std::string>;  // outcome, detail
  const Expected refused{graders::Outcome::kNotGenerated, "The backend could not take the prompt: prompt too long."};
  const Expected failed{graders::Outcome::kNotGenerated, "The backend failed the sample: the endpoint never answered."};
  const Expected threw{graders::Outcome::kGraderError, "the grader failed: the gold answer cannot be read"};
  const std::map<std::pair<std::string, std::int64_t>, Expected> expected_errors = [&] {
    std::map<std::pair<std::string, std::int64_t>, Expected> errors;
    for (std::int64_t k = 0; k < 4; ++k) {
      for (const int p : {1, 7}) errors.emplace(std::pair(data.problems[p].id, k), refused);
      errors.emplace(std::pair(data.problems[8].id, k), k == 2 ? failed : threw);
      errors.emplace(std::pair(data.problems[4].id, k), threw);
    }
    for (const int p : {0, 3}) errors.emplace(std::pair(data.problems[p].id, 2), failed);
    return errors;
  }();
  ASSERT_EQ(expected_errors.size(), 18u);

  Progress quiet(nullptr, false);
  std::atomic<bool> never{false};
  reports::db::ResultsDb clean_db = reports::db::ResultsDb::open(fresh_db("injected-reference"));
  testing::ScriptedBackend clean_backend;
  const RunOutcome clean = run_evaluation(options, clean_backend, clean_db, quiet, never);
  const std::vector<reports::db::SampleRow> clean_rows = clean_db.samples(clean.run_id);

  reports::db::ResultsDb db = reports::db::ResultsDb::open(fresh_db("injected"));
  RunOptions faulty_options = options;
  faulty_options.grader_factory = [&faults](const std::string& name) -> std::unique_ptr<graders::Grader> {
    return std::make_unique<ThrowingGrader>(graders::make_grader(name), faults);
  };
  testing::ScriptedBackend inner;
  FaultyBackend faulty(inner, faults);
  const RunOutcome run = run_evaluation(faulty_options, faulty, db, quiet, never);
  EXPECT_EQ(run.samples_failed, 3);
  EXPECT_EQ(run.samples_not_generated, 8);
  EXPECT_EQ(db.find_run(run.run_id)->status, "interrupted") << "failed samples leave the run to be resumed";

  const std::vector<reports::db::SampleRow> rows = db.samples(run.run_id);
  ASSERT_EQ(rows.size(), 48u);
  ASSERT_EQ(clean_rows.size(), 48u);
  std::vector<reports::db::SampleRow> graded_in_clean;  // the clean run's rows of the samples graded in both
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    ASSERT_EQ(std::tie(row.problem_id, row.sample_index),
              std::tie(clean_rows[i].problem_id, clean_rows[i].sample_index));
    const auto error = expected_errors.find({row.problem_id, row.sample_index});
    if (error == expected_errors.end()) {
      EXPECT_EQ(comparable(row), comparable(clean_rows[i])) << row.problem_id << " sample " << row.sample_index;
      graded_in_clean.push_back(clean_rows[i]);
      continue;
    }
    EXPECT_EQ(row.outcome, static_cast<int>(error->second.first)) << row.problem_id << " sample " << row.sample_index;
    EXPECT_EQ(row.detail, error->second.second) << row.problem_id << " sample " << row.sample_index;
    EXPECT_FALSE(row.correct);
  }
  const auto metrics = db.metrics(run.run_id);
  EXPECT_EQ(metric(metrics, "arith", "error_rate").value, 18.0 / 48.0);
  EXPECT_EQ(metric(metrics, "all", "error_rate").value, 18.0 / 48.0);
  EXPECT_EQ(metric(metrics, "all", "errors").value, 18.0);
  EXPECT_EQ(metric(metrics, "all", "samples").value, 48.0);
  metrics::MetricOptions metric_options;
  const auto graded = metrics::compute_run_metrics(graded_in_clean, metric_options);
  EXPECT_EQ(metric(metrics, "arith", "pass@1").value, metric(graded, "arith", "pass@1").value);
  EXPECT_EQ(metric(metrics, "arith", "pass@1").n, 8) << "problems 1, 4, 7 and 8 have no scored sample";

  // The backend works again: the 11 not_generated samples are generated and replace their rows; the grader still
  // throws, so the grader_error rows stay as they are (a resume never re-grades a stored verdict).
  testing::ScriptedBackend working;
  const RunOutcome resumed = run_evaluation(faulty_options, working, db, quiet, never);
  EXPECT_EQ(resumed.run_id, run.run_id);
  EXPECT_EQ(resumed.samples_resumed, 37);
  EXPECT_EQ(resumed.samples_generated, 11);
  EXPECT_EQ(db.find_run(run.run_id)->status, "finished");
  const std::vector<reports::db::SampleRow> after = db.samples(run.run_id);
  ASSERT_EQ(after.size(), 48u);
  std::int64_t grader_errors = 0;
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_FALSE(not_generated(after[i])) << after[i].problem_id << " sample " << after[i].sample_index;
    if (after[i].outcome == static_cast<int>(graders::Outcome::kGraderError)) {
      ++grader_errors;
    } else {
      EXPECT_EQ(comparable(after[i]), comparable(clean_rows[i])) << after[i].problem_id << " " << after[i].sample_index;
    }
  }
  EXPECT_EQ(grader_errors, 8);  // problems 4 and 8, all four samples each now
  EXPECT_EQ(metric(db.metrics(run.run_id), "all", "error_rate").value, 8.0 / 48.0);
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
    EXPECT_EQ(row.max_new_tokens, 5);  // the effective budget, in its own column
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
