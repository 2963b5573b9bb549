// `r1eval run` killed with SIGKILL at random moments and started again with the identical command must end with
// exactly the rows of an uninterrupted run: no sample lost, none doubled, the same completions.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "reports/db/results_db.h"
#include "tests/evals/runner/child_process.h"

namespace r1eval {
namespace {

namespace fs = std::filesystem;

const std::string kProgram = std::string(R1EVAL_BINARY_DIR) + "/cli/r1eval";

fs::path fresh_db(const std::string& name) {
  const fs::path dir = fs::path(R1EVAL_BINARY_DIR) / "test-output" / "resume_after_kill";
  fs::create_directories(dir);
  const fs::path path = dir / (name + ".sqlite");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  return path;
}

pid_t start_run(const fs::path& db, const char* limit = "24") {
  const std::string model = std::string(R1EVAL_SOURCE_DIR) + "/models/toy-arith-r1zero";
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string db_arg = db.string();
    execl(kProgram.c_str(), kProgram.c_str(), "run", "--suite", "arith", "--model", model.c_str(), "--db",
          db_arg.c_str(), "--samples", "2", "--limit", limit, "--temperature", "0.6", "--seed", "11", "--max-batch",
          "16", static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

using testing::finish_or_kill;

TEST(ResumeAfterKill, RowsEqualAnUninterruptedRun) {
  ASSERT_TRUE(fs::exists(kProgram)) << kProgram;
  const fs::path reference_db = fresh_db("reference");
  ASSERT_TRUE(finish_or_kill(start_run(reference_db), std::chrono::minutes(5)));

  const fs::path db = fresh_db("killed");
  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> moment_ms(20, 1500);
  int kills = 0;
  bool done = false;
  for (int attempt = 0; attempt < 40 && !done; ++attempt) {
    // After a dozen kills let it run to the end, so the test always finishes.
    const auto limit = attempt < 12 ? std::chrono::milliseconds(moment_ms(rng)) : std::chrono::milliseconds(300000);
    done = finish_or_kill(start_run(db), limit);
    if (!done) ++kills;
  }
  ASSERT_TRUE(done) << "seed " << seed;
  SCOPED_TRACE("random seed " + std::to_string(seed) + ", killed " + std::to_string(kills) + " times");

  const reports::db::ResultsDb expected_db = reports::db::ResultsDb::open(reference_db);
  const reports::db::ResultsDb got_db = reports::db::ResultsDb::open(db);
  ASSERT_EQ(got_db.runs().size(), 1u) << "every restart must resume the same run";
  const auto expected = expected_db.samples(expected_db.runs().front().run_id);
  const auto got = got_db.samples(got_db.runs().front().run_id);
  EXPECT_EQ(got_db.runs().front().status, "finished");
  ASSERT_EQ(expected.size(), 48u);
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].problem_id, expected[i].problem_id) << i;
    EXPECT_EQ(got[i].sample_index, expected[i].sample_index) << i;
    EXPECT_EQ(got[i].completion, expected[i].completion) << i;
    EXPECT_EQ(got[i].correct, expected[i].correct) << i;
    EXPECT_EQ(got[i].completion_tokens, expected[i].completion_tokens) << i;
    EXPECT_EQ(got[i].finish_reason, expected[i].finish_reason) << i;
  }
  EXPECT_EQ(got_db.metrics(got_db.runs().front().run_id).size(),
            expected_db.metrics(expected_db.runs().front().run_id).size());
}

TEST(ResumeAfterKill, CtrlCStopsCleanlyAndTheSameCommandFinishes) {
  const fs::path db = fresh_db("interrupted");
  const pid_t pid = start_run(db, "200");  // 400 samples: long enough to be caught in the middle
  // Wait until the first batch of rows is in, then interrupt as a terminal's Ctrl-C would.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  bool rows = false;
  while (!rows && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (fs::exists(db)) {
      const reports::db::ResultsDb peek = reports::db::ResultsDb::open(db);
      rows = !peek.runs().empty() && !peek.samples(peek.runs().front().run_id).empty();
    }
  }
  ASSERT_TRUE(rows) << "the run wrote nothing within two minutes";
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  const int code = WEXITSTATUS(status);
  const reports::db::ResultsDb after = reports::db::ResultsDb::open(db);
  if (code == 0) {
    GTEST_SKIP() << "the run finished before the interrupt arrived";
  }
  EXPECT_EQ(code, 130);
  EXPECT_EQ(after.runs().front().status, "interrupted");
  const std::size_t kept = after.samples(after.runs().front().run_id).size();
  EXPECT_GT(kept, 0u);
  EXPECT_LT(kept, 400u);
  ASSERT_TRUE(finish_or_kill(start_run(db, "200"), std::chrono::minutes(5)));
  const reports::db::ResultsDb finished = reports::db::ResultsDb::open(db);
  EXPECT_EQ(finished.runs().size(), 1u);
  EXPECT_EQ(finished.runs().front().status, "finished");
  EXPECT_EQ(finished.samples(finished.runs().front().run_id).size(), 400u);
}

}  // namespace
}  // namespace r1eval
