// `r1eval serve` under many concurrent streaming clients and hostile requests on loopback: every response complete,
// every bad request an OpenAI error object, and the server still serving afterwards.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/runner/context_overflow.h"
#include "evals/runner/openai_backend.h"
#include "serve/openai_server.h"
#include "tests/serve/loopback_server.h"

namespace r1eval::serve {
namespace {

class Serving : public ::testing::Test {
 protected:
  void SetUp() override {
    ServeOptions options;
    options.served_model = "toy";
    options.max_body_bytes = 1 << 16;
    serving_ = std::make_unique<testing::LoopbackServer>(options);
  }
  httplib::Client client() const { return serving_->client(); }

  std::unique_ptr<testing::LoopbackServer> serving_;
};

TEST_F(Serving, AnswersTwoHundredConcurrentStreamingClientsCompletely) {
  // The endpoint backend is the client: libcurl, as most OpenAI clients are, 200 streams in flight at once.
  evals::runner::OpenAiBackendOptions options;
  options.base_url = serving_->base_url();
  options.served_model = "toy";
  options.concurrency = 200;
  options.max_retries = 0;
  evals::runner::OpenAiBackend clients(options);
  evals::runner::CompletionRequest request;
  request.user_message = "What is 12 + 30?";
  request.template_name = "r1-zero";
  request.max_new_tokens = 6;
  for (std::uint64_t i = 0; i < 200; ++i) request.streams.push_back(i);
  clients.submit(request);
  std::vector<evals::runner::Completion> finished;
  while (!clients.idle()) clients.advance(finished);
  ASSERT_EQ(finished.size(), 200U);
  for (const evals::runner::Completion& c : finished) {
    EXPECT_EQ(c.error, "");
    EXPECT_EQ(c.completion_tokens, c.finish_reason == "length" ? 6 : c.completion_tokens);
    EXPECT_GT(c.prompt_tokens, 0);
  }
}

// n choices: the first is the sample a request with n = 1 and the same seed gets, the others differ from it (their own
// streams), and the prompt is counted once.
TEST_F(Serving, SeveralChoicesShareThePromptAndTheFirstIsTheSingleSample) {
  const std::string ask = R"({"model":"toy","prompt":"What is 12 + 30?","max_tokens":8,"seed":5,"temperature":1)";
  const auto one = client().Post("/v1/completions", ask + "}", "application/json");
  const auto four = client().Post("/v1/completions", ask + R"(,"n":4})", "application/json");
  ASSERT_TRUE(one && four);
  ASSERT_EQ(four->status, 200) << four->body;
  const nlohmann::json single = nlohmann::json::parse(one->body);
  const nlohmann::json several = nlohmann::json::parse(four->body);
  ASSERT_EQ(several["choices"].size(), 4u);
  EXPECT_EQ(several["choices"][0]["text"], single["choices"][0]["text"]);
  std::int64_t completion_tokens = 0;
  std::set<std::string> texts;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(several["choices"][i]["index"], i);
    texts.insert(several["choices"][i]["text"].get<std::string>());
  }
  EXPECT_GT(texts.size(), 1u) << four->body;  // four samples at temperature 1 on four streams
  EXPECT_EQ(several["usage"]["prompt_tokens"], single["usage"]["prompt_tokens"]);
  completion_tokens = several["usage"]["completion_tokens"].get<std::int64_t>();
  EXPECT_GE(completion_tokens, 4);
  EXPECT_LE(completion_tokens, 32);
}

// A budget past the context is refused in the wording the endpoint backend reads, and the backend clamps to it.
TEST_F(Serving, ABudgetPastTheContextIsRefusedWithTheSizesTheBackendReads) {
  const auto res = client().Post(
      "/v1/completions", R"({"model":"toy","prompt":"What is 1 + 1?","max_tokens":1000000000})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  const std::string message = nlohmann::json::parse(res->body)["error"]["message"];
  const auto overflow = evals::runner::parse_context_overflow(message);
  ASSERT_TRUE(overflow.has_value()) << message;

  evals::runner::OpenAiBackendOptions options;
  options.base_url = serving_->base_url();
  options.served_model = "toy";
  options.max_retries = 0;
  evals::runner::OpenAiBackend backend(options);
  evals::runner::CompletionRequest request;
  request.user_message = "What is 12 + 30?";
  request.template_name = "r1-zero";
  request.max_new_tokens = 1000000000;
  request.streams = {1};
  backend.submit(request);
  std::vector<evals::runner::Completion> finished;
  while (!backend.idle()) backend.advance(finished);
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_EQ(finished[0].error, "");
  EXPECT_EQ(finished[0].max_new_tokens + finished[0].prompt_tokens, overflow->context_tokens);
}

TEST_F(Serving, AnswersHostileRequestsWithErrorObjectsAndKeepsServing) {
  struct Case {
    std::string path;
    std::string body;
    int status;
  };
  const std::vector<Case> cases = {
      {"/v1/completions", "{\"model\": \"toy\", \"prompt\": ", 400},
      {"/v1/completions", std::string("\x00\xff\xfe garbage", 12), 400},
      {"/v1/completions", R"({"model":"toy","prompt":"1 + 1","max_tokens":-1})", 400},
      {"/v1/completions", R"({"model":"gpt-4","prompt":"1 + 1"})", 404},
      {"/v1/completions", std::string(1 << 17, 'x'), 413},
      {"/v1/completions", R"({"model":"toy","prompt":")" + std::string(60000, '9') + "\"}", 413},
      {"/v1/embeddings", "{}", 404},
  };
  for (const Case& c : cases) {
    const auto res = client().Post(c.path, c.body, "application/json");
    ASSERT_TRUE(res) << c.path;
    EXPECT_EQ(res->status, c.status) << c.body.substr(0, 80);
    const nlohmann::json error = nlohmann::json::parse(res->body, nullptr, false);
    ASSERT_TRUE(error.is_object() && error.contains("error")) << res->body;
    EXPECT_TRUE(error["error"]["message"].is_string());
    EXPECT_TRUE(error["error"]["type"].is_string());
  }
  const auto models = client().Get("/v1/models");
  ASSERT_TRUE(models);
  EXPECT_EQ(nlohmann::json::parse(models->body)["data"][0]["id"], "toy");
  const auto answer = client().Post("/v1/completions", R"({"model":"toy","prompt":"What is 1 + 1?","max_tokens":4})",
                                    "application/json");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200) << answer->body;
}

}  // namespace
}  // namespace r1eval::serve
