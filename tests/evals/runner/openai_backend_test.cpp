// The endpoint backend against a misbehaving server on loopback: every answered sample stored exactly once with the
// engine's text, every fault retried, a sample never answered neither stored nor graded, and the key never recorded.
#include "evals/runner/openai_backend.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "evals/runner/runner.h"
#include "evals/suites/suite.h"
#include "fault_server.h"
#include "graders/grader.h"

namespace r1eval::evals::runner {
namespace {

namespace fs = std::filesystem;
using testing::Fault;
using testing::FaultServer;

fs::path fresh_db(const std::string& name) {
  const fs::path dir = fs::path(R1EVAL_BINARY_DIR) / "test-output" / "openai_backend_test";
  fs::create_directories(dir);
  const fs::path path = dir / (name + ".sqlite");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  return path;
}

OpenAiBackendOptions options_for(const FaultServer& server) {
  OpenAiBackendOptions o;
  o.base_url = server.base_url();
  o.served_model = "toy";
  o.api_key = FaultServer::kKey;
  o.concurrency = 16;
  o.idle_timeout_seconds = 1;
  o.max_retries = 2;
  o.backoff_seconds = 0.01;
  return o;
}

RunOptions arith_run(const std::string& template_name) {
  RunOptions o;
  o.suites = {"arith"};
  o.model = "toy";
  o.model_fingerprint = {{"served_model", "toy"}};
  o.template_name = template_name;
  o.samples = 4;
  o.limit = 30;
  o.seed = 11;
  return o;
}

long solve(const std::string& question) {
  static const std::regex pattern(R"(What is (\d+) ([+-]) (\d+)\?)");
  std::smatch m;
  EXPECT_TRUE(std::regex_search(question, m, pattern)) << question;
  return m[2] == "+" ? std::stol(m[1]) + std::stol(m[3]) : std::stol(m[1]) - std::stol(m[3]);
}

class OpenAiBackendFaults : public ::testing::TestWithParam<const char*> {};

TEST_P(OpenAiBackendFaults, StoresEveryAnsweredSampleOnceAndNothingUnanswered) {
  const std::string template_name = GetParam();
  FaultServer server;
  OpenAiBackend backend(options_for(server));
  EXPECT_EQ(backend.api_for(template_name), template_name == "r1" ? "chat" : "completions");
  reports::db::ResultsDb db = reports::db::ResultsDb::open(fresh_db(template_name));
  Progress quiet(nullptr, false);
  std::atomic<bool> stop{false};
  const RunOptions run = arith_run(template_name);
  const RunOutcome outcome = run_evaluation(run, backend, db, quiet, stop);

  // Which fault each sample met follows from the seed it sent.
  std::map<std::tuple<std::string, std::int64_t>, Fault> faults;
  std::map<Fault, int> per_fault;
  const std::vector<reports::db::SampleRow> rows = db.samples(outcome.run_id);
  datasets::Dataset data = suites::load_suite_problems(suites::find_suite("arith"), run.limit);
  for (const datasets::Problem& p : data.problems) {
    for (std::int64_t k = 0; k < run.samples; ++k) {
      const std::int64_t seed = endpoint_seed(sample_stream("arith", p.id, k), run.seed);
      const Fault f = testing::fault_of_seed(seed);
      faults[{p.id, k}] = f;
      ++per_fault[f];
      // Each fault is retried, and only the faults are: a good reply is requested once.
      const bool good = f == Fault::kNone || f == Fault::kReasoningField || f == Fault::kReasoningContent ||
                        f == Fault::kKeepAlive || f == Fault::kTruncated;
      EXPECT_EQ(server.attempts(seed), good ? 1 : f == Fault::kNeverAnswers ? 3 : 2) << "fault " << static_cast<int>(f);
    }
  }
  ASSERT_EQ(per_fault.size(), static_cast<std::size_t>(Fault::kCount)) << "every fault should be exercised";
  const int never = per_fault[Fault::kNeverAnswers];
  EXPECT_EQ(outcome.samples_failed, never);
  EXPECT_FALSE(outcome.stopped_after_failures);
  EXPECT_NE(outcome.last_failure.find("HTTP 503: try later (after 3 attempts)"), std::string::npos)
      << outcome.last_failure;
  EXPECT_EQ(rows.size(), 120U) << "a sample the server never answered is stored as not_generated";
  std::set<std::tuple<std::string, std::int64_t>> seen;
  std::map<std::string, std::string> question_of;
  for (const datasets::Problem& p : data.problems) question_of[p.id] = p.prompt;
  for (const reports::db::SampleRow& row : rows) {
    EXPECT_TRUE(seen.emplace(row.problem_id, row.sample_index).second) << "stored twice: " << row.problem_id;
    const Fault f = faults.at({row.problem_id, row.sample_index});
    if (f == Fault::kNeverAnswers) {
      EXPECT_EQ(row.outcome, static_cast<int>(graders::Outcome::kNotGenerated));
      EXPECT_FALSE(row.correct);
      EXPECT_TRUE(row.completion.empty());
      EXPECT_EQ(row.detail.rfind("The backend failed the sample: HTTP 503: try later", 0), 0u) << row.detail;
    } else if (f == Fault::kTruncated) {
      EXPECT_EQ(row.finish_reason, "length");
      EXPECT_FALSE(row.correct);
      EXPECT_EQ(row.completion.find("</think>"), std::string::npos) << row.completion;
    } else {
      EXPECT_EQ(row.finish_reason, "stop") << static_cast<int>(f);
      EXPECT_EQ(row.completion, FaultServer::answer_text(solve(question_of.at(row.problem_id))))
          << "fault " << static_cast<int>(f);
      EXPECT_TRUE(row.correct) << row.detail;
      EXPECT_EQ(row.prompt_tokens, 20);
      EXPECT_EQ(row.completion_tokens, 30);
      EXPECT_EQ(row.reasoning_tokens, 25);
      // What the server said it was, stored with each sample.
      EXPECT_EQ(row.served_model, "toy");
      EXPECT_EQ(row.system_fingerprint, "fp-test");
      EXPECT_EQ(row.max_new_tokens, suites::find_suite("arith").max_new_tokens);
    }
  }
  EXPECT_EQ(server.unauthorized(), 0);
  const std::optional<reports::db::RunInfo> info = db.find_run(outcome.run_id);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->status, "interrupted");  // unfinished: the unanswered samples remain to be requested
  EXPECT_EQ(info->provenance.dump().find(FaultServer::kKey), std::string::npos) << "the API key was recorded";
  EXPECT_EQ(info->provenance["backend"]["base_url"], server.base_url());
}

INSTANTIATE_TEST_SUITE_P(ChatAndCompletions, OpenAiBackendFaults, ::testing::Values("r1", "r1-zero"),
                         [](const auto& param_info) {
                           return std::string(param_info.param) == "r1" ? "Chat" : "Completions";
                         });

TEST(OpenAiBackend, StopsTheRunAfterTooManyFailuresInARowAndResumesOnlyTheMissingSamples) {
  FaultServer server;
  OpenAiBackendOptions options = options_for(server);
  options.api_key = "wrong";  // 401: not retried, every sample fails at once
  OpenAiBackend refused(options);
  reports::db::ResultsDb db = reports::db::ResultsDb::open(fresh_db("refused"));
  Progress quiet(nullptr, false);
  std::atomic<bool> stop{false};
  RunOptions run = arith_run("r1-zero");
  run.max_consecutive_failures = 5;
  const RunOutcome failed = run_evaluation(run, refused, db, quiet, stop);
  EXPECT_TRUE(failed.stopped_after_failures);
  EXPECT_GE(failed.samples_failed, 5);
  EXPECT_LT(failed.samples_failed, 120);
  EXPECT_NE(failed.last_failure.find("HTTP 401: bad key (after 1 attempt)"), std::string::npos) << failed.last_failure;
  const std::vector<reports::db::SampleRow> failed_rows = db.samples(failed.run_id);
  EXPECT_EQ(static_cast<std::int64_t>(failed_rows.size()), failed.samples_failed);
  for (const reports::db::SampleRow& row : failed_rows) {
    EXPECT_EQ(row.outcome, static_cast<int>(graders::Outcome::kNotGenerated)) << "stored, but never as a verdict";
  }
  EXPECT_GE(server.unauthorized(), failed.samples_failed);

  // The same run with the right key continues the same run and requests every sample once more, the not_generated
  // ones included (their new rows replace them).
  run.max_consecutive_failures = 1000;  // the run's identity does not cover it
  OpenAiBackend accepted(options_for(server));
  const RunOutcome resumed = run_evaluation(run, accepted, db, quiet, stop);
  EXPECT_EQ(resumed.run_id, failed.run_id);
  EXPECT_EQ(resumed.samples_resumed, 0);
  const RunOutcome again = run_evaluation(run, accepted, db, quiet, stop);
  EXPECT_EQ(again.samples_resumed, resumed.samples_generated);
  EXPECT_EQ(again.samples_generated, 0);
  EXPECT_EQ(again.samples_failed, resumed.samples_failed) << "only the never-answered samples are asked again";
}

}  // namespace
}  // namespace r1eval::evals::runner
