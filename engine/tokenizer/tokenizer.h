// A Hugging Face tokenizer.json (byte-level BPE, as used by DeepSeek-V3/R1) plus the parts of tokenizer_config.json
// that r1eval needs (BOS/EOS strings, the chat template). Everything is read from the files at run time.
//
//   auto tok = Tokenizer::load("model_dir");          // nullopt when the directory has no tokenizer files
//   std::vector<int32_t> ids = tok->encode("1+1=");   // exactly the text: no BOS is added
//   std::string text = tok->decode(ids);              // Hugging Face decode (invalid UTF-8 -> U+FFFD)
//   tok->bos_id(), tok->eos_id(), tok->token_id("<think>")
//
// Thread safety: a loaded Tokenizer is immutable apart from an internal word cache guarded by a mutex, so
// encode/decode may be called from several threads at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tokenizer/added_tokens.h"
#include "engine/tokenizer/bpe_model.h"
#include "engine/tokenizer/pre_tokenizer.h"
#include "engine/tokenizer/tokenizer_config.h"

namespace r1eval::engine::tokenizer {

class Tokenizer {
 public:
  // Loads DIR/tokenizer.json and DIR/tokenizer_config.json. Returns nullopt when neither file exists (golden
  // checkpoints ship none); throws TokenizerError naming the file when one is missing, unreadable or damaged.
  static std::optional<Tokenizer> load(const std::filesystem::path& dir);
  // Loads from explicit files (config may be empty: no BOS/EOS/chat template then). Throws TokenizerError.
  static Tokenizer from_files(const std::filesystem::path& tokenizer_json, const std::filesystem::path& config_json);
  // Loads from the texts of the two files (config may be empty); the names are used in error messages.
  static Tokenizer from_json_text(std::string_view tokenizer_json, std::string_view config_json,
                                  const std::string& json_name, const std::string& config_name);

  // Token ids of exactly `text` (added tokens recognised, nothing prepended). Any bytes are accepted: invalid
  // UTF-8 is tokenised byte by byte, so decode_bytes(encode(x)) == x for every x.
  std::vector<std::int32_t> encode(std::string_view text) const;
  void encode(std::string_view text, std::vector<std::int32_t>& out) const;  // appends

  // The pre-tokenizer's pieces of plain text (no added-token matching); for tests and debugging.
  std::vector<std::string> pre_tokenize(std::string_view text) const;
  const PreTokenizer& pre_tokenizer() const { return pre_tokenizer_; }

  // Hugging Face's decode: the bytes of each token joined, then invalid UTF-8 replaced by U+FFFD. Throws
  // TokenizerError for an id that is not in the vocabulary.
  std::string decode(const std::vector<std::int32_t>& ids, bool skip_special_tokens = false) const;
  // The raw bytes of the tokens joined (may end inside a UTF-8 character).
  std::string decode_bytes(const std::vector<std::int32_t>& ids, bool skip_special_tokens = false) const;
  // The raw bytes of one token; throws TokenizerError for an unknown id.
  const std::string& token_bytes(std::int32_t id) const;

  // The id of a token given by its text (an added token's content, or a vocabulary token's byte-level spelling).
  std::optional<std::int32_t> token_id(std::string_view token) const;
  bool is_special(std::int32_t id) const;
  bool is_valid_id(std::int32_t id) const;
  // One past the largest token id (128815 for DeepSeek-V3); embedding rows beyond it are padding.
  std::int32_t vocab_size() const { return static_cast<std::int32_t>(id_bytes_.size()); }

  // BOS/EOS from tokenizer_config.json, resolved to ids by their strings. nullopt when the config names none.
  std::optional<std::int32_t> bos_id() const { return bos_id_; }
  std::optional<std::int32_t> eos_id() const { return eos_id_; }
  const TokenizerConfig& config() const { return config_; }

  Tokenizer(Tokenizer&&) noexcept = default;
  Tokenizer& operator=(Tokenizer&&) noexcept = default;

 private:
  Tokenizer() = default;

  void encode_plain(std::string_view text, std::vector<std::int32_t>& out) const;

  BpeModel model_;
  PreTokenizer pre_tokenizer_;
  AddedTokenMatcher added_matcher_;
  std::vector<std::string> id_bytes_;  // decoded bytes of every id ("" for holes in the id range)
  std::vector<bool> id_known_;
  std::vector<bool> id_special_;
  std::vector<AddedToken> added_tokens_;
  TokenizerConfig config_;
  std::optional<std::int32_t> bos_id_;
  std::optional<std::int32_t> eos_id_;
};

// Turns generated ids into text incrementally, never emitting part of a UTF-8 character: bytes of an unfinished
// character are held until the next token completes it. The concatenation of all push() results and finish()
// equals tokenizer.decode(all ids).
class StreamDecoder {
 public:
  explicit StreamDecoder(const Tokenizer& tokenizer, bool skip_special_tokens = false)
      : tokenizer_(&tokenizer), skip_special_(skip_special_tokens) {}

  // Returns the text that became complete with this token (possibly empty). Throws TokenizerError for a bad id.
  std::string push(std::int32_t id);
  // Flushes held bytes at the end of generation (an unfinished character becomes U+FFFD).
  std::string finish();
  // Bytes currently held back (0..3).
  std::size_t pending_bytes() const { return pending_.size(); }

 private:
  const Tokenizer* tokenizer_;
  bool skip_special_;
  std::string pending_;
};

}  // namespace r1eval::engine::tokenizer
