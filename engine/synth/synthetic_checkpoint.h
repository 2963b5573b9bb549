// Writes a deterministic synthetic checkpoint in the Hugging Face layout of deepseek-ai/DeepSeek-R1:
// config.json, generation_config.json, model-0000K-of-0000N.safetensors shards, model.safetensors.index.json,
// and (when available) the bundled tokenizer files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/synth/presets.h"
#include "engine/weights/config.h"

namespace r1eval::engine::synth {

struct SynthOptions {
  bool force = false;  // write into a non-empty directory (replacing earlier shards)
  // Where tokenizer.json and tokenizer_config.json come from; when unset, common::default_tokenizer_dir() is tried and
  // the checkpoint is written without a tokenizer if it has none.
  std::optional<std::filesystem::path> tokenizer_dir;
  std::uint64_t max_shard_bytes = 0;  // 0: about a fifth of the checkpoint per shard
  bool durable = true;                // fsync every file before renaming it into place
  // With an FP8 configuration, store the LM heads (lm_head and the MTP shared_head.head) as F8_E4M3 too. DeepSeek's
  // release keeps them BF16, and at the small preset the BF16 head is 265 of the 374 MB a decoded token reads; all
  // in FP8 a token reads ~0.24 GB, the figure issue 2's decode roofline assumes.
  bool fp8_heads = false;
};

struct SynthSummary {
  std::size_t tensors = 0;  // stored tensors, scale_inv included
  std::size_t shards = 0;
  std::uint64_t tensor_bytes = 0;
  std::optional<std::filesystem::path> tokenizer_from;  // unset when no tokenizer was copied
};

// Same (config, seed) -> byte-identical files. FP8 when config.fp8_block_size is set: quantizable weights as
// F8_E4M3 with F32 weight_scale_inv (amax/448 per block), with model.layers.1.self_attn.kv_b_proj.weight and its
// scale forced into different shards as in the real release. Throws std::exception with one sentence on error
// (non-empty directory without force, unwritable directory, a tokenizer directory without tokenizer.json).
SynthSummary write_synthetic_checkpoint(const weights::ModelConfig& config, std::uint64_t seed,
                                        const std::filesystem::path& out_dir, const SynthOptions& options = {});
SynthSummary write_synthetic_checkpoint(Preset preset, std::uint64_t seed, bool fp8,
                                        const std::filesystem::path& out_dir, const SynthOptions& options = {});

}  // namespace r1eval::engine::synth
