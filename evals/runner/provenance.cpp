#include "evals/runner/provenance.h"

#include <omp.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "datasets/content_hash.h"
#include "engine/kernels/kernel_variants.h"

namespace r1eval::evals::runner {
namespace fs = std::filesystem;
namespace {

std::string file_hash(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string() + " to fingerprint the model");
  datasets::Sha256 hash;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
    hash.update(std::string_view(buffer, static_cast<std::size_t>(in.gcount())));
  return hash.finish();
}

std::string cpu_model_name() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown";
}

}  // namespace

nlohmann::json model_fingerprint(const fs::path& model_dir) {
  nlohmann::json files = nlohmann::json::object();
  for (const char* name : {"config.json", "model.safetensors.index.json", "tokenizer.json", "tokenizer_config.json"}) {
    const fs::path path = model_dir / name;
    if (fs::exists(path)) files[name] = file_hash(path);
  }
  nlohmann::json shards = nlohmann::json::object();
  for (const auto& entry : fs::directory_iterator(model_dir)) {
    if (entry.path().extension() == ".safetensors") shards[entry.path().filename().string()] = entry.file_size();
  }
  return {{"files", files}, {"shard_bytes", shards}};
}

nlohmann::json machine_info() {
  return {{"cpu", cpu_model_name()},
          {"logical_cores", std::thread::hardware_concurrency()},
          {"omp_threads", omp_get_max_threads()},
          {"kernels", std::string(engine::kernels::variant_name(engine::kernels::active_variant()))}};
}

}  // namespace r1eval::evals::runner
