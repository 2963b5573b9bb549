// What a run records about where it came from: the build, the machine and the exact model files, so two results
// can be told apart long after the run.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace r1eval::evals {

// SHA-256 of the model directory's small files that define it (config.json, the safetensors index,
// tokenizer.json, tokenizer_config.json), plus each shard's size: hashing ~700 GB of weights per run is not an
// option, and the index records every tensor's name, shape and offsets.
nlohmann::json model_fingerprint(const std::filesystem::path& model_dir);

// r1eval version, git commit (as of the build's configure step), build type, compiler and flags.
nlohmann::json build_info();

// CPU model, logical cores, OpenMP threads, the kernel variant in use.
nlohmann::json machine_info();

// Now, as ISO-8601 UTC ("2026-11-29T03:14:17Z"): how runs and benches record their start and end.
std::string utc_timestamp();

}  // namespace r1eval::evals
