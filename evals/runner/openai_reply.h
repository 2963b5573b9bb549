// One reply of an OpenAI-compatible server (/v1/chat/completions or /v1/completions), streamed or whole, turned
// into the text the embedded engine would have generated.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace r1eval::evals::runner {

// A reply that does not follow the API: malformed JSON, no choices, an error object inside a 200 stream.
class ReplyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class OpenAiReply {
 public:
  // One streamed chunk's JSON text (the data of one server-sent event other than "[DONE]"). Throws ReplyError.
  void add_chunk(const std::string& data);
  // A whole (non-streamed) response body. Throws ReplyError.
  void set_whole(const std::string& body);

  // The completion as the embedded engine writes it. Servers with a reasoning parser return the thinking apart from
  // the answer (vLLM and SGLang as "reasoning_content", vLLM since late 2025 as "reasoning"); the engine's text is
  // the reasoning, "</think>", then the answer. A reasoning cut off by the token budget (content null, finish_reason
  // "length") gets no "</think>", since the model never wrote one.
  std::string text() const;

  const std::string& finish_reason() const { return finish_reason_; }
  std::int64_t prompt_tokens() const { return prompt_tokens_; }
  std::int64_t completion_tokens() const { return completion_tokens_; }
  std::int64_t reasoning_tokens() const { return reasoning_tokens_; }  // -1: the server did not say
  const std::string& model() const { return model_; }
  const std::string& system_fingerprint() const { return system_fingerprint_; }

 private:
  void read_common(const nlohmann::json& object);
  void read_choice(const nlohmann::json& choice, const char* message_key);

  std::string reasoning_;
  std::string content_;
  bool reasoning_seen_ = false;
  bool content_seen_ = false;
  std::string finish_reason_;
  std::int64_t prompt_tokens_ = 0;
  std::int64_t completion_tokens_ = 0;
  std::int64_t reasoning_tokens_ = -1;
  std::string model_;
  std::string system_fingerprint_;
};

// The message of an OpenAI error object body ({"error": {"message": ...}}), or the body itself cut short.
std::string error_message_of(const std::string& body);

}  // namespace r1eval::evals::runner
