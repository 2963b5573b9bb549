#include "engine/weights/safetensors_writer.h"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace r1eval::engine::weights {

std::uint64_t TensorSpec::nbytes() const {
  std::uint64_t count = dtype_size(dtype);
  for (const auto extent : shape) count *= static_cast<std::uint64_t>(extent);
  return count;
}

std::string safetensors_header_json(const std::vector<TensorSpec>& tensors,
                                    const std::map<std::string, std::string>& metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::uint64_t offset = 0;
  for (const auto& tensor : tensors) {
    const std::uint64_t end = offset + tensor.nbytes();
    header[tensor.name] = {{"dtype", std::string(dtype_name(tensor.dtype))},
                           {"shape", tensor.shape},
                           {"data_offsets", {offset, end}}};
    offset = end;
  }
  std::string text = header.dump();
  text.append((8 - (8 + text.size()) % 8) % 8, ' ');
  return text;
}

namespace {

std::filesystem::path temporary_path_for(const std::filesystem::path& path) {
  return path.parent_path() / (path.filename().string() + ".tmp");
}

std::FILE* open_for_writing(const std::filesystem::path& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    throw std::runtime_error(fmt::format("{}: cannot create the file ({}).", path.string(), std::strerror(errno)));
  }
  return file;
}

// Flushes, syncs and closes `file`, then renames temp -> path. Closes the file even on error.
void commit(std::FILE*& file, const std::filesystem::path& temp, const std::filesystem::path& path, bool durable) {
  const bool flushed = std::fflush(file) == 0 && (!durable || ::fsync(::fileno(file)) == 0);
  const bool closed = std::fclose(file) == 0;
  file = nullptr;
  if (!flushed || !closed) {
    throw std::runtime_error(
        fmt::format("{}: cannot finish writing the file ({}).", temp.string(), std::strerror(errno)));
  }
  std::error_code error;
  std::filesystem::rename(temp, path, error);
  if (error)
    throw std::runtime_error(fmt::format("{}: cannot rename into place ({}).", path.string(), error.message()));
}

}  // namespace

SafetensorsWriter::SafetensorsWriter(std::filesystem::path path, std::vector<TensorSpec> tensors,
                                     const std::map<std::string, std::string>& metadata, bool durable)
    : path_(std::move(path)), temp_path_(temporary_path_for(path_)), tensors_(std::move(tensors)), durable_(durable) {
  const std::string header = safetensors_header_json(tensors_, metadata);
  file_ = open_for_writing(temp_path_);
  std::array<unsigned char, 8> length{};
  for (std::size_t i = 0; i < 8; ++i) length[i] = static_cast<unsigned char>(header.size() >> (8 * i));
  write_raw(length.data(), length.size());
  write_raw(header.data(), header.size());
}

SafetensorsWriter::~SafetensorsWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::error_code ignored;
    std::filesystem::remove(temp_path_, ignored);
  }
}

void SafetensorsWriter::write_raw(const void* data, std::size_t size) {
  if (size != 0 && std::fwrite(data, 1, size, file_) != size) {
    throw std::runtime_error(fmt::format("{}: cannot write ({}).", temp_path_.string(), std::strerror(errno)));
  }
}

void SafetensorsWriter::write_next(std::span<const std::byte> bytes) {
  if (next_ >= tensors_.size()) {
    throw std::logic_error(fmt::format("{}: more tensors written than declared.", path_.string()));
  }
  const TensorSpec& tensor = tensors_[next_];
  if (bytes.size() != tensor.nbytes()) {
    throw std::logic_error(fmt::format("{}: tensor \"{}\" needs {} bytes, got {}.", path_.string(), tensor.name,
                                       tensor.nbytes(), bytes.size()));
  }
  write_raw(bytes.data(), bytes.size());
  ++next_;
}

void SafetensorsWriter::finish() {
  if (next_ != tensors_.size()) {
    throw std::logic_error(fmt::format("{}: {} of {} tensors written.", path_.string(), next_, tensors_.size()));
  }
  commit(file_, temp_path_, path_, durable_);
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content, bool durable) {
  const auto temp = temporary_path_for(path);
  std::FILE* file = open_for_writing(temp);
  if (!content.empty() && std::fwrite(content.data(), 1, content.size(), file) != content.size()) {
    std::fclose(file);
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw std::runtime_error(fmt::format("{}: cannot write ({}).", temp.string(), std::strerror(errno)));
  }
  commit(file, temp, path, durable);
}

}  // namespace r1eval::engine::weights
