#include "tests/engine/weights/test_files.h"

#include <openssl/evp.h>

#include <array>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace r1eval::test {

fs::path golden_path(const std::string& name) {
  return fs::path(R1EVAL_SOURCE_DIR) / "tests" / "data" / "golden" / name;
}

fs::path scratch_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::path(R1EVAL_BINARY_DIR) / "test-scratch" /
                       fmt::format("{}.{}", info->test_suite_name(), info->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

fs::path copy_golden_checkpoint(const std::string& name) {
  const fs::path dest = scratch_dir() / name;
  fs::copy(golden_path(name), dest, fs::copy_options::recursive);
  for (const auto& entry : fs::directory_iterator(dest)) {
    fs::permissions(entry.path(), fs::perms::owner_write, fs::perm_options::add);
  }
  return dest;
}

fs::path empty_tokenizer_dir(const fs::path& dir) {
  const fs::path tokenizer = dir / "empty-tokenizer";
  fs::create_directories(tokenizer);
  write_bytes(tokenizer / "tokenizer.json", "{}");
  return tokenizer;
}

double e4m3_by_definition(std::uint8_t code) {
  const int e = (code >> 3) & 0xF;
  const int m = code & 7;
  const double magnitude = e == 0 ? m / 8.0 * std::ldexp(1.0, -6) : (1 + m / 8.0) * std::ldexp(1.0, e - 7);
  return (code & 0x80) != 0 ? -magnitude : magnitude;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

RawShard read_shard(const fs::path& path) {
  const std::string bytes = read_bytes(path);
  std::uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  RawShard shard;
  shard.header = nlohmann::ordered_json::parse(bytes.substr(8, length));
  shard.data = bytes.substr(8 + length);
  return shard;
}

void write_shard(const fs::path& path, const std::string& header_text, const std::string& data) {
  std::string bytes(8, '\0');
  for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<char>((header_text.size() >> (8 * i)) & 0xFF);
  write_bytes(path, bytes + header_text + data);
}

void write_shard(const fs::path& path, const RawShard& shard) { write_shard(path, shard.header.dump(), shard.data); }

fs::path shard_of(const fs::path& model_dir, const std::string& tensor) {
  const auto index = nlohmann::json::parse(read_bytes(model_dir / "model.safetensors.index.json"));
  return model_dir / index.at("weight_map").at(tensor).get<std::string>();
}

std::string sha256_hex(const fs::path& path) {
  const std::string bytes = read_bytes(path);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest failed");
  }
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace r1eval::test
