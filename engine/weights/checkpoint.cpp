#include "engine/weights/checkpoint.h"

#include <algorithm>
#include <map>
#include <system_error>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/weights/load_error.h"
#include "engine/weights/mapped_file.h"
#include "engine/weights/read_text_file.h"
#include "engine/weights/safetensors.h"
#include "engine/weights/strict_json.h"

namespace r1eval::engine::weights {

namespace {

constexpr const char* kIndexFile = "model.safetensors.index.json";
constexpr const char* kSingleFile = "model.safetensors";

// A shard name from the index must name a file inside the model directory, nothing else.
void check_shard_name(const std::string& shard, const std::string& tensor, const std::string& index_path) {
  if (shard.empty() || shard.find('/') != std::string::npos || shard.find('\\') != std::string::npos ||
      shard.find("..") != std::string::npos || shard.find('\0') != std::string::npos || shard == ".") {
    throw LoadError(fmt::format("{}: tensor {} is mapped to the file name {}, which is not a plain file name in the "
                                "model directory.",
                                index_path, quote_for_message(tensor), quote_for_message(shard)));
  }
}

// weight_map of the index: tensor name -> shard file name, validated.
std::map<std::string, std::string> read_weight_map(const std::filesystem::path& index_path) {
  const std::string source = index_path.string();
  const nlohmann::json index = parse_strict_json(read_text_file(index_path), source, 8);
  if (!index.is_object()) throw LoadError(fmt::format("{}: the index is not a JSON object.", source));
  const auto map_it = index.find("weight_map");
  if (map_it == index.end() || !map_it->is_object()) {
    throw LoadError(fmt::format("{}: the index has no \"weight_map\" object.", source));
  }
  if (map_it->empty()) throw LoadError(fmt::format("{}: the \"weight_map\" lists no tensors.", source));
  std::map<std::string, std::string> weight_map;
  for (const auto& [tensor, shard] : map_it->items()) {
    if (!shard.is_string()) {
      throw LoadError(fmt::format("{}: tensor {} is mapped to {}, not to a file name.", source,
                                  quote_for_message(tensor), shard.dump()));
    }
    check_shard_name(shard.get<std::string>(), tensor, source);
    weight_map.emplace(tensor, shard.get<std::string>());
  }
  return weight_map;
}

}  // namespace

struct Checkpoint::Impl {
  std::filesystem::path directory;
  std::vector<MappedFile> shards;
  std::unordered_map<std::string, TensorView> tensors;
  std::uint64_t total_bytes = 0;

  // Maps and validates one shard, then records its tensors. Nothing but the header is read.
  void add_shard(const std::string& shard_name) {
    const std::filesystem::path path = directory / shard_name;
    MappedFile mapping(path);
    const SafetensorsHeader header = parse_safetensors_file(mapping.bytes(), path.string());
    const std::byte* data = mapping.bytes().data() + header.data_offset;
    for (const auto& entry : header.entries) {
      TensorView view;
      view.name = entry.name;
      view.dtype = entry.dtype;
      view.shape = entry.shape;
      view.nbytes = static_cast<std::size_t>(entry.end - entry.begin);
      view.data = view.nbytes == 0 ? nullptr : data + entry.begin;
      view.file = shard_name;
      const auto [it, inserted] = tensors.emplace(entry.name, std::move(view));
      if (!inserted) {
        throw LoadError(fmt::format("{}: tensor {} is also stored in {}.", path.string(), quote_for_message(entry.name),
                                    it->second.file));
      }
    }
    total_bytes += header.data_size;
    shards.push_back(std::move(mapping));
  }
};

Checkpoint::Checkpoint(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Checkpoint::Checkpoint(Checkpoint&&) noexcept = default;
Checkpoint& Checkpoint::operator=(Checkpoint&&) noexcept = default;
Checkpoint::~Checkpoint() = default;

Checkpoint Checkpoint::open(const std::filesystem::path& model_dir) {
  std::error_code error;
  if (!std::filesystem::exists(model_dir, error)) {
    throw LoadError(fmt::format("{}: the model directory does not exist.", model_dir.string()));
  }
  if (!std::filesystem::is_directory(model_dir, error)) {
    throw LoadError(fmt::format("{}: is not a directory (expected a model directory).", model_dir.string()));
  }
  auto impl = std::make_unique<Impl>();
  impl->directory = model_dir;

  const std::filesystem::path index_path = model_dir / kIndexFile;
  if (!std::filesystem::exists(index_path, error)) {
    if (!std::filesystem::exists(model_dir / kSingleFile, error)) {
      throw LoadError(fmt::format("{}: the model directory has neither {} nor {}.", model_dir.string(), kIndexFile,
                                  kSingleFile));
    }
    impl->add_shard(kSingleFile);
    return Checkpoint(std::move(impl));
  }

  const auto weight_map = read_weight_map(index_path);
  std::vector<std::string> shard_names;
  for (const auto& [tensor, shard] : weight_map) shard_names.push_back(shard);
  std::sort(shard_names.begin(), shard_names.end());
  shard_names.erase(std::unique(shard_names.begin(), shard_names.end()), shard_names.end());
  for (const auto& shard : shard_names) {
    if (!std::filesystem::exists(model_dir / shard, error)) {
      const auto listed = std::find_if(weight_map.begin(), weight_map.end(),
                                       [&](const auto& item) { return item.second == shard; });
      throw LoadError(fmt::format("{}: the shard file {} (listed for tensor {}) does not exist.", index_path.string(),
                                  quote_for_message(shard), quote_for_message(listed->first)));
    }
  }
  for (const auto& shard : shard_names) impl->add_shard(shard);
  for (const auto& [tensor, shard] : weight_map) {
    const auto it = impl->tensors.find(tensor);
    if (it == impl->tensors.end() || it->second.file != shard) {
      throw LoadError(fmt::format("{}: tensor {} is listed in {} but that shard does not contain it.",
                                  index_path.string(), quote_for_message(tensor), shard));
    }
  }
  return Checkpoint(std::move(impl));
}

const TensorView* Checkpoint::find(const std::string& name) const {
  const auto it = impl_->tensors.find(name);
  return it == impl_->tensors.end() ? nullptr : &it->second;
}

const TensorView& Checkpoint::get(const std::string& name) const {
  const TensorView* view = find(name);
  if (view == nullptr) {
    throw LoadError(
        fmt::format("{}: tensor {} is not in the checkpoint.", impl_->directory.string(), quote_for_message(name)));
  }
  return *view;
}

std::vector<std::string> Checkpoint::tensor_names() const {
  std::vector<std::string> names;
  names.reserve(impl_->tensors.size());
  for (const auto& [name, view] : impl_->tensors) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

std::uint64_t Checkpoint::total_bytes() const { return impl_->total_bytes; }

const std::filesystem::path& Checkpoint::directory() const { return impl_->directory; }

}  // namespace r1eval::engine::weights
