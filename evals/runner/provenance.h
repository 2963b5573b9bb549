// What a run records about where it came from: the machine and the exact model files (the build: common/build_info.h),
// so two results can be told apart long after the run.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace r1eval::evals::runner {

// SHA-256 of the model directory's small files that define it (config.json, the safetensors index,
// tokenizer.json, tokenizer_config.json), plus each shard's size: hashing ~700 GB of weights per run is not an
// option, and the index records every tensor's name, shape and offsets.
nlohmann::json model_fingerprint(const std::filesystem::path& model_dir);

// CPU model, logical cores, OpenMP threads, the kernel variant in use.
nlohmann::json machine_info();

}  // namespace r1eval::evals::runner
