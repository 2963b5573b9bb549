// `r1eval run --backend openai` killed with SIGKILL at random moments and started again with the identical command:
// the run ends with every sample stored exactly once, and no sample that was stored before a kill is requested from
// the endpoint again. The endpoint is a server on loopback that answers arith questions correctly, a little slowly,
// and logs which samples (by the seed each request carries) each invocation asked for.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "evals/runner/openai_backend.h"
#include "evals/runner/runner.h"
#include "reports/db/results_db.h"
#include "tests/evals/runner/child_process.h"

namespace r1eval::evals::runner {
namespace {

namespace fs = std::filesystem;

const std::string kProgram = std::string(R1EVAL_BINARY_DIR) + "/cli/r1eval";
constexpr std::uint64_t kRunSeed = 11;

class SlowArithServer {
 public:
  SlowArithServer() {
    server_.Post("/v1/completions", [this](const httplib::Request& req, httplib::Response& res) {
      const nlohmann::json body = nlohmann::json::parse(req.body);
      {
        std::lock_guard lock(mutex_);
        requested_[invocation_].insert(body.at("seed").get<std::int64_t>());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(40));
      static const std::regex question(R"(What is (\d+) ([+-]) (\d+)\?)");
      std::smatch m;
      const std::string prompt = body.at("prompt").get<std::string>();
      long answer = -1;
      if (std::regex_search(prompt, m, question)) {
        answer = m[2] == "+" ? std::stol(m[1]) + std::stol(m[3]) : std::stol(m[1]) - std::stol(m[3]);
      }
      const nlohmann::json chunk = {{"object", "text_completion"},
                                    {"choices",
                                     {{{"index", 0},
                                       {"text", "add them</think> <answer> " + std::to_string(answer) + " </answer>"},
                                       {"finish_reason", "stop"}}}}};
      const nlohmann::json usage = {{"choices", nlohmann::json::array()},
                                    {"usage", {{"prompt_tokens", 20}, {"completion_tokens", 12}}}};
      res.set_content("data: " + chunk.dump() + "\n\ndata: " + usage.dump() + "\n\ndata: [DONE]\n\n",
                      "text/event-stream");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~SlowArithServer() {
    server_.stop();
    thread_.join();
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  // Requests from here on count towards the next invocation.
  void next_invocation() {
    std::lock_guard lock(mutex_);
    ++invocation_;
  }
  std::set<std::int64_t> requested_in(int invocation) {
    std::lock_guard lock(mutex_);
    return requested_[invocation];
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  int invocation_ = 0;
  std::map<int, std::set<std::int64_t>> requested_;
};

pid_t start_run(const SlowArithServer& server, const fs::path& db) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string url = server.base_url();
    const std::string db_arg = db.string();
    execl(kProgram.c_str(), kProgram.c_str(), "run", "--suite", "arith", "--limit", "60", "--samples", "2", "--seed",
          "11", "--backend", "openai", "--base-url", url.c_str(), "--served-model", "toy", "--concurrency", "4", "--db",
          db_arg.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

using r1eval::testing::finish_or_kill;

// The seeds of the samples a database holds, as the endpoint received them.
std::set<std::int64_t> stored_seeds(const fs::path& db) {
  std::set<std::int64_t> seeds;
  if (!fs::exists(db)) return seeds;
  const reports::db::ResultsDb results = reports::db::ResultsDb::open_read_only(db);
  for (const reports::db::RunInfo& run : results.runs()) {
    for (const reports::db::SampleRow& row : results.samples(run.run_id)) {
      seeds.insert(endpoint_seed(sample_stream(row.suite, row.problem_id, row.sample_index), kRunSeed));
    }
  }
  return seeds;
}

TEST(EndpointResumeAfterKill, NoStoredSampleIsRequestedAgain) {
  ASSERT_TRUE(fs::exists(kProgram)) << kProgram;
  const fs::path dir = fs::path(R1EVAL_BINARY_DIR) / "test-output" / "endpoint_resume_after_kill";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path db = dir / "results.sqlite";
  SlowArithServer server;
  const unsigned random_seed = std::random_device{}();
  SCOPED_TRACE("random seed " + std::to_string(random_seed));
  std::mt19937 rng(random_seed);
  std::uniform_int_distribution<int> moment_ms(100, 1200);
  bool done = false;
  int kills = 0;
  for (int invocation = 1; invocation <= 30 && !done; ++invocation) {
    const std::set<std::int64_t> before = stored_seeds(db);
    server.next_invocation();
    const auto limit = invocation <= 8 ? std::chrono::milliseconds(moment_ms(rng)) : std::chrono::minutes(3);
    done = finish_or_kill(start_run(server, db), limit);
    kills += done ? 0 : 1;
    for (const std::int64_t seed : server.requested_in(invocation)) {
      EXPECT_EQ(before.count(seed), 0u) << "invocation " << invocation << " requested a stored sample (seed " << seed
                                        << ")";
    }
  }
  ASSERT_TRUE(done);
  EXPECT_GT(kills, 0);
  const reports::db::ResultsDb results = reports::db::ResultsDb::open_read_only(db);
  ASSERT_EQ(results.runs().size(), 1u) << "every restart must resume the same run";
  EXPECT_EQ(results.runs().front().status, "finished");
  const std::vector<reports::db::SampleRow> rows = results.samples(results.runs().front().run_id);
  EXPECT_EQ(rows.size(), 120u);
  std::set<std::pair<std::string, std::int64_t>> once;
  for (const reports::db::SampleRow& row : rows) {
    EXPECT_TRUE(once.emplace(row.problem_id, row.sample_index).second) << row.problem_id << " stored twice";
    EXPECT_TRUE(row.correct) << row.problem_id << ": " << row.detail;
  }
}

}  // namespace
}  // namespace r1eval::evals::runner
