#include "serve/openai_protocol.h"

#include "common/json_limits.h"

namespace r1eval::serve {
namespace {

constexpr std::int64_t kCompletionsDefaultMaxTokens = 16;  // the completions API's documented default
constexpr std::int64_t kMaxChoices = 128;                  // the API reference's upper bound on n

ApiError invalid(const std::string& param, const std::string& message) {
  return ApiError{400, "invalid_request_error", message, param, ""};
}

double number_in(const nlohmann::json& body, const char* key, double fallback, double low, double high) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_number()) throw invalid(key, std::string("'") + key + "' must be a number");
  const double value = it->get<double>();
  if (!(value >= low && value <= high)) {
    throw invalid(key, std::string("'") + key + "' must be between " + nlohmann::json(low).dump() + " and " +
                           nlohmann::json(high).dump());
  }
  return value;
}

std::optional<std::int64_t> integer_at(const nlohmann::json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) throw invalid(key, std::string("'") + key + "' must be an integer");
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    throw invalid(key, std::string("'") + key + "' must fit a signed 64-bit integer");
  }
  return it->get<std::int64_t>();
}

std::string finish_of(const GeneratedReply& reply) { return reply.finish_reason == "length" ? "length" : "stop"; }

// The prompt is shared by the choices, so it counts once.
nlohmann::json usage_of(const std::vector<GeneratedReply>& replies) {
  const std::int64_t prompt = replies.empty() ? 0 : replies.front().prompt_tokens;
  std::int64_t completion = 0;
  for (const GeneratedReply& reply : replies) completion += reply.completion_tokens;
  return {{"prompt_tokens", prompt}, {"completion_tokens", completion}, {"total_tokens", prompt + completion}};
}

nlohmann::json optional_text(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

}  // namespace

std::string error_body(const ApiError& error) {
  const auto or_null = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
  return nlohmann::json{{"error",
                         {{"message", error.message},
                          {"type", error.type},
                          {"param", or_null(error.param)},
                          {"code", or_null(error.code)}}}}
      .dump();
}

ParsedRequest parse_request(const std::string& body, bool chat) {
  nlohmann::json json;
  try {
    json = common::parse_untrusted_json(body, "the request body");
  } catch (const std::invalid_argument& e) {
    throw invalid("", e.what());
  }
  if (!json.is_object()) throw invalid("", "the request body must be a JSON object");
  ParsedRequest r;
  r.chat = chat;
  const auto model = json.find("model");
  if (model == json.end() || !model->is_string()) throw invalid("model", "'model' is required and must be a string");
  r.model = model->get<std::string>();
  if (chat) {
    const auto messages = json.find("messages");
    if (messages == json.end() || !messages->is_array() || messages->empty()) {
      throw invalid("messages", "'messages' must be a non-empty list");
    }
    for (const nlohmann::json& m : *messages) {
      if (!m.is_object() || !m.contains("role") || !m["role"].is_string() || !m.contains("content") ||
          !m["content"].is_string()) {
        throw invalid("messages", "each message must be an object with a string 'role' and a string 'content'");
      }
    }
    r.messages = *messages;
  } else {
    const auto prompt = json.find("prompt");
    if (prompt == json.end() || !prompt->is_string()) {
      throw invalid("prompt", "'prompt' must be a string (lists of prompts and token ids are not supported)");
    }
    r.prompt = prompt->get<std::string>();
  }
  r.temperature = number_in(json, "temperature", 1.0, 0.0, 2.0);
  r.top_p = number_in(json, "top_p", 1.0, 0.0, 1.0);
  if (r.top_p <= 0.0) throw invalid("top_p", "'top_p' must be greater than 0");
  // max_completion_tokens is the chat API's newer name; it wins when both are given.
  r.max_tokens = integer_at(json, "max_tokens");
  if (chat) {
    if (const auto newer = integer_at(json, "max_completion_tokens")) r.max_tokens = newer;
  }
  if (!r.max_tokens && !chat) r.max_tokens = kCompletionsDefaultMaxTokens;
  if (r.max_tokens && *r.max_tokens < 1) throw invalid("max_tokens", "'max_tokens' must be at least 1");
  r.seed = integer_at(json, "seed");
  if (const auto n = integer_at(json, "n")) {
    if (*n < 1 || *n > kMaxChoices) throw invalid("n", "'n' must be between 1 and 128");
    r.n = *n;
  }
  if (const auto stream = json.find("stream"); stream != json.end() && !stream->is_null()) {
    if (!stream->is_boolean()) throw invalid("stream", "'stream' must be a boolean");
    r.stream = stream->get<bool>();
  }
  if (const auto options = json.find("stream_options"); options != json.end() && options->is_object()) {
    const auto usage = options->find("include_usage");
    r.include_usage = usage != options->end() && usage->is_boolean() && usage->get<bool>();
  }
  return r;
}

ReasoningSplit split_reasoning(const GeneratedReply& reply) {
  static constexpr std::string_view kClose = "</think>";
  const std::size_t close = reply.text.find(kClose);
  if (close != std::string::npos) return {reply.text.substr(0, close), reply.text.substr(close + kClose.size())};
  return {reply.text, std::nullopt};
}

nlohmann::json whole_response(const ParsedRequest& request, const std::vector<GeneratedReply>& replies,
                              const std::string& id, std::int64_t created) {
  nlohmann::json choices = nlohmann::json::array();
  for (std::size_t index = 0; index < replies.size(); ++index) {
    const GeneratedReply& reply = replies[index];
    nlohmann::json choice = {{"index", index}, {"logprobs", nullptr}, {"finish_reason", finish_of(reply)}};
    if (request.chat) {
      const ReasoningSplit split = split_reasoning(reply);
      // Both names of the reasoning field: "reasoning_content" (DeepSeek's API, SGLang) and "reasoning" (vLLM).
      choice["message"] = {{"role", "assistant"},
                           {"content", optional_text(split.content)},
                           {"reasoning_content", optional_text(split.reasoning)},
                           {"reasoning", optional_text(split.reasoning)}};
    } else {
      choice["text"] = reply.text;
    }
    choices.push_back(std::move(choice));
  }
  return {{"id", id},
          {"object", request.chat ? "chat.completion" : "text_completion"},
          {"created", created},
          {"model", request.model},
          {"choices", std::move(choices)},
          {"usage", usage_of(replies)}};
}

namespace {

std::string event(const ParsedRequest& request, const std::string& id, std::int64_t created, std::size_t index,
                  const nlohmann::json& delta, const nlohmann::json& finish) {
  nlohmann::json choice = {{"index", index}, {"logprobs", nullptr}, {"finish_reason", finish}};
  choice[request.chat ? "delta" : "text"] = delta;
  nlohmann::json chunk = {{"id", id},
                          {"object", request.chat ? "chat.completion.chunk" : "text_completion"},
                          {"created", created},
                          {"model", request.model},
                          {"choices", nlohmann::json::array({std::move(choice)})}};
  // With include_usage every chunk carries "usage", null but in the last, as the API documents.
  if (request.include_usage) chunk["usage"] = nullptr;
  return "data: " + chunk.dump() + "\n\n";
}

}  // namespace

std::string role_event(const ParsedRequest& request, const std::string& id, std::int64_t created, std::size_t index) {
  return event(request, id, created, index, {{"role", "assistant"}, {"content", ""}}, nullptr);
}

std::string text_events(const ParsedRequest& request, const std::string& id, std::int64_t created, std::size_t index,
                        const std::string& reasoning, const std::string& content) {
  if (!request.chat) return content.empty() ? "" : event(request, id, created, index, content, nullptr);
  std::string out;
  if (!reasoning.empty()) {
    out += event(request, id, created, index, {{"reasoning_content", reasoning}, {"reasoning", reasoning}}, nullptr);
  }
  if (!content.empty()) out += event(request, id, created, index, {{"content", content}}, nullptr);
  return out;
}

std::string finish_event(const ParsedRequest& request, const std::string& id, std::int64_t created, std::size_t index,
                         const GeneratedReply& reply) {
  return event(request, id, created, index, request.chat ? nlohmann::json::object() : nlohmann::json(""),
               finish_of(reply));
}

std::string end_events(const ParsedRequest& request, const std::vector<GeneratedReply>& replies, const std::string& id,
                       std::int64_t created) {
  std::string out;
  if (request.include_usage) {
    const nlohmann::json chunk = {{"id", id},
                                  {"object", request.chat ? "chat.completion.chunk" : "text_completion"},
                                  {"created", created},
                                  {"model", request.model},
                                  {"choices", nlohmann::json::array()},
                                  {"usage", usage_of(replies)}};
    out += "data: " + chunk.dump() + "\n\n";
  }
  return out + "data: [DONE]\n\n";
}

}  // namespace r1eval::serve
