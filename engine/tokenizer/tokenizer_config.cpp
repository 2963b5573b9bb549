#include "engine/tokenizer/tokenizer_config.h"

#include <nlohmann/json.hpp>

#include "common/json_limits.h"
#include "engine/tokenizer/tokenizer_error.h"

namespace r1eval::engine::tokenizer {
namespace {

// A special token is written either as a plain string or as {"__type": "AddedToken", "content": ...}.
std::string token_string(const nlohmann::json& config, const char* key, const std::string& where) {
  const auto it = config.find(key);
  if (it == config.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) {
    const auto content = it->find("content");
    if (content != it->end() && content->is_string()) return content->get<std::string>();
  }
  throw TokenizerError(where + ": \"" + key + "\" is neither a string nor an object with a string \"content\"");
}

}  // namespace

TokenizerConfig TokenizerConfig::from_json(const nlohmann::json& config, const std::string& where) {
  if (!config.is_object()) throw TokenizerError(where + ": the file is not a JSON object");
  TokenizerConfig result;
  result.bos_token = token_string(config, "bos_token", where);
  result.eos_token = token_string(config, "eos_token", where);
  result.pad_token = token_string(config, "pad_token", where);
  result.unk_token = token_string(config, "unk_token", where);
  if (const auto it = config.find("add_bos_token"); it != config.end() && it->is_boolean())
    result.add_bos_token = it->get<bool>();
  const auto tmpl = config.find("chat_template");
  if (tmpl != config.end() && !tmpl->is_null()) {
    if (tmpl->is_string()) {
      result.chat_templates["default"] = tmpl->get<std::string>();
    } else if (tmpl->is_array()) {
      // Newer files: [{"name": "default", "template": "..."}, {"name": "tool_use", ...}]
      for (const auto& entry : *tmpl) {
        if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() ||
            !entry.contains("template") || !entry["template"].is_string()) {
          throw TokenizerError(where + ": a \"chat_template\" list entry lacks a string \"name\" or \"template\"");
        }
        result.chat_templates[entry["name"].get<std::string>()] = entry["template"].get<std::string>();
      }
    } else {
      throw TokenizerError(where + ": \"chat_template\" is neither a string nor a list of named templates");
    }
  }
  return result;
}

TokenizerConfig TokenizerConfig::parse(std::string_view text, const std::string& where) {
  nlohmann::json config;
  try {
    config = common::parse_untrusted_json(text, where);
  } catch (const std::invalid_argument& e) {
    throw TokenizerError(e.what());
  }
  return from_json(config, where);
}

}  // namespace r1eval::engine::tokenizer
