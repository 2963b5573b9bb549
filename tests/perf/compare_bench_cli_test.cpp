// `r1eval compare --bench` end to end: two benches written into a fresh database through ResultsDb, the built
// program run on them, its exit status and table checked. A kernel made 3× slower exits 1; equal benches exit 0.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "reports/db/results_db.h"

namespace r1eval::perf {
namespace {

using reports::db::KernelResultRow;

struct Outcome {
  int status = -1;
  std::string output;
};

// Runs r1eval with `arguments` (already shell-safe), returning its exit status and standard output + error.
Outcome run_r1eval(const std::string& arguments) {
  const std::string command = std::string(R1EVAL_BINARY_DIR "/cli/r1eval ") + arguments + " 2>&1";
  Outcome outcome;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot start " << command;
    return outcome;
  }
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) outcome.output.append(buffer, n);
  const int raw = pclose(pipe);
  outcome.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return outcome;
}

// A kernel row whose nine repetitions spread ±4% around `median`.
KernelResultRow kernel(std::int64_t bench_id, const std::string& name, const std::string& shape, double median) {
  KernelResultRow row;
  row.bench_id = bench_id;
  row.kernel = name;
  row.shape = shape;
  row.dtype = "bf16";
  row.backend = "avx2";
  row.seconds = median;
  row.repetitions = 9;
  for (const double f : {0.96, 1.03, 0.99, 1.01, 1.0, 0.97, 1.04, 0.98, 1.02}) {
    row.repetition_seconds.push_back(median * f);
  }
  return row;
}

// Writes one bench with two kernels (matmul at `matmul_seconds`) and a decode throughput row; returns its id.
std::int64_t write_bench(reports::db::ResultsDb& db, double matmul_seconds, double tokens_per_s) {
  reports::db::BenchInfo info;
  info.model = "tiny";
  const std::int64_t id = db.begin_bench(info).bench_id;
  const std::vector<KernelResultRow> kernels = {kernel(id, "matmul", "m=1,k=64,n=64", matmul_seconds),
                                                kernel(id, "rms_norm", "n=64", 2e-6)};
  db.add_kernel_results(kernels);
  reports::db::ThroughputRow rate;
  rate.bench_id = id;
  rate.model = "tiny";
  rate.phase = "decode";
  rate.batch = 8;
  rate.context = 128;
  rate.tokens_per_s = tokens_per_s;
  rate.price_basis = "cpu";
  db.add_throughput(std::vector<reports::db::ThroughputRow>{rate});
  return id;
}

class CompareBenchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(R1EVAL_BINARY_DIR) / "test-tmp" / "compare_bench_cli" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    file_ = (dir_ / "results.db").string();
    auto db = reports::db::ResultsDb::open(file_);
    baseline_ = write_bench(db, 1e-3, 100.0);
    equal_ = write_bench(db, 1e-3, 100.0);
    slower_ = write_bench(db, 3e-3, 90.0);
  }
  std::string compare(std::int64_t run, std::int64_t baseline) const {
    return "compare --bench --db '" + file_ + "' --run " + std::to_string(run) + " --baseline " +
           std::to_string(baseline);
  }
  std::filesystem::path dir_;
  std::string file_;
  std::int64_t baseline_ = 0, equal_ = 0, slower_ = 0;
};

TEST_F(CompareBenchCli, AThreeTimesSlowerKernelExitsOne) {
  const Outcome outcome = run_r1eval(compare(slower_, baseline_));
  EXPECT_EQ(outcome.status, 1) << outcome.output;
  EXPECT_NE(outcome.output.find("SLOWDOWN"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("3.000"), std::string::npos) << outcome.output;  // the matmul's ratio
  EXPECT_NE(outcome.output.find("0.900"), std::string::npos) << outcome.output;  // the decode throughput's ratio
}

TEST_F(CompareBenchCli, EqualBenchesExitZero) {
  const Outcome outcome = run_r1eval(compare(equal_, baseline_));
  EXPECT_EQ(outcome.status, 0) << outcome.output;
  EXPECT_EQ(outcome.output.find("SLOWDOWN"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("no significant change"), std::string::npos) << outcome.output;
}

TEST_F(CompareBenchCli, TheOldBenchAgainstTheSlowerOneIsAnImprovement) {
  const Outcome outcome = run_r1eval(compare(baseline_, slower_));
  EXPECT_EQ(outcome.status, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("improvement"), std::string::npos) << outcome.output;
}

TEST_F(CompareBenchCli, AnUnknownBenchIsNamed) {
  const Outcome outcome = run_r1eval(compare(99, baseline_));
  EXPECT_NE(outcome.status, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("bench 99"), std::string::npos) << outcome.output;
}

}  // namespace
}  // namespace r1eval::perf
