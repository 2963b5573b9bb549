// `r1eval regrade` and `r1eval audit` on a real run of the bundled toy model (issue 16, item 5): grading again
// with unchanged graders changes no verdict, and after a deliberate grader change the audit lists exactly the
// samples whose verdicts changed, computed here from the stored rows and from what the change must do.
#include <filesystem>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "evals/runner/run_lock.h"
#include "reports/db/results_db.h"
#include "tests/cli/cli_harness.h"

namespace {

namespace fs = std::filesystem;
using namespace cli_harness;
using r1eval::reports::db::ResultsDb;
using r1eval::reports::db::SampleRow;

using SampleKey = std::tuple<std::string, std::string, std::int64_t>;  // suite, problem, sample

// A finished run of the toy model: 6 arith problems x 3 samples (it gets some of them wrong), in a folder of the
// test's own.
fs::path toy_run(const std::string& name) {
  const fs::path dir = scratch_dir() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path db = dir / "results.sqlite";
  const Invocation r = run_r1eval("run --suite arith --limit 6 --samples 3 --db " + db.string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return db;
}

std::set<SampleKey> audit_keys(const nlohmann::json& audit) {
  std::set<SampleKey> keys;
  for (const auto& d : audit.at("differences")) {
    keys.emplace(d.at("suite").get<std::string>(), d.at("problem_id").get<std::string>(),
                 d.at("sample_index").get<std::int64_t>());
  }
  return keys;
}

// The samples whose correctness or outcome differ between two gradings, from the stored rows.
std::set<SampleKey> changed_between(const ResultsDb& db, std::int64_t a, std::int64_t b) {
  const auto x = db.samples(1, a);
  const auto y = db.samples(1, b);
  EXPECT_EQ(x.size(), y.size());
  std::set<SampleKey> keys;
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (x[i].correct != y[i].correct || x[i].outcome != y[i].outcome) {
      keys.emplace(x[i].suite, x[i].problem_id, x[i].sample_index);
    }
  }
  return keys;
}

TEST(CliRegrade, UnchangedGradersGiveIdenticalVerdictsAndMetrics) {
  const fs::path db_path = toy_run("regrade-unchanged");
  const Invocation r = run_r1eval("regrade --db " + db_path.string() + " --run 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("run 1, grading 2"), std::string::npos) << r.out;

  const ResultsDb db = ResultsDb::open_read_only(db_path);
  ASSERT_EQ(db.latest_grading(1), 2);
  const auto first = db.samples(1, 1);
  const auto second = db.samples(1, 2);
  ASSERT_EQ(first.size(), 18u);
  EXPECT_EQ(first, second);  // every field, verdicts included
  const auto gradings = db.gradings(1);
  EXPECT_EQ(gradings[1].graders, gradings[0].graders);  // same graders, same versions
  EXPECT_EQ(gradings[1].policy, "");
  const auto m1 = db.metrics(1, 1);
  const auto m2 = db.metrics(1, 2);
  ASSERT_EQ(m1.size(), m2.size());
  for (std::size_t i = 0; i < m1.size(); ++i) {
    EXPECT_EQ(m1[i].metric, m2[i].metric);
    EXPECT_EQ(m1[i].value, m2[i].value) << m1[i].suite << " " << m1[i].metric;
  }

  const Invocation audit = run_r1eval("audit --db " + db_path.string() + " --run 1 --format json");
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  const nlohmann::json parsed = nlohmann::json::parse(audit.out);
  EXPECT_EQ(parsed.at("a").at("grading"), 1);
  EXPECT_EQ(parsed.at("b").at("grading"), 2);
  EXPECT_TRUE(parsed.at("differences").empty());
}

// The format grader passes any well-formed completion: with every sample well-formed (checked), the verdicts that
// change from the math grader's are exactly the wrong answers of grading 1.
TEST(CliRegrade, AuditListsExactlyTheSamplesAGraderChangeChanges) {
  const fs::path db_path = toy_run("regrade-changed");
  std::set<SampleKey> wrong;
  {
    const ResultsDb db = ResultsDb::open_read_only(db_path);
    for (const SampleRow& row : db.samples(1)) {
      ASSERT_TRUE(row.format_ok) << row.problem_id;
      if (!row.correct) wrong.emplace(row.suite, row.problem_id, row.sample_index);
    }
  }
  ASSERT_FALSE(wrong.empty()) << "the toy model got every answer right: the test has nothing to change";
  ASSERT_EQ(run_r1eval("regrade --db " + db_path.string() + " --run 1 --grader format").exit_code, 0);

  const Invocation audit = run_r1eval("audit --db " + db_path.string() + " --run 1 --format json");
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  const nlohmann::json parsed = nlohmann::json::parse(audit.out);
  EXPECT_EQ(audit_keys(parsed), wrong);
  const ResultsDb db = ResultsDb::open_read_only(db_path);
  EXPECT_EQ(audit_keys(parsed), changed_between(db, 1, 2));
  for (const auto& d : parsed.at("differences")) {
    EXPECT_EQ(d.at("a").at("outcome"), "fail");
    EXPECT_EQ(d.at("b").at("outcome"), "pass");
    EXPECT_FALSE(d.at("gold").get<std::string>().empty());  // read back from the suite's data
    EXPECT_NE(d.at("gold"), d.at("a").at("extracted"));
  }

  // The same comparison in memory, with nothing written.
  const Invocation in_memory =
      run_r1eval("audit --db " + db_path.string() + " --run 1 --grader math --grader format --format json");
  ASSERT_EQ(in_memory.exit_code, 0) << in_memory.err;
  EXPECT_EQ(audit_keys(nlohmann::json::parse(in_memory.out)), wrong);
  EXPECT_EQ(db.latest_grading(1), 2);

  // The report says which grading it shows and has the audit.
  const Invocation report = run_r1eval("report --db " + db_path.string() + " --format html");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find("2 of 2 (the latest"), std::string::npos);
  EXPECT_NE(report.out.find("<section id=\"audit\">"), std::string::npos);
  // Every problem opens, with the prompt read back from the suite's data.
  EXPECT_NE(report.out.find("All 6 problems are here."), std::string::npos);
  EXPECT_NE(report.out.find("<p><b>Prompt</b></p><pre>What is "), std::string::npos);
  const Invocation first = run_r1eval("report --db " + db_path.string() + " --grading 1");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("**Grading:** 1 of 2 (not the latest"), std::string::npos) << first.out.substr(0, 800);

  // compare judges the run's latest grading unless told, a baseline run's latest always, and says which.
  const Invocation judged_first = run_r1eval("compare --db " + db_path.string() + " --run 1 --baseline 1 --grading 1");
  EXPECT_NE(judged_first.out.find("run 1 (grading 1) vs run 1 (grading 2)"), std::string::npos) << judged_first.out;
  EXPECT_NE(run_r1eval("compare --db " + db_path.string() + " --run 1 --baseline 1").out.find("run 1 (grading 2)"),
            std::string::npos);
}

// --policy boxed reads only \boxed{} answers, and the toy model writes <answer> tags: every generated sample
// without a box has no answer under it, while a sample that was never generated stays as it was.
TEST(CliRegrade, APolicyOverrideRegradesEveryGeneratedSampleAndKeepsTheUngenerated) {
  const fs::path db_path = toy_run("regrade-policy");
  {
    ResultsDb db = ResultsDb::open(db_path);
    SampleRow missing = db.samples(1).front();
    missing.sample_index = 3;
    missing.completion = "";
    missing.correct = false;
    missing.outcome = 9;  // not_generated
    missing.extracted = "";
    missing.detail = "the backend refused the prompt";
    missing.has_answer = false;
    db.add_samples(std::vector<SampleRow>{missing});
  }
  const Invocation r = run_r1eval("regrade --db " + db_path.string() + " --run 1 --policy boxed --threads 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const ResultsDb db = ResultsDb::open_read_only(db_path);
  EXPECT_EQ(db.gradings(1).at(1).policy, "boxed");
  const auto before = db.samples(1, 1);
  const auto after = db.samples(1, 2);
  ASSERT_EQ(before.size(), 19u);
  std::set<SampleKey> expected;
  for (std::size_t i = 0; i < before.size(); ++i) {
    const SampleRow& row = before[i];
    if (row.outcome == 9) {
      EXPECT_EQ(after[i], row);  // untouched
      continue;
    }
    ASSERT_EQ(row.completion.find("\\boxed"), std::string::npos) << "the toy model wrote a box";
    EXPECT_EQ(after[i].outcome, 2) << row.problem_id << " " << row.sample_index;  // no_answer
    EXPECT_FALSE(after[i].correct);
    if (row.outcome != 2) expected.emplace(row.suite, row.problem_id, row.sample_index);
  }
  const Invocation audit = run_r1eval("audit --db " + db_path.string() + " --run 1 --format json");
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_EQ(audit_keys(nlohmann::json::parse(audit.out)), expected);
}

TEST(CliRegrade, BadArgumentsAreOneSentenceAndLeaveTheDatabaseAlone) {
  const fs::path db_path = toy_run("regrade-errors");
  const std::string db = " --db " + db_path.string();
  Invocation r = run_r1eval("regrade" + db + " --run 9");
  EXPECT_EQ(r.exit_code, 1);
  expect_one_sentence_error(r, "run 9");
  r = run_r1eval("regrade" + db + " --run 1 --policy nope");
  EXPECT_EQ(r.exit_code, 2);
  expect_one_sentence_error(r, "nope");
  r = run_r1eval("regrade" + db + " --run 1 --grader format --policy boxed");
  EXPECT_EQ(r.exit_code, 2);
  expect_one_sentence_error(r, "--policy");
  r = run_r1eval("regrade" + db + " --run 1 --grader mathh");
  EXPECT_EQ(r.exit_code, 2);
  expect_one_sentence_error(r, "mathh");
  expect_one_sentence_error(run_r1eval("regrade --db " + (db_path.parent_path() / "none.sqlite").string() + " --run 1"),
                            "none.sqlite");
  EXPECT_FALSE(fs::exists(db_path.parent_path() / "none.sqlite"));
  r = run_r1eval("audit" + db + " --run 1 --grading 1");
  EXPECT_EQ(r.exit_code, 2);
  expect_one_sentence_error(r, "--grading");
  r = run_r1eval("audit" + db + " --run 1 --grading 1 --grading 5");
  EXPECT_EQ(r.exit_code, 1);
  expect_one_sentence_error(r, "grading 5");
  r = run_r1eval("audit" + db + " --run 4");
  EXPECT_EQ(r.exit_code, 1);
  expect_one_sentence_error(r, "run 4");
  {
    // A run in progress (holding its lock) is not regraded under it.
    const auto lock =
        r1eval::evals::runner::RunLock::acquire(db_path, ResultsDb::open_read_only(db_path).runs()[0].run_key);
    r = run_r1eval("regrade" + db + " --run 1");
    EXPECT_EQ(r.exit_code, 1);
    expect_one_sentence_error(r, "another process");
  }
  const ResultsDb after = ResultsDb::open_read_only(db_path);
  EXPECT_EQ(after.latest_grading(1), 1);
}

}  // namespace
