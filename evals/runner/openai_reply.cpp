#include "evals/runner/openai_reply.h"

#include "common/json_limits.h"

namespace r1eval::evals::runner {
namespace {

nlohmann::json parse_object(const std::string& text, const char* what) {
  nlohmann::json parsed = common::parse_untrusted_json_or_discarded(text);
  if (!parsed.is_object()) {
    throw ReplyError(std::string("malformed ") + what + ": not a JSON object: " + text.substr(0, 200));
  }
  if (parsed.contains("error") && !parsed["error"].is_null()) {
    throw ReplyError(std::string("the server reported an error in its ") + what + ": " + error_message_of(text));
  }
  return parsed;
}

// The string at `key`, or nullptr when it is absent or null (servers send null for "no text in this chunk").
const std::string* string_at(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  if (!it->is_string()) throw ReplyError(std::string("malformed reply: \"") + key + "\" is not a string");
  return it->get_ptr<const std::string*>();
}

std::int64_t count_at(const nlohmann::json& object, const char* key, std::int64_t fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : fallback;
}

}  // namespace

std::string error_message_of(const std::string& body) {
  const nlohmann::json parsed = common::parse_untrusted_json_or_discarded(body);
  if (parsed.is_object()) {
    const auto error = parsed.find("error");
    if (error != parsed.end() && error->is_object() && error->contains("message") && (*error)["message"].is_string()) {
      return (*error)["message"].get<std::string>();
    }
    if (error != parsed.end() && error->is_string()) return error->get<std::string>();
  }
  constexpr std::size_t kShown = 300;
  return body.size() > kShown ? body.substr(0, kShown) + "..." : body;
}

void OpenAiReply::read_common(const nlohmann::json& object) {
  if (const std::string* m = string_at(object, "model")) model_ = *m;
  if (const std::string* f = string_at(object, "system_fingerprint")) system_fingerprint_ = *f;
  const auto usage = object.find("usage");
  if (usage != object.end() && usage->is_object()) {
    prompt_tokens_ = count_at(*usage, "prompt_tokens", prompt_tokens_);
    completion_tokens_ = count_at(*usage, "completion_tokens", completion_tokens_);
    const auto details = usage->find("completion_tokens_details");
    if (details != usage->end() && details->is_object()) {
      reasoning_tokens_ = count_at(*details, "reasoning_tokens", reasoning_tokens_);
    }
  }
}

void OpenAiReply::read_choice(const nlohmann::json& choice, const char* message_key) {
  if (!choice.is_object()) throw ReplyError("malformed reply: a choice is not an object");
  if (const std::string* reason = string_at(choice, "finish_reason")) finish_reason_ = *reason;
  // The completions API puts the text in the choice itself, the chat API in its message (whole) or delta (streamed).
  const nlohmann::json* holder = &choice;
  if (message_key != nullptr) {
    const auto it = choice.find(message_key);
    if (it == choice.end() || it->is_null()) return;
    if (!it->is_object()) throw ReplyError(std::string("malformed reply: \"") + message_key + "\" is not an object");
    holder = &*it;
  }
  if (const std::string* text = string_at(*holder, message_key == nullptr ? "text" : "content")) {
    content_ += *text;
    // vLLM opens every chat stream with an empty content delta, so only text counts as an answer having begun.
    content_seen_ = content_seen_ || !text->empty();
  }
  if (message_key == nullptr) return;
  // Servers in the middle of the rename send both names with the same text; "reasoning" wins.
  const std::string* reasoning = string_at(*holder, "reasoning");
  if (reasoning == nullptr) reasoning = string_at(*holder, "reasoning_content");
  if (reasoning != nullptr) {
    reasoning_ += *reasoning;
    reasoning_seen_ = true;
  }
}

void OpenAiReply::add_chunk(const std::string& data) {
  const nlohmann::json chunk = parse_object(data, "stream chunk");
  read_common(chunk);
  const auto choices = chunk.find("choices");
  if (choices == chunk.end() || choices->is_null()) return;  // the usage chunk may carry no choices
  if (!choices->is_array()) throw ReplyError("malformed stream chunk: \"choices\" is not a list");
  const bool chat = chunk.value("object", std::string()) == "chat.completion.chunk" ||
                    (!choices->empty() && (*choices)[0].is_object() && (*choices)[0].contains("delta"));
  for (const nlohmann::json& choice : *choices) read_choice(choice, chat ? "delta" : nullptr);
}

void OpenAiReply::set_whole(const std::string& body) {
  const nlohmann::json response = parse_object(body, "response");
  read_common(response);
  const auto choices = response.find("choices");
  if (choices == response.end() || !choices->is_array() || choices->empty()) {
    throw ReplyError("malformed response: no \"choices\" list");
  }
  const bool chat = (*choices)[0].is_object() && (*choices)[0].contains("message");
  read_choice((*choices)[0], chat ? "message" : nullptr);
}

std::string OpenAiReply::text() const {
  if (!reasoning_seen_) return content_;
  if (!content_seen_ && finish_reason_ == "length") return reasoning_;
  return reasoning_ + "</think>" + content_;
}

}  // namespace r1eval::evals::runner
