// Streamed replies of `r1eval serve` go out token by token: their deltas joined equal the whole reply for the same
// seed, and a client that goes away mid-stream has its request cancelled in the engine.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "serve/openai_server.h"
#include "tests/serve/loopback_server.h"

namespace r1eval::serve {
namespace {

class Streaming : public ::testing::Test {
 protected:
  void SetUp() override {
    ServeOptions options;
    options.served_model = "toy";
    options.seed = 5;
    serving_ = std::make_unique<testing::LoopbackServer>(options);
  }
  httplib::Client client() const { return serving_->client(); }
  static std::string chat_body(bool stream, std::int64_t seed, std::int64_t max_tokens, double temperature) {
    return nlohmann::json{{"model", "toy"},
                          {"messages", {{{"role", "user"}, {"content", "What is 12 + 30?"}}}},
                          {"seed", seed},
                          {"temperature", temperature},
                          {"max_tokens", max_tokens},
                          {"stream", stream}}
        .dump();
  }

  std::unique_ptr<testing::LoopbackServer> serving_;
};

// The chunks of an SSE body, "[DONE]" last.
std::vector<std::string> data_lines(const std::string& body) {
  std::vector<std::string> out;
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("data: ")) out.push_back(line.substr(6));
  }
  return out;
}

TEST_F(Streaming, StreamedChatDeltasJoinToTheWholeReply) {
  int both_split = 0;
  for (std::int64_t seed = 1; seed <= 2; ++seed) {
    httplib::Client c = client();
    const auto whole = c.Post("/v1/chat/completions", chat_body(false, seed, 120, 1.0), "application/json");
    ASSERT_TRUE(whole && whole->status == 200) << (whole ? whole->body : "no response");
    const nlohmann::json message = nlohmann::json::parse(whole->body)["choices"][0]["message"];
    const auto streamed = c.Post("/v1/chat/completions", chat_body(true, seed, 120, 1.0), "application/json");
    ASSERT_TRUE(streamed && streamed->status == 200);
    const std::vector<std::string> chunks = data_lines(streamed->body);
    ASSERT_FALSE(chunks.empty());
    EXPECT_EQ(chunks.back(), "[DONE]");
    std::string reasoning, reasoning_content, content, finish;
    int reasoning_chunks = 0, content_chunks = 0;
    for (std::size_t i = 0; i + 1 < chunks.size(); ++i) {
      const nlohmann::json choice = nlohmann::json::parse(chunks[i])["choices"][0];
      const nlohmann::json& delta = choice["delta"];
      if (delta.contains("reasoning")) {
        reasoning += delta["reasoning"].get<std::string>();
        reasoning_content += delta["reasoning_content"].get<std::string>();
        ++reasoning_chunks;
      }
      if (delta.contains("content") && !delta.contains("role")) {
        content += delta["content"].get<std::string>();
        ++content_chunks;
      }
      if (!choice["finish_reason"].is_null()) finish = choice["finish_reason"];
    }
    const auto text = [](const nlohmann::json& field) { return field.is_null() ? "" : field.get<std::string>(); };
    EXPECT_EQ(reasoning, text(message["reasoning"])) << "seed " << seed;
    EXPECT_EQ(reasoning_content, text(message["reasoning_content"])) << "seed " << seed;
    EXPECT_EQ(content, text(message["content"])) << "seed " << seed;
    EXPECT_EQ(finish, nlohmann::json::parse(whole->body)["choices"][0]["finish_reason"]);
    // Token by token: a reply of many tokens comes in many chunks, not one.
    if (reasoning_chunks > 1 && content_chunks > 1) ++both_split;
    EXPECT_GT(reasoning_chunks + content_chunks, 2) << "seed " << seed << ": " << streamed->body;
  }
  EXPECT_GT(both_split, 0) << "some replies should stream both their reasoning and their answer in several chunks";
}

TEST_F(Streaming, AClientThatGoesAwayMidStreamIsCancelled) {
  httplib::Client c = client();
  httplib::Request request;
  request.method = "POST";
  request.path = "/v1/chat/completions";
  // Hot sampling over the whole vocabulary: thousands of tokens before an end-of-sentence, far more than the wait.
  request.body = chat_body(true, 3, 8000, 2.0);
  request.set_header("Content-Type", "application/json");
  std::string received;
  request.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
    received.append(data, size);
    return received.find("\"reasoning\"") == std::string::npos;  // hang up once text has begun to arrive
  };
  httplib::Response response;
  httplib::Error error = httplib::Error::Success;
  c.send(request, response, error);
  EXPECT_NE(received.find("\"reasoning\""), std::string::npos) << "tokens should arrive before the reply is done";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (serving_->server().cancelled_requests() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(serving_->server().cancelled_requests(), 1u);
  // The server still serves, and a reply that runs to its end is not counted as cancelled.
  const auto next = client().Post("/v1/chat/completions", chat_body(true, 4, 8, 1.0), "application/json");
  ASSERT_TRUE(next && next->status == 200);
  EXPECT_EQ(data_lines(next->body).back(), "[DONE]");
  EXPECT_EQ(serving_->server().cancelled_requests(), 1u);
}

}  // namespace
}  // namespace r1eval::serve
