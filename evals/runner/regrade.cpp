#include "evals/runner/regrade.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "evals/runner/run_lock.h"
#include "evals/runner/runner.h"
#include "evals/runner/sample_grading.h"
#include "graders/grader.h"
#include "graders/math/extract.h"

namespace r1eval::evals::runner {
namespace {

std::string grader_of(const RunSuite& suite, const RegradeOptions& options) {
  return options.grader.empty() ? suite.grader : options.grader;
}

// A suite as this grading sees it: its problems (with the policy override written into their records, where
// grading_problem reads it) and the grader's name.
struct GradingPlan {
  const RunSuite* source = nullptr;
  std::vector<datasets::Problem> problems;  // empty: the source's own
  std::string grader;

  const datasets::Problem& problem(std::size_t index) const {
    return problems.empty() ? source->data.problems[index] : problems[index];
  }
};

std::map<std::string, GradingPlan> plan_grading(const std::vector<RunSuite>& suites, const RegradeOptions& options) {
  std::map<std::string, GradingPlan> plans;
  for (const RunSuite& suite : suites) {
    GradingPlan plan{&suite, {}, grader_of(suite, options)};
    if (!options.policy.empty()) {
      if (plan.grader != "math") {
        throw std::invalid_argument(fmt::format("--policy {} needs the math grader, but suite '{}' is graded by '{}'",
                                                options.policy, suite.suite.name, plan.grader));
      }
      plan.problems = suite.data.problems;
      for (datasets::Problem& problem : plan.problems) {
        if (!problem.record.is_object()) problem.record = nlohmann::json::object();
        problem.record["answer_policy"] = options.policy;
      }
    }
    plans.emplace(suite.suite.name, std::move(plan));
  }
  return plans;
}

// One row's work: its plan and problem position, resolved before the threads start so that they only grade.
struct Job {
  const GradingPlan* plan = nullptr;
  std::size_t problem = 0;
};

}  // namespace

void validate_regrade_options(const RegradeOptions& options) {
  if (!options.grader.empty()) graders::make_grader(options.grader);  // throws "unknown grader ..."
  if (!options.policy.empty()) {
    if (!options.grader.empty() && options.grader != "math") {
      throw std::invalid_argument(fmt::format("--policy belongs to the math grader, not '{}'", options.grader));
    }
    graders::math::policy_from_problem({{"answer_policy", options.policy}});
  }
  if (options.threads < 0) throw std::invalid_argument("the number of grading threads must not be negative");
}

nlohmann::json grading_graders(const std::vector<RunSuite>& suites, const RegradeOptions& options) {
  nlohmann::json graders = nlohmann::json::object();
  for (const RunSuite& suite : suites) {
    const std::string name = grader_of(suite, options);
    graders[suite.suite.name] = {{"grader", name}, {"version", std::string(graders::make_grader(name)->version())}};
  }
  return graders;
}

std::vector<reports::db::SampleRow> grade_again(std::vector<reports::db::SampleRow> rows,
                                                const std::vector<RunSuite>& suites, const RegradeOptions& options) {
  validate_regrade_options(options);
  const std::map<std::string, GradingPlan> plans = plan_grading(suites, options);
  std::vector<Job> jobs(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto plan = plans.find(rows[i].suite);
    if (plan == plans.end()) {
      throw std::invalid_argument(
          fmt::format("a stored sample is of suite '{}', which the run's provenance does not "
                      "list",
                      rows[i].suite));
    }
    const auto problem = plan->second.source->problem_index.find(rows[i].problem_id);
    if (problem == plan->second.source->problem_index.end()) {
      throw std::invalid_argument(fmt::format("stored problem '{}' is not in suite '{}' as the run loaded it",
                                              rows[i].problem_id, rows[i].suite));
    }
    jobs[i] = Job{&plan->second, problem->second};
  }

  const int threads =
      std::max(1, options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency()));
  std::atomic<std::size_t> next{0};
  std::atomic<std::int64_t> done{0};
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  auto work = [&] {
    try {
      // Graders are built per thread: nothing promises that one grader may be used by two threads at once.
      std::map<std::string, std::unique_ptr<graders::Grader>> graders;
      for (const auto& [suite, plan] : plans) graders.emplace(suite, graders::make_grader(plan.grader));
      constexpr std::size_t kChunk = 64;
      for (std::size_t start = next.fetch_add(kChunk); start < rows.size() && !failed; start = next.fetch_add(kChunk)) {
        const std::size_t end = std::min(rows.size(), start + kChunk);
        for (std::size_t i = start; i < end; ++i) {
          reports::db::SampleRow& row = rows[i];
          if (row.outcome == static_cast<int>(graders::Outcome::kNotGenerated)) continue;  // nothing to grade
          const GradingPlan& plan = *jobs[i].plan;
          const SampleContext context{&plan.source->suite,         &plan.problem(jobs[i].problem),
                                      graders.at(row.suite).get(), plan.source->template_name,
                                      row.problem_index,           row.sample_index};
          // The completion is moved into the grader's input and back: no copy of a long text per sample.
          Completion completion;
          completion.text = std::move(row.completion);
          completion.prompt_tokens = row.prompt_tokens;
          completion.completion_tokens = row.completion_tokens;
          completion.finish_reason = row.finish_reason;
          reports::db::SampleRow fresh = grade_sample(context, completion, row.run_id);
          row.completion = std::move(completion.text);
          row.correct = fresh.correct;
          row.outcome = fresh.outcome;
          row.extracted = std::move(fresh.extracted);
          row.detail = std::move(fresh.detail);
          row.has_answer = fresh.has_answer;
        }
        done += static_cast<std::int64_t>(end - start);
      }
    } catch (...) {
      failure = std::current_exception();
      failed = true;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  if (options.on_progress) {
    // The calling thread reports while the others grade, then grades what is left.
    pool.emplace_back(work);
    const auto total = static_cast<std::int64_t>(rows.size());
    while (done.load() < total && !failed) {
      options.on_progress(done.load(), total);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  } else {
    work();
  }
  for (std::thread& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
  const auto total = static_cast<std::int64_t>(rows.size());
  if (options.on_progress) options.on_progress(total, total);
  return rows;
}

RegradeOutcome regrade_run(reports::db::ResultsDb& db, std::int64_t run_id, const RegradeOptions& options) {
  const auto run = db.find_run(run_id);
  if (!run) throw std::invalid_argument(fmt::format("run {} is not in {}", run_id, db.path().string()));
  // Held for the whole regrade: a run generating at the same time would store samples this grading never sees
  // (they would show grading 1's verdicts in it), so the two exclude each other.
  const RunLock lock = RunLock::acquire(db.path(), run->run_key);
  const std::vector<RunSuite> suites = load_run_suites(*run);
  RegradeOutcome outcome;
  {
    std::vector<reports::db::SampleRow> rows = db.samples(run_id, 1);
    std::vector<std::pair<bool, int>> before;  // grading 1's verdicts, to count the changes
    before.reserve(rows.size());
    for (const reports::db::SampleRow& row : rows) before.emplace_back(row.correct, row.outcome);
    rows = grade_again(std::move(rows), suites, options);
    reports::db::GradingInfo info;
    info.run_id = run_id;
    info.graders = grading_graders(suites, options);
    info.policy = options.policy;
    outcome.grading = db.add_grading(info, rows);
    outcome.samples = static_cast<std::int64_t>(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (before[i] != std::pair(rows[i].correct, rows[i].outcome)) ++outcome.changed;
    }
  }                                                  // the rows are freed before the metrics read them again
  outcome.metrics = update_run_metrics(db, run_id);  // the new grading is now the latest
  return outcome;
}

}  // namespace r1eval::evals::runner
