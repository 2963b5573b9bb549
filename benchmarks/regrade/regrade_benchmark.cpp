// `r1eval regrade` throughput (issue 16's target: 100,000 stored math samples in at most 60 s on 2 cores): a results
// database holding one run of the bundled arith suite (math grader, r1zero policy) with 100,000 R1-style samples
// (about 4 KB of reasoning, then an <answer>; every other one wrong), regraded end to end by regrade_run: reading
// the rows, grading on 2 threads, storing the grading and its metrics. Reports samples_per_s (wall time).
#include <filesystem>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include "evals/runner/regrade.h"
#include "evals/suites/suite.h"
#include "graders/grader.h"
#include "reports/db/results_db.h"

namespace {

namespace fs = std::filesystem;
using r1eval::reports::db::ResultsDb;

constexpr std::int64_t kSamples = 100000;

struct Fixture {
  fs::path dir;
  std::int64_t run_id = 0;
};

// Built once per process, removed by the last benchmark's teardown (the folder is the process's own).
const Fixture& fixture() {
  static const Fixture made = [] {
    Fixture f;
    f.dir = fs::temp_directory_path() / fmt::format("r1eval-regrade-bench-{}", ::getpid());
    fs::remove_all(f.dir);
    fs::create_directories(f.dir);
    const auto& suite = r1eval::evals::suites::find_suite("arith");
    const auto data = r1eval::evals::suites::load_suite_problems(suite, 0);
    ResultsDb db = ResultsDb::open(f.dir / "results.sqlite");
    r1eval::reports::db::RunInfo info;
    info.run_key = "regrade-benchmark";
    info.model = "synthetic";
    info.suites = suite.name;
    info.provenance = {
        {"identity",
         {{"suites",
           {{{"name", suite.name},
             {"data", data.content_hash},
             {"limit", 0},
             {"problems", data.problems.size()},
             {"template", suite.chat_template},
             {"grader", suite.grader},
             {"grader_version", std::string(r1eval::graders::make_grader(suite.grader)->version())}}}}}}};
    f.run_id = db.begin_run(info).run_id;
    std::string reasoning;
    while (reasoning.size() < 4000) reasoning += "Add the units first, write the digit, carry the tens, then check. ";
    const auto problems = static_cast<std::int64_t>(data.problems.size());
    std::vector<r1eval::reports::db::SampleRow> batch;
    for (std::int64_t i = 0; i < kSamples; ++i) {
      const auto& problem = data.problems[static_cast<std::size_t>(i % problems)];
      const std::string gold = problem.gold.is_string() ? problem.gold.get<std::string>() : problem.gold.dump();
      r1eval::reports::db::SampleRow row;
      row.run_id = f.run_id;
      row.suite = suite.name;
      row.problem_id = problem.id;
      row.problem_index = i % problems;
      row.sample_index = i / problems;
      row.completion = "<think>" + reasoning + "</think> <answer> " + (i % 2 == 0 ? gold : gold + "1") + " </answer>";
      row.finish_reason = "stop";
      batch.push_back(std::move(row));
      if (batch.size() == 5000) {
        db.add_samples(batch);
        batch.clear();
      }
    }
    db.add_samples(batch);
    return f;
  }();
  return made;
}

void BM_Regrade100kMathSamples(benchmark::State& state) {
  const Fixture& f = fixture();
  ResultsDb db = ResultsDb::open(f.dir / "results.sqlite");
  r1eval::evals::runner::RegradeOptions options;
  options.threads = static_cast<int>(state.range(0));
  std::int64_t graded = 0;
  for (auto _ : state) graded += r1eval::evals::runner::regrade_run(db, f.run_id, options).samples;
  state.counters["samples_per_s"] = benchmark::Counter(static_cast<double>(graded), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Regrade100kMathSamples)->Arg(2)->Arg(1)->Iterations(2)->Unit(benchmark::kSecond)->UseRealTime();

// Removes the fixture's folder once every benchmark above has run.
void BM_Teardown(benchmark::State& state) {
  for (auto _ : state) {
  }
  fs::remove_all(fixture().dir);
}
BENCHMARK(BM_Teardown)->Iterations(1);

}  // namespace
