// Servers that refuse a budget past their context: the rejection read in each server's wording, and the endpoint
// backend clamping the budget and sending again, as the embedded engine clamps, against a server on loopback that
// enforces a context the way vLLM does.
#include "evals/runner/context_overflow.h"

#include <httplib.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "evals/runner/openai_backend.h"

namespace r1eval::evals::runner {
namespace {

TEST(ContextOverflow, ReadsEachServersWording) {
  struct Case {
    const char* message;
    std::int64_t context, prompt;
  };
  const Case cases[] = {
      // vLLM before 0.10.
      {"This model's maximum context length is 32768 tokens. However, you requested 32868 tokens (100 in the "
       "messages, 32768 in the completion). Please reduce the length of the messages or completion.",
       32768, 100},
      // vLLM since, budget too large and prompt too long.
      {"'max_tokens' or 'max_completion_tokens' is too large: 8000. This model's maximum context length is 4096 "
       "tokens and your request has 2778 input tokens (8000 > 4096 - 2778). None",
       4096, 2778},
      {"This model's maximum context length is 1536 tokens. However, your request has 4176 input tokens. Please "
       "reduce the length of the input messages.",
       1536, 4176},
      // SGLang.
      {"Requested token count exceeds the model's maximum context length of 4096 tokens. You requested a total of "
       "10778 tokens: 2778 tokens from the input messages and 8000 tokens for the completion.",
       4096, 2778},
      {"The input (5000 tokens) is longer than the model's context length (4096 tokens).", 4096, 5000},
      // OpenAI and DeepSeek's API.
      {"This model's maximum context length is 65536 tokens. However, your messages resulted in 70000 tokens. "
       "Please reduce the length of the messages.",
       65536, 70000},
  };
  for (const Case& c : cases) {
    const auto overflow = parse_context_overflow(c.message);
    ASSERT_TRUE(overflow.has_value()) << c.message;
    EXPECT_EQ(overflow->context_tokens, c.context) << c.message;
    EXPECT_EQ(overflow->prompt_tokens, c.prompt) << c.message;
  }
}

TEST(ContextOverflow, OtherRejectionsAreNotRead) {
  EXPECT_FALSE(parse_context_overflow("temperature must be non-negative"));
  EXPECT_FALSE(parse_context_overflow("This model's maximum context length is 4096 tokens."));  // no prompt size
  EXPECT_FALSE(parse_context_overflow("maximum context length is 99999999999999999999999 tokens, 5 input tokens"));
  EXPECT_FALSE(parse_context_overflow(std::string(5000, 'x') + "maximum context length is 10 tokens, 5 input tokens"));
}

// Answers like vLLM with a context of kContext and every prompt counted as kPrompt tokens (or kLongPrompt for a
// prompt that says "long"): a request whose prompt plus max_tokens exceeds the context is refused with HTTP 400.
class ContextServer {
 public:
  static constexpr std::int64_t kContext = 512;
  static constexpr std::int64_t kPrompt = 40;
  static constexpr std::int64_t kLongPrompt = 600;

  ContextServer() {
    server_.Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) {
      const nlohmann::json body = nlohmann::json::parse(req.body);
      const std::int64_t budget = body.at("max_tokens").get<std::int64_t>();
      {
        std::lock_guard lock(mutex_);
        max_tokens_seen_.push_back(budget);
      }
      const bool long_prompt = body["messages"][0]["content"].get<std::string>().find("long") != std::string::npos;
      const std::int64_t prompt = long_prompt ? kLongPrompt : kPrompt;
      if (body.at("max_completion_tokens") != body.at("max_tokens")) {
        res.status = 422;  // the two budget fields must move together
        return;
      }
      if (prompt + budget > kContext) {
        res.status = 400;
        const std::string message = fmt::format(
            "'max_tokens' or 'max_completion_tokens' is too large: {}. This model's maximum context length is {} "
            "tokens and your request has {} input tokens ({} > {} - {}). None",
            budget, kContext, prompt, budget, kContext, prompt);
        res.set_content(
            nlohmann::json{{"error", {{"message", message}, {"type", "BadRequestError"}, {"code", 400}}}}.dump(),
            "application/json");
        return;
      }
      const nlohmann::json reply = {
          {"object", "chat.completion"},
          {"choices", {{{"index", 0}, {"finish_reason", "stop"}, {"message", {{"content", "4"}}}}}},
          {"usage", {{"prompt_tokens", prompt}, {"completion_tokens", 1}}}};
      res.set_content(reply.dump(), "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~ContextServer() {
    server_.stop();
    thread_.join();
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  std::vector<std::int64_t> max_tokens_seen() {
    std::lock_guard lock(mutex_);
    return max_tokens_seen_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::int64_t> max_tokens_seen_;
};

std::vector<Completion> complete_one(ContextServer& server, const std::string& question, std::int64_t budget) {
  OpenAiBackendOptions options;
  options.base_url = server.base_url();
  options.served_model = "toy";
  options.stream = false;
  options.concurrency = 1;
  options.max_retries = 0;  // a clamp must not spend a retry
  OpenAiBackend backend(options);
  CompletionRequest request;
  request.user_message = question;
  request.template_name = "r1";
  request.streams = {1};
  request.max_new_tokens = budget;
  backend.submit(request);
  std::vector<Completion> finished;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!backend.idle() && std::chrono::steady_clock::now() < deadline) backend.advance(finished);
  return finished;
}

TEST(ContextOverflow, TheEndpointBackendClampsTheBudgetToTheServersContext) {
  ContextServer server;
  const std::vector<Completion> done = complete_one(server, "What is 2 + 2?", 32768);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].error, "");
  EXPECT_EQ(done[0].text, "4");
  EXPECT_EQ(done[0].max_new_tokens, ContextServer::kContext - ContextServer::kPrompt);
  EXPECT_EQ(server.max_tokens_seen(), (std::vector<std::int64_t>{32768, 472}));
}

TEST(ContextOverflow, ABudgetThatFitsIsSentOnceAndRecordedAsAsked) {
  ContextServer server;
  const std::vector<Completion> done = complete_one(server, "What is 2 + 2?", 100);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].max_new_tokens, 100);
  EXPECT_EQ(server.max_tokens_seen(), (std::vector<std::int64_t>{100}));
}

TEST(ContextOverflow, APromptPastTheContextIsNotGeneratedAndSaysWhy) {
  ContextServer server;
  const std::vector<Completion> done = complete_one(server, "a long question", 100);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].error, "the prompt (600 tokens) does not fit the server's context of 512 tokens (after 1 attempt)");
  EXPECT_EQ(server.max_tokens_seen(), (std::vector<std::int64_t>{100}));
}

}  // namespace
}  // namespace r1eval::evals::runner
