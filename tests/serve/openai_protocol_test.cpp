// The OpenAI API rules of `r1eval serve`: request checks with error objects, the reasoning split, response shapes.
#include "serve/openai_protocol.h"

#include <gtest/gtest.h>

namespace r1eval::serve {
namespace {

ApiError error_of(const std::string& body, bool chat) {
  try {
    parse_request(body, chat);
  } catch (const ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "accepted: " << body;
  return {};
}

TEST(OpenAiProtocol, RejectsBadRequestsNamingTheField) {
  EXPECT_EQ(error_of("{not json", true).message.rfind("the request body is not valid JSON (", 0), 0u);
  EXPECT_EQ(error_of(std::string(100000, '[') + std::string(100000, ']'), true).message,
            "the request body nests deeper than 64 levels");
  EXPECT_EQ(error_of("\x01\xff garbage", false).status, 400);
  EXPECT_EQ(error_of("[1,2]", true).message, "the request body must be a JSON object");
  EXPECT_EQ(error_of(R"({"messages":[{"role":"user","content":"hi"}]})", true).param, "model");
  EXPECT_EQ(error_of(R"({"model":"m","messages":[]})", true).param, "messages");
  EXPECT_EQ(error_of(R"({"model":"m","prompt":"p","max_tokens":-5})", false).param, "max_tokens");
  EXPECT_EQ(error_of(R"({"model":"m","prompt":"p","temperature":3})", false).param, "temperature");
  EXPECT_EQ(error_of(R"({"model":"m","prompt":"p","top_p":0})", false).param, "top_p");
  EXPECT_EQ(error_of(R"({"model":"m","prompt":"p","n":0})", false).param, "n");
  EXPECT_EQ(error_of(R"({"model":"m","prompt":"p","n":129})", false).param, "n");
  EXPECT_EQ(error_of(R"({"model":"m","prompt":"p","n":1.5})", false).param, "n");
  EXPECT_EQ(error_of(R"({"model":"m","prompt":["a","b"]})", false).param, "prompt");
  EXPECT_EQ(error_of(R"({"model":"m","prompt":"p","seed":18446744073709551615})", false).param, "seed");
}

TEST(OpenAiProtocol, ReadsTheApiDefaultsAndTheNewerTokenLimit) {
  const ParsedRequest completions = parse_request(R"({"model":"m","prompt":"p","seed":-7})", false);
  EXPECT_EQ(completions.max_tokens, 16);
  EXPECT_EQ(completions.temperature, 1.0);
  EXPECT_EQ(completions.seed, -7);
  const ParsedRequest chat = parse_request(
      R"({"model":"m","messages":[{"role":"user","content":"q"}],"max_tokens":5,"max_completion_tokens":9,
          "stream":true,"stream_options":{"include_usage":true}})",
      true);
  EXPECT_EQ(chat.max_tokens, 9);
  EXPECT_TRUE(chat.stream);
  EXPECT_TRUE(chat.include_usage);
  EXPECT_FALSE(parse_request(R"({"model":"m","messages":[{"role":"user","content":"q"}]})", true).max_tokens);
}

TEST(OpenAiProtocol, SplitsTheReasoningAtTheFirstThinkClose) {
  const ReasoningSplit both = split_reasoning({"a</think> b</think>", "stop", 1, 2});
  EXPECT_EQ(both.reasoning, "a");
  EXPECT_EQ(both.content, " b</think>");
  const ReasoningSplit cut = split_reasoning({"still thinking", "length", 1, 2});
  EXPECT_EQ(cut.reasoning, "still thinking");
  EXPECT_FALSE(cut.content);
  // Stopped without "</think>": still all reasoning (vLLM's R1 parser), as a stream had to send it.
  const ReasoningSplit unclosed = split_reasoning({"just thoughts", "stop", 1, 2});
  EXPECT_EQ(unclosed.reasoning, "just thoughts");
  EXPECT_FALSE(unclosed.content);
}

TEST(OpenAiProtocol, WritesResponsesAndStreamsInTheApiShape) {
  const ParsedRequest chat = parse_request(R"({"model":"m","messages":[{"role":"user","content":"q"}]})", true);
  const GeneratedReply reply{"why</think>42", "stop", 7, 3};
  const nlohmann::json whole = whole_response(chat, {reply}, "chatcmpl-1", 100);
  EXPECT_EQ(whole["object"], "chat.completion");
  EXPECT_EQ(whole["choices"][0]["message"]["content"], "42");
  EXPECT_EQ(whole["choices"][0]["message"]["reasoning_content"], "why");
  EXPECT_EQ(whole["choices"][0]["message"]["reasoning"], "why");
  EXPECT_EQ(whole["usage"]["total_tokens"], 10);

  ParsedRequest streamed = chat;
  streamed.include_usage = true;
  const std::string events =
      role_event(streamed, "chatcmpl-1", 100, 0) + text_events(streamed, "chatcmpl-1", 100, 0, "why", "42") +
      finish_event(streamed, "chatcmpl-1", 100, 0, reply) + end_events(streamed, {reply}, "chatcmpl-1", 100);
  EXPECT_NE(events.find(R"("delta":{"reasoning":"why","reasoning_content":"why"})"), std::string::npos) << events;
  EXPECT_NE(events.find(R"("delta":{"content":"42"})"), std::string::npos) << events;
  EXPECT_EQ(text_events(streamed, "chatcmpl-1", 100, 0, "", ""), "") << "nothing to say is no event";
  EXPECT_EQ(events.rfind("data: [DONE]\n\n"), events.size() - 14);
  EXPECT_NE(events.find(R"("choices":[],)"), std::string::npos) << events;
  EXPECT_NE(events.find(R"("finish_reason":"stop")"), std::string::npos);
  EXPECT_EQ(error_body({404, "invalid_request_error", "no", "model", "model_not_found"}),
            R"({"error":{"code":"model_not_found","message":"no","param":"model","type":"invalid_request_error"}})");
}

// n choices share one prompt: each is a choice with its index, the prompt counts once in the usage.
TEST(OpenAiProtocol, SeveralChoicesCarryTheirIndexAndShareThePromptInTheUsage) {
  const ParsedRequest request = parse_request(R"({"model":"m","prompt":"p","n":3,"max_tokens":4})", false);
  EXPECT_EQ(request.n, 3);
  const std::vector<GeneratedReply> replies = {{"a", "stop", 7, 2}, {"bb", "length", 7, 4}, {"c", "stop", 7, 1}};
  const nlohmann::json whole = whole_response(request, replies, "cmpl-1", 100);
  ASSERT_EQ(whole["choices"].size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(whole["choices"][i]["index"], i);
  EXPECT_EQ(whole["choices"][1]["text"], "bb");
  EXPECT_EQ(whole["choices"][1]["finish_reason"], "length");
  EXPECT_EQ(whole["usage"], nlohmann::json::parse(R"({"prompt_tokens":7,"completion_tokens":7,"total_tokens":14})"));

  ParsedRequest streamed = request;
  streamed.include_usage = true;
  std::string events;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    events += text_events(streamed, "cmpl-1", 100, i, "", replies[i].text) +
              finish_event(streamed, "cmpl-1", 100, i, replies[i]);
  }
  events += end_events(streamed, replies, "cmpl-1", 100);
  for (const char* part : {R"("index":0,)", R"("index":1,)", R"("index":2,)", R"("completion_tokens":7)"}) {
    EXPECT_NE(events.find(part), std::string::npos) << part << "\n" << events;
  }
}

}  // namespace
}  // namespace r1eval::serve
