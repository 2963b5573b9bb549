// Writes safetensors files: the synthetic checkpoint generator streams tensors through it, tests use it to
// build valid files they then damage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/weights/dtype.h"

namespace r1eval::engine::weights {

struct TensorSpec {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;

  std::uint64_t nbytes() const;
};

// The header JSON for `tensors` stored back to back in this order, with "__metadata__" first when non-empty,
// padded with spaces so the data section starts at a multiple of 8 bytes (as the reference writer does).
std::string safetensors_header_json(const std::vector<TensorSpec>& tensors,
                                    const std::map<std::string, std::string>& metadata);

// Streams one safetensors file: the header goes out at construction, then each tensor's bytes in order.
// The data go to "<path>.tmp", which finish() renames to `path`, so a reader never sees a half-written file.
// With `durable`, finish() also fsyncs before the rename, so a crash cannot leave a renamed but incomplete file.
// Errors throw std::runtime_error naming the file.
class SafetensorsWriter {
 public:
  SafetensorsWriter(std::filesystem::path path, std::vector<TensorSpec> tensors,
                    const std::map<std::string, std::string>& metadata = {{"format", "pt"}}, bool durable = true);
  SafetensorsWriter(const SafetensorsWriter&) = delete;
  SafetensorsWriter& operator=(const SafetensorsWriter&) = delete;
  ~SafetensorsWriter();  // removes the temporary file when finish() was not reached

  // The next tensor's bytes; their count must be that tensor's nbytes().
  void write_next(std::span<const std::byte> bytes);
  void finish();

 private:
  void write_raw(const void* data, std::size_t size);
  std::filesystem::path path_;
  std::filesystem::path temp_path_;
  std::vector<TensorSpec> tensors_;
  std::size_t next_ = 0;
  bool durable_ = true;
  std::FILE* file_ = nullptr;
};

// Writes `content` to `path` through a temporary file and a rename (fsynced first when durable).
void write_file_atomically(const std::filesystem::path& path, std::string_view content, bool durable = true);

}  // namespace r1eval::engine::weights
