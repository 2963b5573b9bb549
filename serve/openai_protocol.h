// The OpenAI API as `r1eval serve` speaks it: request bodies read and checked, responses and stream chunks written,
// errors as OpenAI error objects. No I/O here, so every rule can be tested alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace r1eval::serve {

// A request the server answers with an OpenAI error object instead of a completion.
struct ApiError {
  int status = 400;
  std::string type = "invalid_request_error";
  std::string message;
  std::string param;  // the offending field, "" when none
  std::string code;   // e.g. "model_not_found", "" when none
};

// The body of an error response: {"error": {"message", "type", "param", "code"}}.
std::string error_body(const ApiError& error);

struct ParsedRequest {
  bool chat = true;
  std::string model;
  nlohmann::json messages;   // chat
  std::string prompt;        // completions
  double temperature = 1.0;  // the API's defaults
  double top_p = 1.0;
  std::optional<std::int64_t> max_tokens;  // absent: chat fills the context; completions default to 16
  std::optional<std::int64_t> seed;
  std::int64_t n = 1;  // choices, sampled from one shared prompt
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage
};

// Reads a /v1/chat/completions (chat) or /v1/completions body. Throws ApiError (400) naming the offending field.
ParsedRequest parse_request(const std::string& body, bool chat);

// What the engine generated, as the API reports it.
struct GeneratedReply {
  std::string text;
  std::string finish_reason;  // "stop" or "length"
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
};

// R1's thinking and answer, split at the first "</think>" (the chat prompt already opened "<think>\n"). A reply
// without "</think>" is all reasoning with a null content, whatever ended it, as vLLM's R1 parser has it: a streamed
// reply sends its text as reasoning before it can know whether a "</think>" will come, and the whole reply must
// say the same.
struct ReasoningSplit {
  std::optional<std::string> reasoning;
  std::optional<std::string> content;
};
ReasoningSplit split_reasoning(const GeneratedReply& reply);

// A whole response (stream false): one choice per reply, with the choice's index its position. The usage counts the
// shared prompt once and the completions of every choice.
nlohmann::json whole_response(const ParsedRequest& request, const std::vector<GeneratedReply>& replies,
                              const std::string& id, std::int64_t created);
// A streamed response is server-sent events, each a chunk for one choice by its index, in this order per choice:
// (chat) the role, then text as it is generated, then the finish; after every choice the usage (include_usage),
// then "data: [DONE]".
std::string role_event(const ParsedRequest& request, const std::string& id, std::int64_t created, std::size_t index);
// Chat: the reasoning (under both its names) and the content, each an event when not empty; completions: the text.
std::string text_events(const ParsedRequest& request, const std::string& id, std::int64_t created, std::size_t index,
                        const std::string& reasoning, const std::string& content);
std::string finish_event(const ParsedRequest& request, const std::string& id, std::int64_t created, std::size_t index,
                         const GeneratedReply& reply);
// The usage event (when include_usage: no choices, the usage of all) and "data: [DONE]".
std::string end_events(const ParsedRequest& request, const std::vector<GeneratedReply>& replies, const std::string& id,
                       std::int64_t created);

}  // namespace r1eval::serve
