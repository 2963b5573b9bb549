#include "engine/weights/read_text_file.h"

#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "engine/weights/load_error.h"

namespace r1eval::engine::weights {

std::string read_text_file(const std::filesystem::path& path, std::uint64_t max_bytes) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) throw LoadError(fmt::format("{}: the file does not exist.", path.string()));
  if (!std::filesystem::is_regular_file(status)) {
    throw LoadError(fmt::format("{}: is not a regular file.", path.string()));
  }
  const auto size = std::filesystem::file_size(path, error);
  if (error) throw LoadError(fmt::format("{}: cannot read the file size ({}).", path.string(), error.message()));
  if (size > max_bytes) {
    throw LoadError(
        fmt::format("{}: the file has {} bytes, more than the {} accepted.", path.string(), size, max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<std::size_t>(size), '\0');
  if (!in || !in.read(text.data(), static_cast<std::streamsize>(text.size()))) {
    throw LoadError(fmt::format("{}: cannot read the file.", path.string()));
  }
  return text;
}

}  // namespace r1eval::engine::weights
