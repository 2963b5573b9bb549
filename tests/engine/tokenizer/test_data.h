// Shared helpers of the tokenizer tests: the bundled tokenizers (loaded once per process) and JSONL reading.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/tokenizer/tokenizer.h"

namespace r1eval::engine::tokenizer::testing {

inline std::filesystem::path repo_path(const std::string& relative) {
  return std::filesystem::path(R1EVAL_SOURCE_DIR) / relative;
}

inline const Tokenizer& v3_tokenizer() {
  static const Tokenizer tok = *Tokenizer::load(repo_path("datasets/tokenizers/deepseek-v3"));
  return tok;
}

inline const Tokenizer& r1_tokenizer() {
  static const Tokenizer tok = *Tokenizer::load(repo_path("datasets/tokenizers/deepseek-r1"));
  return tok;
}

inline std::vector<nlohmann::json> read_jsonl(const std::filesystem::path& path) {
  std::vector<nlohmann::json> rows;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
  }
  return rows;
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace r1eval::engine::tokenizer::testing
