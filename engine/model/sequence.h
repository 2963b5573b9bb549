// One sequence's state: its tokens so far and its latent KV cache (MODEL.md §6).
#pragma once

#include <cstdint>
#include <vector>

namespace r1eval::engine::model {

// Per layer and position the cache holds kv_lora_rank normalized latent values followed by qk_rope_head_dim
// rotated rope-key values: 576 floats per token and layer for R1, versus 40960 for per-head keys and values.
class Sequence {
 public:
  Sequence(std::int64_t n_layers, std::int64_t entry_width);

  std::int64_t length() const { return length_; }
  std::int64_t entry_width() const { return entry_width_; }
  // Makes room for `tokens` positions in total (avoids growth during decoding).
  void reserve(std::int64_t tokens);
  // Forgets positions >= new_length (e.g. to re-run a suffix).
  void truncate(std::int64_t new_length);

  // Used by the model during a step: append happens once per step, before any layer writes its entries.
  void extend(std::int64_t tokens);
  float* entry(std::int64_t layer, std::int64_t pos) { return &cache_[layer][pos * entry_width_]; }
  const float* entry(std::int64_t layer, std::int64_t pos) const { return &cache_[layer][pos * entry_width_]; }

 private:
  std::int64_t entry_width_;
  std::int64_t length_ = 0;
  std::vector<std::vector<float>> cache_;
};

}  // namespace r1eval::engine::model
