// The parts of Hugging Face's tokenizer_config.json that r1eval uses.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace r1eval::engine::tokenizer {

struct TokenizerConfig {
  std::string bos_token;  // "" when the config names none
  std::string eos_token;
  std::string pad_token;
  std::string unk_token;
  bool add_bos_token = false;  // what HF's encode() would prepend; r1eval's encode never does, the template does
  // Chat templates by name; a config with a single "chat_template" string stores it as "default".
  std::map<std::string, std::string> chat_templates;

  // Parses the text of a tokenizer_config.json; `where` names it in errors. Throws TokenizerError.
  static TokenizerConfig parse(std::string_view text, const std::string& where);
  static TokenizerConfig from_json(const nlohmann::json& config, const std::string& where);
};

}  // namespace r1eval::engine::tokenizer
