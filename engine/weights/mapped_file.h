// A read-only memory mapping of a whole file, unmapped when the object goes away.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>

namespace r1eval::engine::weights {

class MappedFile {
 public:
  // Throws LoadError naming the path when the file cannot be opened, is not a regular file, or cannot be mapped.
  explicit MappedFile(const std::filesystem::path& path);
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const std::byte> bytes() const { return {static_cast<const std::byte*>(data_), size_}; }

 private:
  void release() noexcept;
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace r1eval::engine::weights
