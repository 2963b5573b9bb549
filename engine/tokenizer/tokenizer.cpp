#include "engine/tokenizer/tokenizer.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/tokenizer/byte_level.h"
#include "engine/tokenizer/tokenizer_json_reader.h"
#include "engine/tokenizer/tokenizer_error.h"
#include "engine/tokenizer/utf8.h"

namespace r1eval::engine::tokenizer {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw TokenizerError(path.string() + " does not exist or is not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TokenizerError(path.string() + " cannot be opened for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in && !in.eof()) throw TokenizerError(path.string() + " could not be read completely");
  return std::move(buffer).str();
}

void check_normalizer(const nlohmann::json& root, const std::string& where) {
  const auto it = root.find("normalizer");
  if (it == root.end() || it->is_null()) return;
  // Only the identity is supported: DeepSeek's file has an empty Sequence.
  if (it->is_object() && it->value("type", std::string()) == "Sequence" && it->contains("normalizers") &&
      (*it)["normalizers"].is_array() && (*it)["normalizers"].empty()) {
    return;
  }
  throw TokenizerError(where + ": only an empty \"normalizer\" is supported, this file has " +
                       it->dump().substr(0, 80));
}

void check_decoder(const nlohmann::json& root, const std::string& where) {
  const auto it = root.find("decoder");
  if (it != root.end() && it->is_object() && it->value("type", std::string()) == "ByteLevel") return;
  throw TokenizerError(where + ": only a ByteLevel \"decoder\" is supported");
}

std::vector<AddedToken> parse_added_tokens(const nlohmann::json& root, const std::string& where) {
  std::vector<AddedToken> tokens;
  const auto it = root.find("added_tokens");
  if (it == root.end() || it->is_null()) return tokens;
  if (!it->is_array()) throw TokenizerError(where + ": \"added_tokens\" is not a list");
  for (const auto& entry : *it) {
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_number_integer() || !entry.contains("content") ||
        !entry["content"].is_string()) {
      throw TokenizerError(where + ": an \"added_tokens\" entry lacks an integer \"id\" or a string \"content\"");
    }
    const auto id = entry["id"].get<std::int64_t>();
    if (id < 0 || id >= (1LL << 30))
      throw TokenizerError(where + ": added token id " + std::to_string(id) + " is out of range");
    for (const char* flag : {"lstrip", "rstrip", "single_word"}) {
      if (entry.value(flag, false)) {
        throw TokenizerError(where + ": added token " + std::to_string(id) + " sets \"" + flag +
                             "\", which is not supported");
      }
    }
    tokens.push_back({static_cast<std::int32_t>(id), entry["content"].get<std::string>(), entry.value("special", false),
                      entry.value("normalized", !entry.value("special", false))});
  }
  return tokens;
}

// What Hugging Face's ByteLevel decoder yields for one token: the bytes its characters stand for, or the token's
// own UTF-8 when any character is outside the byte-level alphabet (e.g. "<｜User｜>").
std::string token_to_bytes(const std::string& token) {
  auto bytes = byte_level::decode(token);
  return bytes ? std::move(*bytes) : token;
}

}  // namespace

std::optional<Tokenizer> Tokenizer::load(const std::filesystem::path& dir) {
  const auto json_path = dir / "tokenizer.json";
  const auto config_path = dir / "tokenizer_config.json";
  std::error_code ec;
  const bool has_json = std::filesystem::exists(json_path, ec);
  const bool has_config = std::filesystem::exists(config_path, ec);
  if (!has_json && !has_config) return std::nullopt;
  if (!has_json) throw TokenizerError(json_path.string() + " is missing (its tokenizer_config.json is present)");
  if (!has_config) throw TokenizerError(config_path.string() + " is missing (its tokenizer.json is present)");
  return from_files(json_path, config_path);
}

Tokenizer Tokenizer::from_files(const std::filesystem::path& tokenizer_json, const std::filesystem::path& config_json) {
  const std::string json_text = read_file(tokenizer_json);
  const std::string config_text = config_json.empty() ? std::string() : read_file(config_json);
  return from_json_text(json_text, config_text, tokenizer_json.string(), config_json.string());
}

Tokenizer Tokenizer::from_json_text(std::string_view tokenizer_json, std::string_view config_json,
                                    const std::string& json_name, const std::string& config_name) {
  Tokenizer result;
  {
    TokenizerJson parsed = read_tokenizer_json(tokenizer_json, json_name);
    const nlohmann::json& root = parsed.rest;
    if (!root.is_object()) throw TokenizerError(json_name + " is not a JSON object");
    check_normalizer(root, json_name);
    check_decoder(root, json_name);
    result.pre_tokenizer_ = PreTokenizer::from_json(root.value("pre_tokenizer", nlohmann::json()), json_name);
    if (!result.pre_tokenizer_.byte_level()) {
      throw TokenizerError(json_name + ": the pre_tokenizer has no ByteLevel step; only byte-level BPE is supported");
    }
    if (!root.contains("model")) throw TokenizerError(json_name + ": \"model\" is missing");
    result.model_ = BpeModel::from_json(root["model"], std::move(parsed.tables), json_name);
    result.added_tokens_ = parse_added_tokens(root, json_name);
  }
  if (!config_json.empty()) result.config_ = TokenizerConfig::parse(config_json, config_name);

  // Per-id decode table: model tokens first, added tokens override (Hugging Face looks added tokens up first).
  std::int32_t limit = result.model_.id_limit();
  for (const auto& t : result.added_tokens_) limit = std::max(limit, t.id + 1);
  result.id_bytes_.assign(static_cast<std::size_t>(limit), std::string());
  result.id_known_.assign(static_cast<std::size_t>(limit), false);
  result.id_special_.assign(static_cast<std::size_t>(limit), false);
  for (std::int32_t id = 0; id < result.model_.id_limit(); ++id) {
    if (const std::string* token = result.model_.token(id)) {
      result.id_bytes_[static_cast<std::size_t>(id)] = token_to_bytes(*token);
      result.id_known_[static_cast<std::size_t>(id)] = true;
    }
  }
  for (const auto& t : result.added_tokens_) {
    result.id_bytes_[static_cast<std::size_t>(t.id)] = token_to_bytes(t.content);
    result.id_known_[static_cast<std::size_t>(t.id)] = true;
    result.id_special_[static_cast<std::size_t>(t.id)] = t.special;
  }
  result.added_matcher_ = AddedTokenMatcher(result.added_tokens_);

  const auto resolve = [&](const std::string& token, const char* key) -> std::optional<std::int32_t> {
    if (token.empty()) return std::nullopt;
    const auto id = result.token_id(token);
    if (!id) throw TokenizerError(config_name + ": its " + key + " \"" + token + "\" is not a token of " + json_name);
    return id;
  };
  result.bos_id_ = resolve(result.config_.bos_token, "bos_token");
  result.eos_id_ = resolve(result.config_.eos_token, "eos_token");
  return result;
}

std::optional<std::int32_t> Tokenizer::token_id(std::string_view token) const {
  for (const auto& t : added_tokens_) {
    if (t.content == token) return t.id;
  }
  const std::int32_t id = model_.id_of(token);
  if (id >= 0) return id;
  return std::nullopt;
}

bool Tokenizer::is_valid_id(std::int32_t id) const {
  return id >= 0 && id < vocab_size() && id_known_[static_cast<std::size_t>(id)];
}

bool Tokenizer::is_special(std::int32_t id) const {
  return is_valid_id(id) && id_special_[static_cast<std::size_t>(id)];
}

const std::string& Tokenizer::token_bytes(std::int32_t id) const {
  if (!is_valid_id(id)) {
    throw TokenizerError("token id " + std::to_string(id) + " is not in the vocabulary (ids 0.." +
                         std::to_string(vocab_size() - 1) + ")");
  }
  return id_bytes_[static_cast<std::size_t>(id)];
}

void Tokenizer::encode_plain(std::string_view text, std::vector<std::int32_t>& out) const {
  thread_local std::vector<std::string_view> pieces;
  thread_local std::vector<std::string_view> scratch;
  pre_tokenizer_.split(text, pieces, scratch);
  for (const auto piece : pieces) model_.encode_word(piece, out);
}

std::vector<std::string> Tokenizer::pre_tokenize(std::string_view text) const {
  std::vector<std::string_view> pieces;
  std::vector<std::string_view> scratch;
  pre_tokenizer_.split(text, pieces, scratch);
  return {pieces.begin(), pieces.end()};
}

void Tokenizer::encode(std::string_view text, std::vector<std::int32_t>& out) const {
  thread_local std::vector<Segment> segments;
  segments.clear();
  added_matcher_.split(text, segments);
  for (const auto& segment : segments) {
    if (segment.token_id >= 0) {
      out.push_back(segment.token_id);
    } else {
      encode_plain(segment.text, out);
    }
  }
}

std::vector<std::int32_t> Tokenizer::encode(std::string_view text) const {
  std::vector<std::int32_t> ids;
  ids.reserve(text.size() / 3 + 4);
  encode(text, ids);
  return ids;
}

std::string Tokenizer::decode_bytes(const std::vector<std::int32_t>& ids, bool skip_special_tokens) const {
  std::string out;
  for (const std::int32_t id : ids) {
    const std::string& bytes = token_bytes(id);
    if (skip_special_tokens && id_special_[static_cast<std::size_t>(id)]) continue;
    out += bytes;
  }
  return out;
}

std::string Tokenizer::decode(const std::vector<std::int32_t>& ids, bool skip_special_tokens) const {
  return utf8::to_valid_lossy(decode_bytes(ids, skip_special_tokens));
}

std::string StreamDecoder::push(std::int32_t id) {
  const std::string& bytes = tokenizer_->token_bytes(id);
  if (skip_special_ && tokenizer_->is_special(id)) return {};
  pending_ += bytes;
  std::string out;
  const std::size_t consumed = utf8::append_lossy(pending_, false, out);
  pending_.erase(0, consumed);
  return out;
}

std::string StreamDecoder::finish() {
  std::string out;
  utf8::append_lossy(pending_, true, out);
  pending_.clear();
  return out;
}

}  // namespace r1eval::engine::tokenizer
