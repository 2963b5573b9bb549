// File helpers shared by the weights and synth tests: scratch directories under the build tree, the golden
// checkpoints, raw access to safetensors shards (to damage them), SHA-256.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace r1eval::test {

namespace fs = std::filesystem;

// tests/data/golden/<name> in the source tree (tiny-bf16, tiny-fp8, tiny-fp8.json...).
fs::path golden_path(const std::string& name);
// An empty directory under the build tree, unique to the running test.
fs::path scratch_dir();
// A writable copy of a golden checkpoint directory inside scratch_dir().
fs::path copy_golden_checkpoint(const std::string& name);
// `dir`/empty-tokenizer holding a tokenizer.json of "{}": for synthetic checkpoints that need no real tokenizer.
fs::path empty_tokenizer_dir(const fs::path& dir);

// An E4M3 code's value by the format's definition, independently of the engine's decoders: (1 + m/8) 2^(e-7), or
// m/8 2^-6 for e = 0 (not NaN-aware: synthetic weights have no 0x7F/0xFF codes).
double e4m3_by_definition(std::uint8_t code);

std::string read_bytes(const fs::path& path);
void write_bytes(const fs::path& path, const std::string& bytes);

// A safetensors file split into its parts. The header keeps the file's key order.
struct RawShard {
  nlohmann::ordered_json header;
  std::string data;  // the data section
};
RawShard read_shard(const fs::path& path);
// Writes length + header text + data; the header text is written as given (it may be invalid on purpose).
void write_shard(const fs::path& path, const std::string& header_text, const std::string& data);
void write_shard(const fs::path& path, const RawShard& shard);

// The shard a golden-style index maps `tensor` to.
fs::path shard_of(const fs::path& model_dir, const std::string& tensor);

std::string sha256_hex(const fs::path& path);

}  // namespace r1eval::test
