#include "engine/tokenizer/chat_template.h"

#include "engine/tokenizer/tokenizer_error.h"

namespace r1eval::engine::tokenizer {
namespace {

// DeepSeek-R1 paper, Table 1 (the "prompt" placeholder becomes the user message). MODEL.md §8: exact whitespace
// of the original is not published; this is the text of the table with single spaces.
constexpr const char* kR1ZeroSource =
    "{%- if messages | length != 1 or messages[0]['role'] != 'user' -%}"
    "{{ raise_exception('the r1-zero template takes exactly one user message') }}"
    "{%- endif -%}"
    "{{ bos_token }}A conversation between User and Assistant. The user asks a question, and the Assistant solves it. "
    "The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. "
    "The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, "
    "i.e., <think> reasoning process here </think> <answer> answer here </answer>. User: {{ messages[0]['content'] }}. "
    "Assistant:";

constexpr const char* kThinkPrefix = "<think>\n";

}  // namespace

std::vector<std::string> ChatTemplate::builtin_names() { return {kR1Zero}; }

ChatTemplate ChatTemplate::from_source(const std::string& source, const std::string& name) {
  return ChatTemplate(jinja::Template::parse(source, name), name);
}

ChatTemplate ChatTemplate::select(const TokenizerConfig& config, const std::string& name) {
  const std::string key = name.empty() ? "default" : name;
  if (const auto it = config.chat_templates.find(key); it != config.chat_templates.end()) {
    return from_source(it->second, "\"" + key + "\" of tokenizer_config.json");
  }
  if (key == kR1Zero) return from_source(kR1ZeroSource, std::string("\"") + kR1Zero + "\" (built in)");
  std::string known;
  for (const auto& [k, _] : config.chat_templates) known += (known.empty() ? "" : ", ") + k;
  for (const auto& k : builtin_names()) known += (known.empty() ? "" : ", ") + k;
  if (key == "default") throw TokenizerError("tokenizer_config.json has no chat_template; choose one of: " + known);
  throw TokenizerError("there is no chat template named \"" + key + "\"; choose one of: " + known);
}

std::string ChatTemplate::render(const nlohmann::json& messages, const ChatOptions& options,
                                 const TokenizerConfig& config) const {
  if (!messages.is_array())
    throw TokenizerError("chat messages must be a JSON list of {\"role\", \"content\"} objects");
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string()) {
      throw TokenizerError("chat message " + std::to_string(i) + " is not an object with a string \"role\"");
    }
  }
  nlohmann::json variables = {{"messages", messages},
                              {"add_generation_prompt", options.add_generation_prompt},
                              {"bos_token", config.bos_token},
                              {"eos_token", config.eos_token}};
  if (!config.pad_token.empty()) variables["pad_token"] = config.pad_token;
  if (!config.unk_token.empty()) variables["unk_token"] = config.unk_token;
  std::string rendered = template_->render(variables);
  if (options.force_think && options.add_generation_prompt) {
    const std::string_view think(kThinkPrefix);
    if (rendered.size() < think.size() || rendered.compare(rendered.size() - think.size(), think.size(), think) != 0) {
      rendered += think;
    }
  }
  return rendered;
}

}  // namespace r1eval::engine::tokenizer
