#include "engine/synth/synthetic_checkpoint.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <span>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/repo_paths.h"
#include "engine/synth/tensor_values.h"
#include "engine/weights/dtype.h"
#include "engine/weights/fp8_blocks.h"
#include "engine/weights/inventory.h"
#include "engine/weights/safetensors_writer.h"

namespace r1eval::engine::synth {
namespace {

namespace fs = std::filesystem;
using weights::DType;
using weights::ExpectedTensor;
using weights::TensorSpec;

// The weight whose scale the real release stores in another shard; the generator reproduces that split.
constexpr const char* kSplitScale = "model.layers.1.self_attn.kv_b_proj.weight_scale_inv";
// Elements generated at a time: bounds memory for the 129280-row embeddings of large presets.
constexpr std::int64_t kChunkElements = std::int64_t{1} << 22;
// Below this many elements a parallel region costs more than it saves (most tensors of small models).
constexpr std::int64_t kParallelMinimum = std::int64_t{1} << 16;

struct StoredTensor {
  ExpectedTensor source;  // the logical tensor the values come from
  TensorSpec spec;        // what is stored: the weight itself, or (is_scale) its scale_inv grid
  bool is_scale = false;
};

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

bool is_router_bias(const std::string& name) {
  return name.size() >= 23 && name.compare(name.size() - 23, 23, "e_score_correction_bias") == 0;
}

bool stored_as_fp8(const ExpectedTensor& tensor, const weights::ModelConfig& config, const SynthOptions& options) {
  if (!config.fp8_block_size) return false;
  return tensor.fp8 == weights::Fp8Storage::Released ||
         (tensor.fp8 == weights::Fp8Storage::Optional && options.fp8_heads);
}

std::vector<StoredTensor> plan_tensors(const weights::ModelConfig& config, const SynthOptions& options) {
  std::vector<StoredTensor> stored;
  for (const auto& tensor : weights::expected_tensors(config)) {
    if (stored_as_fp8(tensor, config, options)) {
      const std::int64_t block = *config.fp8_block_size;
      stored.push_back({tensor, {tensor.name, DType::F8_E4M3, tensor.shape}, false});
      stored.push_back({tensor,
                        {tensor.name + "_scale_inv", DType::F32,
                         {ceil_div(tensor.shape[0], block), ceil_div(tensor.shape[1], block)}},
                        true});
    } else {
      stored.push_back({tensor, {tensor.name, is_router_bias(tensor.name) ? DType::F32 : DType::BF16, tensor.shape},
                        false});
    }
  }
  return stored;
}

// Greedy split in inventory order: a new shard starts when the next tensor would pass the budget, and before
// kSplitScale when its weight sits in the current shard.
std::vector<std::vector<std::size_t>> assign_shards(const std::vector<StoredTensor>& stored, std::uint64_t budget) {
  std::vector<std::vector<std::size_t>> shards(1);
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    const std::uint64_t size = stored[i].spec.nbytes();
    const bool over_budget = bytes + size > budget;
    const bool forced = stored[i].spec.name == kSplitScale;
    if (!shards.back().empty() && (over_budget || forced)) {
      shards.emplace_back();
      bytes = 0;
    }
    shards.back().push_back(i);
    bytes += size;
  }
  return shards;
}

void prepare_output_dir(const fs::path& out_dir, bool force) {
  std::error_code error;
  if (fs::exists(out_dir, error)) {
    if (!fs::is_directory(out_dir, error)) {
      throw std::runtime_error(fmt::format("{} exists and is not a directory.", out_dir.string()));
    }
    if (!fs::is_empty(out_dir, error)) {
      if (!force) {
        throw std::runtime_error(fmt::format("{} is not empty; pass --force to write the checkpoint into it anyway.",
                                             out_dir.string()));
      }
      // Shards of an earlier, differently sized checkpoint would linger beside the new index.
      for (const auto& entry : fs::directory_iterator(out_dir)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("model", 0) == 0 && (entry.path().extension() == ".safetensors" || name.ends_with(".tmp"))) {
          fs::remove(entry.path());
        }
      }
    }
    return;
  }
  fs::create_directories(out_dir, error);
  if (error)
    throw std::runtime_error(fmt::format("{}: cannot create the directory ({}).", out_dir.string(), error.message()));
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read the file.", path.string()));
  return text.str();
}

// Streams the stored tensors of one shard, generating values chunk by chunk.
class ShardWriter {
 public:
  ShardWriter(const weights::ModelConfig& config, std::uint64_t seed, std::map<std::string, std::vector<float>>& scales)
      : config_(config), seed_(seed), scales_(scales) {}

  void write(const StoredTensor& tensor, weights::SafetensorsWriter& out) {
    if (tensor.is_scale) {
      // The weight was written first (in this shard or an earlier one) and left its scale grid here.
      const auto node = scales_.extract(tensor.source.name);
      out.write_next(std::as_bytes(std::span<const float>(node.mapped())));
      return;
    }
    const auto& shape = tensor.source.shape;
    const std::int64_t cols = shape.size() >= 2 ? shape[1] : (shape.empty() ? 1 : shape[0]);
    const std::int64_t rows = shape.size() >= 2 ? shape[0] : 1;
    if (tensor.spec.dtype == DType::F8_E4M3) {
      write_fp8(tensor, rows, cols, out);
    } else {
      write_plain(tensor, rows, cols, out);
    }
  }

 private:
  std::int64_t rows_per_chunk(std::int64_t cols, std::int64_t multiple) const {
    const std::int64_t rows = std::max<std::int64_t>(1, kChunkElements / std::max<std::int64_t>(cols, 1));
    return std::max(multiple, rows / multiple * multiple);
  }

  void write_plain(const StoredTensor& tensor, std::int64_t rows, std::int64_t cols, weights::SafetensorsWriter& out) {
    const bool as_f32 = tensor.spec.dtype == DType::F32;
    std::vector<std::byte> bytes(static_cast<std::size_t>(tensor.spec.nbytes()));
    const std::int64_t step = rows_per_chunk(cols, 1);
    for (std::int64_t r0 = 0; r0 < rows; r0 += step) {
      const std::int64_t count = std::min(step, rows - r0) * cols;
      values_.resize(static_cast<std::size_t>(count));
      const auto first = static_cast<std::uint64_t>(r0 * cols);
      fill_tensor_values(tensor.source, seed_, first, values_);
      if (as_f32) {
        std::memcpy(bytes.data() + first * 4, values_.data(), static_cast<std::size_t>(count) * 4);
        continue;
      }
#pragma omp parallel for schedule(static) if (count >= kParallelMinimum)
      for (std::int64_t i = 0; i < count; ++i) {
        const std::uint16_t bits = weights::f32_to_bf16(values_[static_cast<std::size_t>(i)]);
        std::memcpy(bytes.data() + (first + static_cast<std::uint64_t>(i)) * 2, &bits, 2);  // little-endian host
      }
    }
    out.write_next(bytes);
  }

  void write_fp8(const StoredTensor& tensor, std::int64_t rows, std::int64_t cols, weights::SafetensorsWriter& out) {
    const std::int64_t block = *config_.fp8_block_size;
    const std::int64_t grid_cols = ceil_div(cols, block);
    std::vector<std::uint8_t> codes(static_cast<std::size_t>(rows * cols));
    std::vector<float> scales(static_cast<std::size_t>(ceil_div(rows, block) * grid_cols));
    const std::int64_t step = rows_per_chunk(cols, block);  // whole block rows per chunk
    for (std::int64_t r0 = 0; r0 < rows; r0 += step) {
      const std::int64_t chunk_rows = std::min(step, rows - r0);
      values_.resize(static_cast<std::size_t>(chunk_rows * cols));
      fill_tensor_values(tensor.source, seed_, static_cast<std::uint64_t>(r0 * cols), values_);
      const std::int64_t block_rows = ceil_div(chunk_rows, block);
#pragma omp parallel for schedule(static) if (block_rows > 1 && chunk_rows * cols >= kParallelMinimum)
      for (std::int64_t b = 0; b < block_rows; ++b) {
        const std::int64_t local_row = b * block;
        const std::int64_t height = std::min(block, chunk_rows - local_row);
        const auto begin = static_cast<std::size_t>(local_row * cols);
        const auto size = static_cast<std::size_t>(height * cols);
        const auto grid_row = static_cast<std::size_t>((r0 + local_row) / block * grid_cols);
        weights::quantize_fp8_blocks(
            std::span<const float>(values_).subspan(begin, size), height, cols, block,
            std::span<std::uint8_t>(codes).subspan(static_cast<std::size_t>(r0 * cols) + begin, size),
            std::span<float>(scales).subspan(grid_row, static_cast<std::size_t>(grid_cols)));
      }
    }
    out.write_next(std::as_bytes(std::span<const std::uint8_t>(codes)));
    scales_[tensor.source.name] = std::move(scales);
  }

  const weights::ModelConfig& config_;
  std::uint64_t seed_;
  std::map<std::string, std::vector<float>>& scales_;
  std::vector<float> values_;
};

std::string readme_text(const weights::ModelConfig& config, std::uint64_t seed, const std::string& shape_name,
                        const SynthOptions& options) {
  const char* storage = !config.fp8_block_size ? "BF16"
                        : options.fp8_heads    ? "FP8 e4m3 128x128 blocks, the LM heads too"
                                               : "FP8 e4m3 128x128 blocks";
  return fmt::format(
      "# Synthetic DeepSeek-V3-architecture checkpoint\n\n"
      "Random weights ({}, seed {}, {}). Generated by `r1eval synth-model`; same file layout as "
      "deepseek-ai/DeepSeek-R1.\nNot a trained model.\n",
      shape_name, seed, storage);
}

SynthSummary write_checkpoint(const weights::ModelConfig& config, std::uint64_t seed, const fs::path& out_dir,
                              const SynthOptions& options, const std::string& shape_name) {
  // Resolve the tokenizer first, so a bad --tokenizer-dir fails before gigabytes are written.
  std::optional<fs::path> tokenizer_dir;
  if (options.tokenizer_dir) {
    if (!fs::is_regular_file(*options.tokenizer_dir / "tokenizer.json")) {
      throw std::runtime_error(fmt::format("{}: there is no tokenizer.json in the tokenizer directory.",
                                           options.tokenizer_dir->string()));
    }
    tokenizer_dir = options.tokenizer_dir;
  } else if (fs::is_regular_file(common::default_tokenizer_dir() / "tokenizer.json")) {
    tokenizer_dir = common::default_tokenizer_dir();
  }
  prepare_output_dir(out_dir, options.force);

  const auto stored = plan_tensors(config, options);
  std::uint64_t total = 0;
  for (const auto& tensor : stored) total += tensor.spec.nbytes();
  const std::uint64_t budget =
      options.max_shard_bytes != 0 ? options.max_shard_bytes : std::max<std::uint64_t>(total / 5, 1);
  const auto shards = assign_shards(stored, budget);

  weights::write_file_atomically(out_dir / "config.json", model_config_to_json(config).dump(2) + "\n",
                                options.durable);
  nlohmann::ordered_json generation = {{"_from_model_config", true}, {"bos_token_id", config.bos_token_id},
                                       {"eos_token_id", config.eos_token_id}, {"do_sample", true},
                                       {"temperature", 0.6}, {"top_p", 0.95},
                                       {"transformers_version", "4.46.3"}};
  weights::write_file_atomically(out_dir / "generation_config.json", generation.dump(2) + "\n", options.durable);
  weights::write_file_atomically(out_dir / "README.md", readme_text(config, seed, shape_name, options),
                                 options.durable);

  std::map<std::string, std::vector<float>> pending_scales;
  ShardWriter generator(config, seed, pending_scales);
  nlohmann::ordered_json weight_map = nlohmann::ordered_json::object();
  for (std::size_t s = 0; s < shards.size(); ++s) {
    const std::string file = fmt::format("model-{:05d}-of-{:06d}.safetensors", s + 1, shards.size());
    std::vector<TensorSpec> specs;
    for (const std::size_t i : shards[s]) specs.push_back(stored[i].spec);
    weights::SafetensorsWriter out(out_dir / file, specs, {{"format", "pt"}}, options.durable);
    for (const std::size_t i : shards[s]) {
      generator.write(stored[i], out);
      weight_map[stored[i].spec.name] = file;
    }
    out.finish();
  }
  // The index goes last: until it exists the directory is visibly not a checkpoint.
  const nlohmann::ordered_json index = {{"metadata", {{"total_size", total}}}, {"weight_map", weight_map}};
  weights::write_file_atomically(out_dir / "model.safetensors.index.json", index.dump(2) + "\n", options.durable);

  if (tokenizer_dir) {
    for (const char* name : {"tokenizer.json", "tokenizer_config.json"}) {
      if (fs::is_regular_file(*tokenizer_dir / name)) {
        weights::write_file_atomically(out_dir / name, read_file(*tokenizer_dir / name), options.durable);
      }
    }
  }
  return SynthSummary{stored.size(), shards.size(), total, tokenizer_dir};
}

}  // namespace

SynthSummary write_synthetic_checkpoint(const weights::ModelConfig& config, std::uint64_t seed,
                                        const fs::path& out_dir, const SynthOptions& options) {
  return write_checkpoint(config, seed, out_dir, options, "custom shape");
}

SynthSummary write_synthetic_checkpoint(Preset preset, std::uint64_t seed, bool fp8, const fs::path& out_dir,
                                        const SynthOptions& options) {
  return write_checkpoint(preset_config(preset, fp8), seed, out_dir, options,
                          fmt::format("preset `{}`", preset_name(preset)));
}

}  // namespace r1eval::engine::synth
