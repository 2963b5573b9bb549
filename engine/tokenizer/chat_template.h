// Chat prompts: renders a list of messages with a checkpoint's own Jinja chat template (tokenizer_config.json),
// or with a built-in one, exactly as transformers' apply_chat_template would.
//
//   auto tmpl = ChatTemplate::select(tok.config(), "");                  // the checkpoint's default template
//   std::string prompt = tmpl.render(messages, {.add_generation_prompt = true, .force_think = true}, tok.config());
//   std::vector<int32_t> ids = tok.encode(prompt);                        // the template already wrote BOS
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/tokenizer/jinja_template.h"
#include "engine/tokenizer/tokenizer_config.h"

namespace r1eval::engine::tokenizer {

struct ChatOptions {
  bool add_generation_prompt = false;
  // DeepSeek-R1's usage recommendation: make the response start with "<think>\n". Appended after the generation
  // prompt unless the template already ends with it (as R1's updated Hub template does).
  bool force_think = false;
};

class ChatTemplate {
 public:
  // The name "r1-zero": the R1-Zero RL training prompt of the DeepSeek-R1 paper (Table 1), prefixed with BOS;
  // it takes exactly one user message.
  static constexpr const char* kR1Zero = "r1-zero";

  // Picks a template by name: "" or "default" = the config's default chat template; another name from the config's
  // list of named templates; or a built-in name. Throws TokenizerError when there is no such template.
  static ChatTemplate select(const TokenizerConfig& config, const std::string& name);
  // Compiles a template from source; `name` is used in error messages. Throws TokenizerError.
  static ChatTemplate from_source(const std::string& source, const std::string& name);
  static std::vector<std::string> builtin_names();

  // Renders `messages` (a JSON list of {"role", "content", ...} objects) with bos_token/eos_token from config.
  // Throws TokenizerError for malformed messages or a template error.
  std::string render(const nlohmann::json& messages, const ChatOptions& options, const TokenizerConfig& config) const;

  const std::string& name() const { return name_; }

 private:
  ChatTemplate(jinja::Template t, std::string name)
      : template_(std::make_shared<jinja::Template>(std::move(t))), name_(std::move(name)) {}
  std::shared_ptr<const jinja::Template> template_;
  std::string name_;
};

}  // namespace r1eval::engine::tokenizer
