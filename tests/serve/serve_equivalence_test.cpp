// The acceptance test: through `r1eval serve` on the bundled model, an endpoint run gives the same
// completions and verdicts as the embedded run with the same seed.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "evals/runner/engine_backend.h"
#include "evals/runner/openai_backend.h"
#include "evals/runner/runner.h"
#include "serve/openai_server.h"

namespace r1eval::serve {
namespace {

namespace fs = std::filesystem;
const fs::path kModel = fs::path(R1EVAL_SOURCE_DIR) / "models/toy-arith-r1zero";

reports::db::ResultsDb fresh_db(const std::string& name) {
  const fs::path dir = fs::path(R1EVAL_BINARY_DIR) / "test-output" / "serve_equivalence_test";
  fs::create_directories(dir);
  const fs::path path = dir / (name + ".sqlite");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  return reports::db::ResultsDb::open(path);
}

auto comparable(const reports::db::SampleRow& r) {
  return std::tie(r.problem_id, r.sample_index, r.completion, r.prompt_tokens, r.completion_tokens, r.finish_reason,
                  r.correct, r.outcome, r.extracted, r.format_ok, r.has_answer);
}

TEST(ServeEquivalence, AnEndpointRunThroughServeEqualsTheEmbeddedRun) {
  evals::runner::RunOptions run;
  run.suites = {"arith:50"};
  run.samples = 4;
  run.seed = 1234;
  run.model = kModel.string();
  run.model_fingerprint = {{"test", "serve"}};
  evals::runner::Progress quiet(nullptr, false);
  std::atomic<bool> stop{false};

  reports::db::ResultsDb embedded_db = fresh_db("embedded");
  evals::runner::EngineBackend engine(kModel, evals::runner::EngineBackendOptions{});
  const evals::runner::RunOutcome embedded = evals::runner::run_evaluation(run, engine, embedded_db, quiet, stop);

  ServeOptions options;
  options.served_model = "toy";
  options.seed = run.seed;
  OpenAiServer server(kModel, options);
  const int port = server.bind("127.0.0.1", 0);
  std::thread serving([&] { server.listen(); });
  evals::runner::OpenAiBackendOptions client;
  client.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  client.served_model = "toy";
  client.concurrency = 64;
  client.max_retries = 0;
  evals::runner::OpenAiBackend endpoint(client);
  reports::db::ResultsDb served_db = fresh_db("served");
  const evals::runner::RunOutcome served = evals::runner::run_evaluation(run, endpoint, served_db, quiet, stop);
  server.stop();
  serving.join();

  EXPECT_EQ(served.samples_failed, 0) << served.last_failure;
  const std::vector<reports::db::SampleRow> a = embedded_db.samples(embedded.run_id);
  const std::vector<reports::db::SampleRow> b = served_db.samples(served.run_id);
  ASSERT_EQ(a.size(), 200U);
  ASSERT_EQ(b.size(), a.size());
  std::map<std::pair<std::string, std::int64_t>, const reports::db::SampleRow*> by_key;
  for (const reports::db::SampleRow& r : a) by_key[{r.problem_id, r.sample_index}] = &r;
  int correct = 0;
  for (const reports::db::SampleRow& r : b) {
    const reports::db::SampleRow& e = *by_key.at({r.problem_id, r.sample_index});
    EXPECT_EQ(comparable(r), comparable(e)) << r.problem_id << " sample " << r.sample_index
                                            << "\nserved:   " << r.completion << "\nembedded: " << e.completion;
    correct += r.correct ? 1 : 0;
  }
  EXPECT_GT(correct, 0) << "the bundled model answers some arith problems; none correct means a broken prompt";
}

}  // namespace
}  // namespace r1eval::serve
