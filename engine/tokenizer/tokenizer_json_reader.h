// Reads tokenizer.json with a streaming (SAX) parser: the model's vocabulary and merges (99% of the 8 MB) go
// straight into flat lists, and only the rest of the file is built as a JSON tree. This makes loading about twice
// as fast as parsing everything into nlohmann::json.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace r1eval::engine::tokenizer {

struct BpeTables {
  bool has_vocab = false;
  bool has_merges = false;
  std::vector<std::pair<std::string, std::int64_t>> vocab;
  std::vector<std::pair<std::string, std::string>> merges;
  std::string bad_vocab_key;             // first vocab entry whose value is not an integer ("" = none)
  std::int64_t bad_merge_index = -1;     // first merges entry that is not a pair of tokens (-1 = none)
};

struct TokenizerJson {
  nlohmann::json rest;  // the whole file except model.vocab and model.merges
  BpeTables tables;
};

// Throws TokenizerError ("NAME is not valid JSON (...)") on a syntax error.
TokenizerJson read_tokenizer_json(std::string_view text, const std::string& name);

}  // namespace r1eval::engine::tokenizer
