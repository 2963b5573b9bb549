// `r1eval serve` under many concurrent streaming clients and hostile requests on loopback: every response complete,
// every bad request an OpenAI error object, and the server still serving afterwards.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/runner/openai_backend.h"
#include "serve/openai_server.h"

namespace r1eval::serve {
namespace {

const std::filesystem::path kModel = std::filesystem::path(R1EVAL_SOURCE_DIR) / "models/toy-arith-r1zero";

class Serving : public ::testing::Test {
 protected:
  void SetUp() override {
    ServeOptions options;
    options.served_model = "toy";
    options.max_body_bytes = 1 << 16;
    server_ = std::make_unique<OpenAiServer>(kModel, options);
    port_ = server_->bind("127.0.0.1", 0);
    thread_ = std::thread([this] { server_->listen(); });
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(120);
    return c;
  }

  std::unique_ptr<OpenAiServer> server_;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(Serving, AnswersTwoHundredConcurrentStreamingClientsCompletely) {
  // The endpoint backend is the client: libcurl, as most OpenAI clients are, 200 streams in flight at once.
  evals::runner::OpenAiBackendOptions options;
  options.base_url = "http://127.0.0.1:" + std::to_string(port_) + "/v1";
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
