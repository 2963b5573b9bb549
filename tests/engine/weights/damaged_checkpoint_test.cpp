// Damaged model directories: each case copies a golden checkpoint, breaks one thing, and expects a LoadError
// whose one sentence names the file and the tensor or key.
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/weights/checkpoint.h"
#include "engine/weights/config.h"
#include "engine/weights/inventory.h"
#include "engine/weights/load_error.h"
#include "tests/engine/weights/test_files.h"

namespace r1eval::engine::weights {
namespace {

namespace fs = std::filesystem;

// Loads like the engine does (config, shards, inventory) and returns the LoadError message, or "" if accepted.
std::string load_error(const fs::path& dir) {
  try {
    const ModelConfig config = load_model_config(dir);
    const Checkpoint checkpoint = Checkpoint::open(dir);
    validate_checkpoint(config, checkpoint);
  } catch (const LoadError& e) {
    return e.what();
  }
  return "";
}

// One sentence: a single line ending in a period.
void expect_one_sentence(const std::string& message) {
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  ASSERT_FALSE(message.empty());
  EXPECT_EQ(message.back(), '.') << message;
}

void expect_mentions(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << "message: " << message << "\nmissing: " << part;
}

// The shard holding `tensor`, rewritten after `edit` changed its parsed header.
template <typename Edit>
fs::path edit_header(const fs::path& dir, const std::string& tensor, Edit edit) {
  const fs::path shard = test::shard_of(dir, tensor);
  test::RawShard raw = test::read_shard(shard);
  edit(raw.header);
  test::write_shard(shard, raw);
  return shard;
}

constexpr const char* kEmbed = "model.embed_tokens.weight";

TEST(DamagedCheckpoint, GoldenCopyLoads) { EXPECT_EQ(load_error(test::copy_golden_checkpoint("tiny-fp8")), ""); }

TEST(DamagedCheckpoint, TruncatedShard) {
  const auto dir = test::copy_golden_checkpoint("tiny-fp8");
  const auto shard = test::shard_of(dir, "lm_head.weight");
  fs::resize_file(shard, fs::file_size(shard) - 1000);
  const std::string message = load_error(dir);
  expect_one_sentence(message);
  expect_mentions(message, shard.string());
  expect_mentions(message, "truncated");
}

TEST(DamagedCheckpoint, ShardCutInsideItsHeader) {
  const auto dir = test::copy_golden_checkpoint("tiny-bf16");
  const auto shard = test::shard_of(dir, kEmbed);
  fs::resize_file(shard, 100);
  const std::string message = load_error(dir);
  expect_one_sentence(message);
  expect_mentions(message, shard.string() + ": the header length");
  expect_mentions(message, "runs past the end of the 100-byte file");
}

TEST(DamagedCheckpoint, HeaderLengthPastTheFileEnd) {
  const auto dir = test::copy_golden_checkpoint("tiny-fp8");
  const auto shard = test::shard_of(dir, kEmbed);
  std::string bytes = test::read_bytes(shard);
  const std::uint64_t length = bytes.size();  // one full file more than there is
  for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<char>((length >> (8 * i)) & 0xFF);
  test::write_bytes(shard, bytes);
  const std::string message = load_error(dir);
  expect_one_sentence(message);
  expect_mentions(message, shard.string() + ": the header length " + std::to_string(length) + " runs past the end");
}

TEST(DamagedCheckpoint, NonJsonHeader) {
  const auto dir = test::copy_golden_checkpoint("tiny-fp8");
  const auto shard = test::shard_of(dir, kEmbed);
  std::string bytes = test::read_bytes(shard);
  bytes[8 + 40] = '\x01';  // a control byte inside the JSON text
  test::write_bytes(shard, bytes);
  std::string message = load_error(dir);
  expect_one_sentence(message);
  expect_mentions(message, shard.string() + " (safetensors header): invalid JSON");

  bytes[8] = 'x';  // not even an object
  test::write_bytes(shard, bytes);
  message = load_error(dir);
  expect_mentions(message, shard.string() + ": the safetensors header does not start with '{'.");
}

TEST(DamagedCheckpoint, OffsetsOutOfBounds) {
  const auto dir = test::copy_golden_checkpoint("tiny-bf16");
  const auto shard = edit_header(dir, kEmbed, [](auto& header) {
    // Move the last tensor's bytes past the data section, keeping its size right.
    std::string last;
    std::uint64_t last_end = 0;
    for (auto& [name, entry] : header.items()) {
      if (name != "__metadata__" && entry["data_offsets"][1].template get<std::uint64_t>() > last_end) {
        last = name;
        last_end = entry["data_offsets"][1].template get<std::uint64_t>();
      }
    }
    auto& offsets = header[last]["data_offsets"];
    offsets = {offsets[0].template get<std::uint64_t>() + 64, last_end + 64};
  });
  const std::string message = load_error(dir);
  expect_one_sentence(message);
  expect_mentions(message, shard.string() + ": tensor \"");
  expect_mentions(message, "past the end of the");
}

TEST(DamagedCheckpoint, OverlappingOffsets) {
  const auto dir = test::copy_golden_checkpoint("tiny-fp8");
  const std::string norm = "model.layers.0.input_layernorm.weight";  // follows the embedding in shard 1
  const auto shard = edit_header(dir, norm, [&](auto& header) {
    auto& offsets = header[norm]["data_offsets"];
    const auto begin = offsets[0].template get<std::uint64_t>() - 2;
    offsets = {begin, begin + 128};
  });
  const std::string message = load_error(dir);
  expect_one_sentence(message);
  expect_mentions(message, shard.string() + ": tensor \"" + norm +
                               "\" (data_offsets [131070, 131198]) overlaps tensor \"" + kEmbed + "\"");
}

TEST(DamagedCheckpoint, ShapeDisagreesWithBytes) {
  const auto dir = test::copy_golden_checkpoint("tiny-fp8");
  const auto shard = edit_header(dir, kEmbed, [](auto& header) { header[kEmbed]["shape"] = {1024, 32}; });
  const std::string message = load_error(dir);
  expect_one_sentence(message);
  EXPECT_EQ(message,
            shard.string() + ": tensor \"" + kEmbed +
                "\" has shape [1024, 32] of BF16 (65536 bytes) but data_offsets [0, 131072] hold 131072 bytes.");
}

TEST(DamagedCheckpoint, UnknownDtype) {
  const auto dir = test::copy_golden_checkpoint("tiny-fp8");
  const std::string tensor = "model.layers.1.self_attn.kv_b_proj.weight";
  const auto shard = edit_header(dir, tensor, [&](auto& header) { header[tensor]["dtype"] = "Q4_K"; });
  const std::string message = load_error(dir);
  expect_one_sentence(message);
  EXPECT_EQ(message, shard.string() + ": tensor \"" + tensor +
                         "\" has the unsupported dtype \"Q4_K\" (supported: BF16, F16, F32, F8_E4M3).");
}

TEST(DamagedCheckpoint, DuplicateTensorNameInAHeader) {
  const auto dir = test::copy_golden_checkpoint("tiny-bf16");
  const auto shard = test::shard_of(dir, kEmbed);
  const test::RawShard raw = test::read_shard(shard);
  // A second "model.embed_tokens.weight" key right after the opening brace.
  const std::string duplicate = fmt::format("\"{}\":{},", kEmbed, raw.header[kEmbed].dump());
  const std::string text = fmt::format("{{{}{}", duplicate, raw.header.dump().substr(1));
  test::write_shard(shard, text, raw.data);
  const std::string message = load_error(dir);
  expect_one_sentence(message);
  EXPECT_EQ(message, shard.string() + " (safetensors header): JSON object has the key \"" + kEmbed + "\" twice.");
}

TEST(DamagedCheckpoint, RequiredTensorAbsent) {
  const auto dir = test::copy_golden_checkpoint("tiny-fp8");
  const std::string tensor = "model.layers.2.mlp.experts.5.up_proj.weight";
  const std::string renamed = "model.layers.2.mlp.experts.5.up_proj.weight_renamed";
  edit_header(dir, tensor, [&](auto& header) {
    header[renamed] = header[tensor];
    header.erase(tensor);
  });
  auto index = nlohmann::json::parse(test::read_bytes(dir / "model.safetensors.index.json"));
  index["weight_map"][renamed] = index["weight_map"][tensor];
  index["weight_map"].erase(tensor);
  test::write_bytes(dir / "model.safetensors.index.json", index.dump());
  const std::string message = load_error(dir);
  expect_one_sentence(message);
  EXPECT_EQ(message,
            dir.string() + ": tensor \"" + tensor + "\" required by config.json is missing from the checkpoint.");
}

TEST(DamagedCheckpoint, TensorListedInTheWrongShard) {
  const auto dir = test::copy_golden_checkpoint("tiny-bf16");
  auto index = nlohmann::json::parse(test::read_bytes(dir / "model.safetensors.index.json"));
  const std::string wrong = index["weight_map"]["lm_head.weight"] == "model-00001-of-000007.safetensors"
                                ? "model-00002-of-000007.safetensors"
                                : "model-00001-of-000007.safetensors";
  index["weight_map"]["lm_head.weight"] = wrong;
  test::write_bytes(dir / "model.safetensors.index.json", index.dump());
  const std::string message = load_error(dir);
  expect_one_sentence(message);
  EXPECT_EQ(message, (dir / "model.safetensors.index.json").string() +
                         ": tensor \"lm_head.weight\" is listed in " + wrong + " but that shard does not contain it.");
}

TEST(DamagedCheckpoint, ShardFileMissing) {
  const auto dir = test::copy_golden_checkpoint("tiny-fp8");
  fs::remove(dir / "model-00003-of-000005.safetensors");
  const std::string message = load_error(dir);
  expect_one_sentence(message);
  expect_mentions(message, (dir / "model.safetensors.index.json").string() +
                               ": the shard file \"model-00003-of-000005.safetensors\" (listed for tensor \"");
  expect_mentions(message, "does not exist.");
}

TEST(DamagedCheckpoint, IndexWithUnsafeOrInvalidShardNames) {
  for (const std::string bad : {"../model-00001-of-000005.safetensors", "/etc/passwd", "sub/dir.safetensors", ""}) {
    const auto dir = test::copy_golden_checkpoint("tiny-fp8");
    auto index = nlohmann::json::parse(test::read_bytes(dir / "model.safetensors.index.json"));
    index["weight_map"]["model.norm.weight"] = bad;
    test::write_bytes(dir / "model.safetensors.index.json", index.dump());
    const std::string message = load_error(dir);
    expect_one_sentence(message);
    EXPECT_EQ(message, (dir / "model.safetensors.index.json").string() +
                           ": tensor \"model.norm.weight\" is mapped to the file name \"" + bad +
                           "\", which is not a plain file name in the model directory.");
  }
}

TEST(DamagedCheckpoint, IndexNotJsonOrWithoutWeightMap) {
  const auto dir = test::copy_golden_checkpoint("tiny-fp8");
  const auto index_path = dir / "model.safetensors.index.json";
  test::write_bytes(index_path, "{\"weight_map\": {\"a\": ");
  std::string message = load_error(dir);
  expect_one_sentence(message);
  expect_mentions(message, index_path.string() + ": invalid JSON (");

  test::write_bytes(index_path, R"({"metadata": {}})");
  EXPECT_EQ(load_error(dir), index_path.string() + ": the index has no \"weight_map\" object.");
  test::write_bytes(index_path, R"({"weight_map": {"a": "x.safetensors", "a": "y.safetensors"}})");
  EXPECT_EQ(load_error(dir), index_path.string() + ": JSON object has the key \"a\" twice.");
  test::write_bytes(index_path, R"({"weight_map": {"a": 3}})");
  EXPECT_EQ(load_error(dir), index_path.string() + ": tensor \"a\" is mapped to 3, not to a file name.");
}

TEST(DamagedCheckpoint, TensorStoredInTwoShards) {
  const auto dir = test::copy_golden_checkpoint("tiny-bf16");
  // Give the last shard a second copy of the final norm (it has room: rewrite with the bytes appended).
  const auto norm_shard = test::shard_of(dir, "model.norm.weight");
  const auto other = test::shard_of(dir, kEmbed);
  ASSERT_NE(norm_shard, other);
  test::RawShard raw = test::read_shard(other);
  const auto size = raw.data.size();
  raw.header["model.norm.weight"] = {{"dtype", "BF16"}, {"shape", {64}}, {"data_offsets", {size, size + 128}}};
  raw.data += std::string(128, '\0');
  test::write_shard(other, raw);
  const std::string message = load_error(dir);
  expect_one_sentence(message);
  expect_mentions(message, ": tensor \"model.norm.weight\" is also stored in ");
}

TEST(DamagedCheckpoint, ConfigMissingAKey) {
  const auto dir = test::copy_golden_checkpoint("tiny-fp8");
  auto config = nlohmann::json::parse(test::read_bytes(dir / "config.json"));
  config.erase("kv_lora_rank");
  test::write_bytes(dir / "config.json", config.dump(2));
  EXPECT_EQ(load_error(dir), (dir / "config.json").string() + ": key \"kv_lora_rank\" is missing.");
}

TEST(DamagedCheckpoint, ZeroExpertsPerToken) {
  const auto dir = test::copy_golden_checkpoint("tiny-bf16");
  auto config = nlohmann::json::parse(test::read_bytes(dir / "config.json"));
  config["num_experts_per_tok"] = 0;
  test::write_bytes(dir / "config.json", config.dump(2));
  EXPECT_EQ(load_error(dir),
            (dir / "config.json").string() + ": key \"num_experts_per_tok\" is 0; it must be between 1 and 8.");
}

TEST(DamagedCheckpoint, ConfigDisagreesWithTensorShapes) {
  struct Change {
    const char* key;
    int value;
    const char* tensor;
    const char* shapes;
  };
  for (const Change& change : {
           Change{"kv_lora_rank", 16, "model.layers.0.self_attn.kv_a_proj_with_mqa.weight",
                  "has shape [40, 64] but config.json implies [24, 64]."},
           Change{"n_routed_experts", 8, "model.layers.1.mlp.gate.weight",
                  "has shape [16, 64] but config.json implies [8, 64]."},
           Change{"hidden_size", 96, kEmbed, "has shape [1024, 64] but config.json implies [1024, 96]."},
       }) {
    const auto dir = test::copy_golden_checkpoint("tiny-fp8");
    auto config = nlohmann::json::parse(test::read_bytes(dir / "config.json"));
    config[change.key] = change.value;
    test::write_bytes(dir / "config.json", config.dump(2));
    const std::string message = load_error(dir);
    expect_one_sentence(message);
    EXPECT_EQ(message, test::shard_of(dir, change.tensor).filename().string() + ": tensor \"" + change.tensor + "\" " +
                           change.shapes)
        << change.key;
  }
}

TEST(DamagedCheckpoint, Fp8WeightWithAWrongOrMissingScale) {
  const auto dir = test::copy_golden_checkpoint("tiny-fp8");
  const std::string scale = "model.layers.0.mlp.down_proj.weight_scale_inv";
  const auto shard = edit_header(dir, scale, [&](auto& header) { header[scale]["shape"] = {3, 1}; });
  EXPECT_EQ(load_error(dir), shard.filename().string() + ": tensor \"" + scale +
                                 "\" is F32 [3, 1] but must be F32 [1, 3] (one scale per 128x128 block).");

  const auto bf16_config_dir = test::copy_golden_checkpoint("tiny-fp8");
  auto config = nlohmann::json::parse(test::read_bytes(bf16_config_dir / "config.json"));
  config.erase("quantization_config");
  test::write_bytes(bf16_config_dir / "config.json", config.dump(2));
  const std::string message = load_error(bf16_config_dir);
  expect_one_sentence(message);
  expect_mentions(message, "is F8_E4M3 but config.json has no quantization_config.");
}

// Only linear-layer weights and the LM heads may be F8_E4M3; the router weight (a BF16 [16, 64] here) may not.
TEST(DamagedCheckpoint, Fp8WhereDeepSeekNeverQuantizes) {
  const auto dir = test::copy_golden_checkpoint("tiny-fp8");
  const std::string router = "model.layers.1.mlp.gate.weight";
  const fs::path shard = test::shard_of(dir, router);
  test::RawShard raw = test::read_shard(shard);
  auto& entry = raw.header[router];
  const auto begin = entry["data_offsets"][0].get<std::uint64_t>();
  const auto end = entry["data_offsets"][1].get<std::uint64_t>();
  const std::uint64_t half = (end - begin) / 2;  // one byte per element instead of two
  entry["dtype"] = "F8_E4M3";
  entry["data_offsets"] = {begin, begin + half};
  for (auto& [name, other] : raw.header.items()) {
    if (name == "__metadata__" || other["data_offsets"][0].get<std::uint64_t>() < end) continue;
    other["data_offsets"] = {other["data_offsets"][0].get<std::uint64_t>() - half,
                             other["data_offsets"][1].get<std::uint64_t>() - half};
  }
  raw.data.erase(begin + half, half);
  test::write_shard(shard, raw);
  EXPECT_EQ(load_error(dir), shard.filename().string() + ": tensor \"" + router +
                                 "\" is F8_E4M3 but this tensor is never quantized in DeepSeek-V3.");
}

TEST(DamagedCheckpoint, MissingOrWrongDirectory) {
  const auto scratch = test::scratch_dir();
  const auto absent = scratch / "no-such-model";
  EXPECT_EQ(load_error(absent), absent.string() + ": the model directory does not exist.");
  try {
    Checkpoint::open(absent);
    ADD_FAILURE() << "opened a missing directory";
  } catch (const LoadError& e) {
    EXPECT_EQ(std::string(e.what()), absent.string() + ": the model directory does not exist.");
  }
  try {
    Checkpoint::open(scratch);
    ADD_FAILURE() << "opened an empty directory";
  } catch (const LoadError& e) {
    EXPECT_EQ(std::string(e.what()), scratch.string() +
                                         ": the model directory has neither model.safetensors.index.json nor "
                                         "model.safetensors.");
  }
  test::write_bytes(scratch / "file", "x");
  try {
    Checkpoint::open(scratch / "file");
    ADD_FAILURE() << "opened a file as a directory";
  } catch (const LoadError& e) {
    EXPECT_EQ(std::string(e.what()),
              (scratch / "file").string() + ": is not a directory (expected a model directory).");
  }
}

}  // namespace
}  // namespace r1eval::engine::weights
