// A writer killed with SIGKILL at random moments never leaves a torn batch: after each kill the file passes
// integrity_check, holds whole batches only, and keeps every batch the writer had committed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "reports/db/results_db.h"
#include "tests/reports/db/db_test_support.h"

namespace r1eval::reports::db {
namespace {

using testing::RawDb;
using testing::scratch_dir;

constexpr int kBatchSize = 8;
constexpr int kKills = 6;

// One batch: kBatchSize samples of one problem.
std::vector<SampleRow> make_batch(std::int64_t run_id, std::int64_t problem_index, const std::string& problem_id,
                                  const std::string& completion) {
  std::vector<SampleRow> rows(kBatchSize);
  for (int i = 0; i < kBatchSize; ++i) {
    rows[i].run_id = run_id;
    rows[i].suite = "crash";
    rows[i].problem_id = problem_id;
    rows[i].problem_index = problem_index;
    rows[i].sample_index = i;
    rows[i].completion = completion;
  }
  return rows;
}

// The child: appends batches forever, from batch `first_batch` on, and reports its first commit on `ready_fd`.
[[noreturn]] void write_batches(const std::filesystem::path& file, std::int64_t run_id, std::int64_t first_batch,
                                int ready_fd) {
  try {
    auto db = ResultsDb::open(file);
    const std::string filler(2000, 'w');
    for (std::int64_t batch = first_batch;; ++batch) {
      std::string problem_id = "p";  // appended, not "p" + ...: GCC 12 warns falsely (-Wrestrict) on the latter
      problem_id += std::to_string(batch);
      db.add_samples(make_batch(run_id, batch, problem_id, filler));
      if (batch == first_batch) {
        const char byte = 1;
        if (write(ready_fd, &byte, 1) != 1) _exit(3);
      }
    }
  } catch (...) {
    _exit(2);
  }
}

TEST(ReportsDbCrash, SigkillDuringBatchesLeavesOnlyWholeBatches) {
  const auto file = scratch_dir() / "results.db";
  std::int64_t run_id = 0;
  {
    auto db = ResultsDb::open(file);
    RunInfo run;
    run.run_key = "crash";
    run_id = db.begin_run(run).run_id;
  }
  std::mt19937 random(20261129);  // seeded: a failure can be replayed
  std::uniform_int_distribution<int> delay_us(0, 40000);
  std::int64_t rows_before = 0;
  for (int kill_index = 0; kill_index < kKills; ++kill_index) {
    SCOPED_TRACE("kill " + std::to_string(kill_index));
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(ready[0]);
      write_batches(file, run_id, rows_before / kBatchSize, ready[1]);
    }
    close(ready[1]);
    char byte = 0;
    const bool committed = read(ready[0], &byte, 1) == 1;  // EOF if the child failed before its first commit
    close(ready[0]);
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
    kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(committed) << "the writer failed before committing (exit status " << status << ")";
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;

    auto db = ResultsDb::open(file);  // recovers the WAL as the next run would
    RawDb raw(file);
    EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
    const std::int64_t rows = std::stoll(raw.scalar("SELECT count(*) FROM samples"));
    EXPECT_EQ(rows % kBatchSize, 0) << rows << " rows";
    EXPECT_GE(rows, rows_before + kBatchSize) << "a committed batch was lost";
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM (SELECT problem_id FROM samples GROUP BY problem_id HAVING count(*) "
                         "<> " +
                         std::to_string(kBatchSize) + ")"),
              "0");
    // Batches are numbered without gaps: none was skipped or written twice.
    EXPECT_EQ(raw.scalar("SELECT count(DISTINCT problem_index) = max(problem_index) + 1 FROM samples"), "1");
    rows_before = rows;
  }
  EXPECT_GT(rows_before, kKills * kBatchSize - 1);
}

// The disk fills up in the middle of a batch (simulated with RLIMIT_FSIZE in a child): add_samples throws a DbError
// naming the file, no partial batch is left, and the file takes more batches once there is room again.
TEST(ReportsDbCrash, DiskFullMidBatchAbortsCleanly) {
  const auto file = scratch_dir() / "results.db";
  std::int64_t run_id = 0;
  {
    auto db = ResultsDb::open(file);
    RunInfo run;
    run.run_key = "full";
    run_id = db.begin_run(run).run_id;
  }
  int report[2];
  ASSERT_EQ(pipe(report), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(report[0]);
    signal(SIGXFSZ, SIG_IGN);  // a write past the limit then fails with EFBIG instead of killing the process
    const rlim_t limit = static_cast<rlim_t>(std::filesystem::file_size(file)) + 300 * 1024;
    const rlimit fsize{limit, limit};
    if (setrlimit(RLIMIT_FSIZE, &fsize) != 0) _exit(3);
    int batches = 0;
    try {
      auto db = ResultsDb::open(file);
      for (;; ++batches) {
        db.add_samples(make_batch(run_id, batches, std::to_string(batches), std::string(3000, 'f')));
      }
    } catch (const DbError& e) {
      const std::string message = e.what();
      if (write(report[1], message.data(), message.size()) < 0) _exit(3);
      _exit(batches > 0 ? 0 : 1);
    } catch (...) {
      _exit(2);
    }
  }
  close(report[1]);
  std::string message;
  char buffer[512];
  for (ssize_t got; (got = read(report[0], buffer, sizeof buffer)) > 0;) {
    message.append(buffer, static_cast<std::size_t>(got));
  }
  close(report[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status << ": " << message;
  EXPECT_NE(message.find(file.string()), std::string::npos) << message;

  auto db = ResultsDb::open(file);
  RawDb raw(file);
  EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
  const std::int64_t rows = std::stoll(raw.scalar("SELECT count(*) FROM samples"));
  EXPECT_GT(rows, 0);
  EXPECT_EQ(rows % kBatchSize, 0) << rows << " rows";
  db.add_samples(make_batch(run_id, rows / kBatchSize, "after", "x"));
  EXPECT_EQ(db.samples(run_id).size(), static_cast<std::size_t>(rows + kBatchSize));
}

// Several processes opening one new file at once: each migration step runs once, every writer succeeds.
TEST(ReportsDbCrash, ConcurrentOpenersOfANewFileAllSucceed) {
  const auto file = scratch_dir() / "results.db";
  constexpr int kWriters = 4;
  std::vector<pid_t> children;
  for (int writer = 0; writer < kWriters; ++writer) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      try {
        auto db = ResultsDb::open(file);
        RunInfo run;
        run.run_key = "writer-" + std::to_string(writer);
        const auto run_id = db.begin_run(run).run_id;
        db.add_samples(make_batch(run_id, 0, "p", "x"));
        _exit(0);
      } catch (const std::exception& e) {
        fprintf(stderr, "writer %d: %s\n", writer, e.what());
        _exit(1);
      }
    }
    children.push_back(child);
  }
  for (const pid_t child : children) {
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  RawDb raw(file);
  EXPECT_EQ(raw.scalar("PRAGMA user_version"), std::to_string(ResultsDb::current_schema_version()));
  EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM runs"), std::to_string(kWriters));
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM samples"), std::to_string(kWriters * kBatchSize));
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM outcomes"), "11");  // codes 0 to 10 (graders/grader.h)
}

}  // namespace
}  // namespace r1eval::reports::db
