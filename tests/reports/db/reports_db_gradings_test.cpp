// Gradings (schema version 4): a run graded again keeps its samples and grading 1, the readers show the latest
// grading unless told which, metrics are per grading, and the views agree with counts worked out by hand.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graders/grader.h"
#include "reports/db/results_db.h"
#include "tests/reports/db/db_test_support.h"

namespace r1eval::reports::db {
namespace {

using testing::RawDb;
using testing::scratch_dir;

RunInfo two_suite_run() {
  RunInfo run;
  run.run_key = "graded-run";
  run.model = "tiny";
  run.template_name = "r1";
  run.suites = "arith,gsm8k";
  run.provenance = {{"identity",
                     {{"suites",
                       {{{"name", "arith"}, {"grader", "math"}, {"grader_version", "math-3"}},
                        {{"name", "gsm8k"}, {"grader", "exact"}, {"grader_version", "exact-1"}}}}}}};
  return run;
}

SampleRow sample(std::int64_t run_id, const std::string& suite, const std::string& problem, std::int64_t index,
                 bool correct, int outcome) {
  SampleRow row;
  row.run_id = run_id;
  row.suite = suite;
  row.problem_id = problem;
  row.problem_index = problem == "p2" ? 1 : 0;
  row.sample_index = index;
  row.completion = "<think>x</think> " + problem + "/" + std::to_string(index);
  row.finish_reason = "stop";
  row.correct = correct;
  row.outcome = outcome;
  row.extracted = "first " + problem;
  row.detail = "grading 1";
  row.has_answer = true;
  return row;
}

// arith p1: 2 samples, 1 right; arith p2: 1 right, 1 not generated (9); gsm8k q1: 2 wrong.
std::vector<SampleRow> stored_samples(std::int64_t run_id) {
  return {sample(run_id, "arith", "p1", 0, true, 0),  sample(run_id, "arith", "p1", 1, false, 1),
          sample(run_id, "arith", "p2", 0, true, 0),  sample(run_id, "arith", "p2", 1, false, 9),
          sample(run_id, "gsm8k", "q1", 0, false, 1), sample(run_id, "gsm8k", "q1", 1, false, 2)};
}

struct GradedRun {
  std::filesystem::path file;
  std::int64_t run_id = 0;
};

GradedRun make_graded_run() {
  GradedRun made{scratch_dir() / "results.db", 0};
  auto db = ResultsDb::open(made.file);
  made.run_id = db.begin_run(two_suite_run()).run_id;
  db.add_samples(stored_samples(made.run_id));
  db.replace_metrics(made.run_id, std::vector<MetricRow>{{"all", "pass@1", 0.25, std::nullopt, std::nullopt, 3}});
  // Grading 2 turns p1/1 right and q1/0 to grader_error; its other verdicts are unchanged.
  std::vector<SampleRow> graded = db.samples(made.run_id);
  graded[1].correct = true;
  graded[1].outcome = 0;
  graded[1].extracted = "second p1";
  graded[1].detail = "grading 2";
  graded[4].outcome = 10;
  graded[4].has_answer = false;
  GradingInfo info;
  info.run_id = made.run_id;
  info.graders = {{"arith", {{"grader", "math"}, {"version", "math-4"}}}};
  info.policy = "strict";
  const GradingInfo stored = db.add_grading(info, graded);
  EXPECT_EQ(stored.number, 2);
  db.replace_metrics(made.run_id, std::vector<MetricRow>{{"all", "pass@1", 0.5, 0.25, 0.75, 3}});
  return made;
}

TEST(ReportsDbGradings, ANewRunHasGradingOneWithTheGradersOfItsIdentity) {
  auto db = ResultsDb::open(scratch_dir() / "results.db");
  const auto run_id = db.begin_run(two_suite_run()).run_id;
  const auto gradings = db.gradings(run_id);
  ASSERT_EQ(gradings.size(), 1u);
  EXPECT_EQ(gradings[0].number, 1);
  EXPECT_EQ(gradings[0].graders, nlohmann::json::parse(R"({"arith": {"grader": "math", "version": "math-3"},
                                                            "gsm8k": {"grader": "exact", "version": "exact-1"}})"));
  EXPECT_EQ(db.latest_grading(run_id), 1);
  // Resuming the run (begin_run with its key again) adds no grading.
  db.begin_run(two_suite_run());
  EXPECT_EQ(db.gradings(run_id).size(), 1u);
}

TEST(ReportsDbGradings, ReadersShowTheLatestGradingUnlessToldWhich) {
  const GradedRun made = make_graded_run();
  auto db = ResultsDb::open(made.file);
  EXPECT_EQ(db.latest_grading(made.run_id), 2);
  const auto gradings = db.gradings(made.run_id);
  ASSERT_EQ(gradings.size(), 2u);
  EXPECT_EQ(gradings[1].policy, "strict");
  EXPECT_EQ(gradings[1].graders["arith"]["version"], "math-4");
  EXPECT_FALSE(gradings[1].created_at.empty());

  const auto first = db.samples(made.run_id, 1);
  const auto latest = db.samples(made.run_id);
  EXPECT_EQ(first, stored_samples(made.run_id));  // grading 1 is the samples as stored
  ASSERT_EQ(latest.size(), 6u);
  EXPECT_TRUE(latest[1].correct);
  EXPECT_EQ(latest[1].extracted, "second p1");
  EXPECT_EQ(latest[1].detail, "grading 2");
  EXPECT_EQ(latest[4].outcome, 10);
  EXPECT_FALSE(latest[4].has_answer);
  EXPECT_EQ(latest[0], first[0]);
  EXPECT_EQ(latest[1].completion, first[1].completion);  // the completion is never graded away

  EXPECT_EQ(db.metrics(made.run_id, 1).at(0).value, 0.25);
  EXPECT_EQ(db.metrics(made.run_id).at(0).value, 0.5);
  EXPECT_EQ(db.metrics(made.run_id, 2).at(0).ci_low, 0.25);
}

// p2/1 was not generated; generated on resume, later gradings no longer carry its old not_generated verdict.
TEST(ReportsDbGradings, ASampleGeneratedOnResumeLosesTheLaterGradingsNotGeneratedVerdict) {
  const GradedRun made = make_graded_run();
  auto db = ResultsDb::open(made.file);
  ASSERT_EQ(db.samples(made.run_id, 2)[3].outcome, 9);
  SampleRow generated = sample(made.run_id, "arith", "p2", 1, true, 0);
  generated.completion = "<think>y</think> 7";
  db.add_samples(std::vector<SampleRow>{generated});
  for (const std::int64_t grading : {1, 2}) {
    const std::vector<SampleRow> rows = db.samples(made.run_id, grading);
    ASSERT_EQ(rows.size(), 6u);
    EXPECT_EQ(rows[3].outcome, 0) << "grading " << grading;
    EXPECT_EQ(rows[3].completion, "<think>y</think> 7");
  }
  EXPECT_EQ(db.samples(made.run_id, 2)[1].detail, "grading 2");  // the other verdicts of grading 2 stay
}

TEST(ReportsDbGradings, UnknownGradingsAndSamplesAreRefusedWithNothingStored) {
  const GradedRun made = make_graded_run();
  auto db = ResultsDb::open(made.file);
  try {
    db.samples(made.run_id, 3);
    ADD_FAILURE() << "grading 3 was read";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("has no grading 3 (its gradings are 1 to 2)"), std::string::npos) << e.what();
  }
  std::vector<SampleRow> graded = db.samples(made.run_id);
  graded.back().sample_index = 7;  // no such sample
  GradingInfo info;
  info.run_id = made.run_id;
  EXPECT_THROW(db.add_grading(info, graded), DbError);
  EXPECT_EQ(db.latest_grading(made.run_id), 2);  // grading 3 was not half-stored
  info.run_id = 99;
  EXPECT_THROW(db.add_grading(info, {}), DbError);
  EXPECT_THROW(db.replace_metrics(made.run_id, 5, {}), DbError);
  EXPECT_TRUE(db.samples(99).empty());
  EXPECT_TRUE(db.metrics(99).empty());
}

TEST(ReportsDbGradings, ViewsShowEachGradingAndTheLatestByDefault) {
  const GradedRun made = make_graded_run();
  RawDb raw(made.file);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sample_verdicts"), "12");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sample_results WHERE grading = 2"), "6");
  EXPECT_EQ(raw.scalar("SELECT outcome_name FROM sample_results WHERE problem_id = 'q1' AND sample_index = 0"),
            "grader_error");
  EXPECT_EQ(raw.scalar("SELECT outcome_name FROM sample_verdicts WHERE grading = 1 AND problem_id = 'q1' AND "
                       "sample_index = 0"),
            "fail");
  EXPECT_EQ(raw.scalar("SELECT group_concat(value || '@' || grading) FROM run_metrics"), "0.5@2");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM grading_metrics"), "2");
}

TEST(ReportsDbGradings, ProblemResultsCountEachProblemsScoredSamplesByHand) {
  const GradedRun made = make_graded_run();
  RawDb raw(made.file);
  // grading 1: p1 1/2; p2 1 right of 1 scored (the other not generated); q1 0/2.
  // grading 2: p1 2/2; p2 as before; q1 0 of 1 scored (the other a grader error).
  EXPECT_EQ(raw.query("SELECT grading, problem_id, samples, scored, correct, pass_rate FROM problem_results "
                      "ORDER BY grading, suite, problem_id"),
            (std::vector<RawDb::Row>{{"1", "p1", "2", "2", "1", "0.5"},
                                     {"1", "p2", "2", "1", "1", "1.0"},
                                     {"1", "q1", "2", "2", "0", "0.0"},
                                     {"2", "p1", "2", "2", "2", "1.0"},
                                     {"2", "p2", "2", "1", "1", "1.0"},
                                     {"2", "q1", "2", "1", "0", "0.0"}}));
}

// problem_results lists the unscored codes in SQL; they must be exactly those graders::is_scored rejects.
TEST(ReportsDbGradings, ProblemResultsLeaveOutExactlyTheOutcomesThatAreNoVerdict) {
  auto db = ResultsDb::open(scratch_dir() / "results.db");
  RunInfo run = two_suite_run();
  const auto run_id = db.begin_run(run).run_id;
  std::vector<SampleRow> rows;
  for (int code = 0; graders::outcome_name(static_cast<graders::Outcome>(code)) != "unknown"; ++code) {
    rows.push_back(sample(run_id, "arith", "code" + std::to_string(code), 0, false, code));
  }
  db.add_samples(rows);
  RawDb raw(db.path());
  for (const SampleRow& row : rows) {
    const bool scored = graders::is_scored(static_cast<graders::Outcome>(row.outcome));
    EXPECT_EQ(raw.scalar("SELECT scored FROM problem_results WHERE problem_id = '" + row.problem_id + "'"),
              scored ? "1" : "0")
        << graders::outcome_name(static_cast<graders::Outcome>(row.outcome));
  }
}

}  // namespace
}  // namespace r1eval::reports::db
