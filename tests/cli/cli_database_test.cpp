// Issue 20, "the database is sacred": no command overwrites the results database, and the reading commands
// (report, compare) work on a database they may not write.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "evals/runner/runner.h"
#include "graders/grader.h"
#include "reports/db/results_db.h"
#include "tests/cli/cli_harness.h"

namespace {

namespace fs = std::filesystem;
using namespace cli_harness;
using r1eval::reports::db::ResultsDb;

// A results database with one run of two samples (finished unless told otherwise), in a folder of its own.
fs::path make_database(const std::string& name, const std::string& status = "finished") {
  const fs::path dir = scratch_dir() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path path = dir / "results.sqlite";
  ResultsDb db = ResultsDb::open(path);
  r1eval::reports::db::RunInfo info;
  info.run_key = "cli-database-test";
  info.model = "toy";
  info.suites = "arith";
  info.samples = 2;
  const r1eval::reports::db::RunInfo run = db.begin_run(info);
  std::vector<r1eval::reports::db::SampleRow> rows(2);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].run_id = run.run_id;
    rows[i].suite = "arith";
    rows[i].problem_id = "p1";
    rows[i].sample_index = static_cast<std::int64_t>(i);
    rows[i].completion = "<answer>4</answer>";
    rows[i].finish_reason = "stop";
    rows[i].correct = i == 0;
  }
  db.add_samples(rows);
  db.set_run_status(run.run_id, status, status == "finished" ? "2026-01-01T00:00:00Z" : "");
  return path;
}

// The database is intact: it opens and still holds the run's two samples.
void expect_intact(const fs::path& path) {
  const ResultsDb db = ResultsDb::open_read_only(path);
  const auto runs = db.runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(db.samples(runs[0].run_id).size(), 2u);
}

TEST(CliDatabase, ReportRefusesToWriteOverTheDatabase) {
  const fs::path db = make_database("report-over-db");
  expect_one_sentence_error(run_r1eval("report --db " + db.string() + " --out " + db.string()), "--out");
  expect_intact(db);
}

TEST(CliDatabase, ReportRefusesToWriteOverTheDatabaseSpelledAnotherWay) {
  const fs::path db = make_database("report-over-db-spelled");
  const fs::path link = db.parent_path() / "link-report.html";
  fs::create_symlink(db, link);
  expect_one_sentence_error(run_r1eval("report --db " + db.string() + " --out " + link.string()), "--out");
  const fs::path dotted = db.parent_path() / "." / ".." / db.parent_path().filename() / db.filename();
  expect_one_sentence_error(run_r1eval("report --db " + db.string() + " --out " + dotted.string()), "--out");
  fs::create_hard_link(db, db.parent_path() / "hard-report.html");
  expect_one_sentence_error(
      run_r1eval("report --db " + db.string() + " --out " + (db.parent_path() / "hard-report.html").string()), "--out");
  expect_intact(db);
}

TEST(CliDatabase, ReportRefusesToWriteOverTheDatabaseJournal) {
  const fs::path db = make_database("report-over-wal");
  expect_one_sentence_error(run_r1eval("report --db " + db.string() + " --out " + db.string() + "-wal"), "-wal");
  expect_one_sentence_error(run_r1eval("report --db " + db.string() + " --out " + db.string() + "-shm"), "-shm");
  expect_intact(db);
}

TEST(CliDatabase, ReportOutDashIsStandardOutput) {
  const fs::path db = make_database("report-dash");
  const Invocation r = run_r1eval("report --db " + db.string() + " --format json --out -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("arith"), std::string::npos);
  EXPECT_FALSE(fs::exists(fs::current_path() / "-"));
}

// Runs `args` as a user who may not write the database's file or folder (root writes anything; nobody does not).
Invocation as_reader(const fs::path& db, const std::string& args) {
  if (geteuid() == 0) {
    return run_shell("setpriv --reuid=65534 --regid=65534 --clear-groups " + r1eval_binary() + " " + args);
  }
  fs::permissions(db, fs::perms::owner_write, fs::perm_options::remove);
  fs::permissions(db.parent_path(), fs::perms::owner_write, fs::perm_options::remove);
  Invocation r = run_r1eval(args);
  fs::permissions(db.parent_path(), fs::perms::owner_write, fs::perm_options::add);
  return r;
}

TEST(CliDatabase, ReportAndCompareWorkOnAReadOnlyDatabase) {
  const fs::path db = make_database("read-only");
  fs::permissions(db.parent_path(), fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
  fs::permissions(db, fs::perms::others_read, fs::perm_options::add);
  const Invocation report = as_reader(db, "report --db " + db.string() + " --format md");
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find("arith"), std::string::npos) << report.out;
  const Invocation compare = as_reader(db, "compare --db " + db.string() + " --run 1 --baseline 1");
  EXPECT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_EQ(compare.err.find("readonly"), std::string::npos) << compare.err;
  expect_intact(db);
}

TEST(CliDatabase, ReportNeverCreatesNorChangesADatabase) {
  const fs::path dir = scratch_dir() / "report-no-create";
  fs::remove_all(dir);
  fs::create_directories(dir);
  expect_one_sentence_error(run_r1eval("report --db " + (dir / "absent.sqlite").string()), "absent.sqlite");
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(CliDatabase, ReportAndCompareSayWhenARunIsPartial) {
  const fs::path db = make_database("partial-run", "interrupted");
  const Invocation report = run_r1eval("report --db " + db.string());
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.err.find("run 1 is interrupted"), std::string::npos) << report.err;
  const Invocation compare = run_r1eval("compare --db " + db.string() + " --run 1 --baseline 1");
  EXPECT_NE(compare.err.find("run 1 is interrupted"), std::string::npos) << compare.err;
  const Invocation finished = run_r1eval("report --db " + make_database("finished-run").string());
  EXPECT_EQ(finished.err.find("warning"), std::string::npos) << finished.err;
}

// Issue 16: runs whose error rates differ scored different samples; compare and report say so, naming both rates,
// and a report opens with its run's errors.
TEST(CliDatabase, CompareWarnsWhenTheErrorRatesDiffer) {
  const fs::path path = make_database("error-rates");
  {
    ResultsDb db = ResultsDb::open(path);
    r1eval::reports::db::RunInfo info;
    info.run_key = "cli-database-test-errors";
    info.suites = "arith";
    const std::int64_t run_id = db.begin_run(info).run_id;
    std::vector<r1eval::reports::db::SampleRow> rows(2);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      rows[i].run_id = run_id;
      rows[i].suite = "arith";
      rows[i].problem_id = "p1";
      rows[i].sample_index = static_cast<std::int64_t>(i);
    }
    rows[0].completion = "<answer>4</answer>";
    rows[0].correct = true;
    rows[1].outcome = static_cast<int>(r1eval::graders::Outcome::kNotGenerated);
    rows[1].detail = "The backend failed the sample: HTTP 503.";
    db.add_samples(rows);
    r1eval::evals::runner::update_run_metrics(db, run_id);
    db.set_run_status(run_id, "finished", "2026-01-01T00:00:00Z");
  }
  const std::string expected =
      "run 2 has an error rate of 50.0% (1 of 2 samples) and run 1 of 0.0% (0 of 2): they scored different samples";
  const Invocation compare = run_r1eval("compare --db " + path.string() + " --run 2 --baseline 1");
  EXPECT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_NE(compare.err.find("warning: " + expected), std::string::npos) << compare.err;
  EXPECT_NE(compare.out.find("warning: " + expected), std::string::npos) << compare.out;
  const Invocation same = run_r1eval("compare --db " + path.string() + " --run 1 --baseline 1");
  EXPECT_EQ(same.err.find("error rate"), std::string::npos) << same.err;

  const Invocation report = run_r1eval("report --db " + path.string() + " --run 2 --baseline 1");
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.err.find(expected), std::string::npos) << report.err;
  // (Markdown escapes the underscore.)
  EXPECT_NE(report.out.find(R"(> **Errors:** 1 of 2 samples (50.0%) are errors, not verdicts on the model )"
                            R"((not\_generated 1))"),
            std::string::npos)
      << report.out;
}

}  // namespace
