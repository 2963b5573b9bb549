// Hugging Face "BPE" model over the byte-level alphabet: vocabulary, merges ranked by their order in the file,
// and the merge loop of tokenizers' Word::merge_all (lowest rank first, leftmost on ties) with a word cache.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "engine/tokenizer/tokenizer_json_reader.h"

namespace r1eval::engine::tokenizer {

class BpeModel {
 public:
  // `model` is tokenizer.json's "model" object without its vocab and merges, which come in `tables`
  // (see tokenizer_json_reader.h); `where` names the file for error messages.
  static BpeModel from_json(const nlohmann::json& model, BpeTables tables, const std::string& where);

  BpeModel() = default;
  BpeModel(BpeModel&& other) noexcept;
  BpeModel& operator=(BpeModel&& other) noexcept;

  // Appends the ids of one pre-tokenized word given as raw bytes (the byte-level mapping is implied).
  void encode_word(std::string_view word, std::vector<std::int32_t>& out) const;

  // The vocabulary token (byte-level spelling) of an id, or nullptr outside the model vocabulary.
  const std::string* token(std::int32_t id) const;
  // The id of a vocabulary token (byte-level spelling), or -1.
  std::int32_t id_of(std::string_view token) const;
  // One past the largest model id.
  std::int32_t id_limit() const { return static_cast<std::int32_t>(id_to_token_.size()); }

 private:
  struct MergeEntry {
    std::uint64_t key = 0;   // (left id << 32) | right id; 0 marks an empty slot since id 0 never merges with 0
    std::int32_t rank = -1;  // position in the merges list
    std::int32_t new_id = -1;
  };

  static std::uint64_t pair_key(std::int32_t left, std::int32_t right) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) | static_cast<std::uint32_t>(right);
  }
  const MergeEntry* find_merge(std::int32_t left, std::int32_t right) const;
  void add_merge(std::int32_t left, std::int32_t right, std::int32_t rank, std::int32_t new_id);
  void merge_word(std::string_view word, std::vector<std::int32_t>& out) const;

  // Lookups by string_view without building a std::string (C++20 heterogeneous lookup).
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> id_to_token_;
  std::unordered_map<std::string, std::int32_t, StringHash, std::equal_to<>> token_to_id_;
  std::vector<MergeEntry> merge_table_;  // open addressing, power-of-two size
  std::uint64_t merge_mask_ = 0;
  std::int32_t byte_ids_[256] = {};      // id of the one-character token of each byte, -1 if absent

  // Cache of whole words -> ids (words repeat a lot in real text). Bounded; guarded for concurrent encoders.
  static constexpr std::size_t kCacheCapacity = 200000;
  static constexpr std::size_t kMaxCachedWordBytes = 64;
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<std::int32_t>> cache_;
};

}  // namespace r1eval::engine::tokenizer
