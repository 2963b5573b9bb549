// A Hugging Face checkpoint directory: every safetensors shard memory-mapped and validated.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/weights/dtype.h"

namespace r1eval::engine::weights {

struct TensorView {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  const void* data = nullptr;  // points into the memory-mapped shard; valid while the Checkpoint lives
  std::size_t nbytes = 0;
  std::string file;  // shard file name, for messages
};

class Checkpoint {
 public:
  // Opens DIR/model.safetensors.index.json and every shard it lists, or DIR/model.safetensors.
  // Validates every header before any tensor data is touched. Throws LoadError naming the file.
  static Checkpoint open(const std::filesystem::path& model_dir);

  Checkpoint(Checkpoint&&) noexcept;
  Checkpoint& operator=(Checkpoint&&) noexcept;
  ~Checkpoint();

  // nullptr when absent.
  const TensorView* find(const std::string& name) const;
  // Throws LoadError naming the tensor when absent.
  const TensorView& get(const std::string& name) const;
  std::vector<std::string> tensor_names() const;
  // Bytes of tensor data over all shards.
  std::uint64_t total_bytes() const;
  // The model directory it was opened from, for messages.
  const std::filesystem::path& directory() const;

 private:
  struct Impl;
  explicit Checkpoint(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace r1eval::engine::weights
