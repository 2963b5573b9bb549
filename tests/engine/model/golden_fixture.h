// Loads a golden checkpoint (tests/data/golden) and its reference outputs from the independent float64 model.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace r1eval::testing {

inline std::filesystem::path golden_dir() { return std::filesystem::path(R1EVAL_SOURCE_DIR) / "tests/data/golden"; }

inline nlohmann::json load_golden(const std::string& name) {
  std::ifstream in(golden_dir() / (name + ".json"));
  return nlohmann::json::parse(in);
}

inline const nlohmann::json& golden_prompt(const nlohmann::json& golden, const std::string& prompt_name) {
  for (const auto& p : golden["prompts"]) {
    if (p["name"] == prompt_name) return p;
  }
  throw std::runtime_error("golden prompt not found: " + prompt_name);
}

inline std::vector<std::int32_t> token_ids(const nlohmann::json& prompt) {
  return prompt["token_ids"].get<std::vector<std::int32_t>>();
}

}  // namespace r1eval::testing
