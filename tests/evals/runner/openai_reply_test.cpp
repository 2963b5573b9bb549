// Replies of OpenAI-compatible servers, as vLLM, SGLang and DeepSeek's API send them, turned into the engine's text.
#include "evals/runner/openai_reply.h"

#include <gtest/gtest.h>

namespace r1eval::evals::runner {
namespace {

std::string chat_chunk(const nlohmann::json& delta, const nlohmann::json& finish = nullptr) {
  return nlohmann::json{{"object", "chat.completion.chunk"},
                        {"model", "deepseek-r1"},
                        {"choices", {{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}}}}
      .dump();
}

TEST(OpenAiReply, JoinsStreamedReasoningContentBackWithThinkClose) {
  OpenAiReply reply;
  reply.add_chunk(chat_chunk({{"role", "assistant"}, {"content", ""}}));  // vLLM's opening chunk
  reply.add_chunk(chat_chunk({{"reasoning_content", "Add "}, {"content", nullptr}}));
  reply.add_chunk(chat_chunk({{"reasoning_content", "them."}}));
  reply.add_chunk(chat_chunk({{"content", " <answer> 5 </answer>"}}, "stop"));
  reply.add_chunk(R"({"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12,
                      "completion_tokens_details":{"reasoning_tokens":4}},"system_fingerprint":"fp1"})");
  EXPECT_EQ(reply.text(), "Add them.</think> <answer> 5 </answer>");
  EXPECT_EQ(reply.finish_reason(), "stop");
  EXPECT_EQ(reply.prompt_tokens(), 9);
  EXPECT_EQ(reply.completion_tokens(), 12);
  EXPECT_EQ(reply.reasoning_tokens(), 4);
  EXPECT_EQ(reply.model(), "deepseek-r1");
  EXPECT_EQ(reply.system_fingerprint(), "fp1");
}

TEST(OpenAiReply, ReadsTheNewReasoningNameAndDoesNotDoubleWhenBothAreSent) {
  OpenAiReply reply;
  reply.add_chunk(chat_chunk({{"reasoning", "think"}, {"reasoning_content", "think"}}));
  reply.add_chunk(chat_chunk({{"content", "answer"}}, "stop"));
  EXPECT_EQ(reply.text(), "think</think>answer");
}

TEST(OpenAiReply, AReasoningCutByTheBudgetGetsNoThinkClose) {
  OpenAiReply reply;
  reply.set_whole(R"({"choices":[{"message":{"role":"assistant","content":null,"reasoning_content":"1 + 1 = 2, and"},
                      "finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":64}})");
  EXPECT_EQ(reply.text(), "1 + 1 = 2, and");
  EXPECT_EQ(reply.finish_reason(), "length");
  EXPECT_EQ(reply.reasoning_tokens(), -1);
}

TEST(OpenAiReply, ReadsTheCompletionsApiAndServersWithoutAReasoningParser) {
  OpenAiReply streamed;
  streamed.add_chunk(
      R"({"object":"text_completion","choices":[{"index":0,"text":" <think> a","finish_reason":null}]})");
  streamed.add_chunk(
      R"({"object":"text_completion","choices":[{"index":0,"text":" </think>","finish_reason":"stop"}]})");
  EXPECT_EQ(streamed.text(), " <think> a </think>");
  OpenAiReply whole;
  whole.set_whole(
      R"({"choices":[{"message":{"role":"assistant","content":"<think>x</think>y"},"finish_reason":"stop"}]})");
  EXPECT_EQ(whole.text(), "<think>x</think>y");
}

TEST(OpenAiReply, RejectsMalformedRepliesAndErrorObjects) {
  OpenAiReply reply;
  EXPECT_THROW(reply.add_chunk("{\"choices\": [{\"delta\": "), ReplyError);
  EXPECT_THROW(reply.add_chunk(R"({"error":{"message":"overloaded","type":"server_error"}})"), ReplyError);
  EXPECT_THROW(reply.add_chunk(R"({"choices":[{"delta":{"content":7}}]})"), ReplyError);
  EXPECT_THROW(reply.set_whole(R"({"choices":[]})"), ReplyError);
  EXPECT_EQ(error_message_of(R"({"error":{"message":"rate limited","type":"rate_limit_error"}})"), "rate limited");
  EXPECT_EQ(error_message_of("<html>bad gateway</html>"), "<html>bad gateway</html>");
  // A hostile server's deeply nested chunk is refused before it is parsed, not recursed into.
  const std::string deep = R"({"choices":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_THROW(reply.add_chunk(deep), ReplyError);
  EXPECT_EQ(error_message_of(deep).size(), 303u);  // shown cut, as any body that is not an error object
}

}  // namespace
}  // namespace r1eval::evals::runner
