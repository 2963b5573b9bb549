// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON, then the data section.
// These functions validate a header without touching tensor data; Checkpoint uses them on mapped shards, the
// fuzz target on arbitrary bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/weights/dtype.h"

namespace r1eval::engine::weights {

// The largest header accepted (the reference implementation's limit).
inline constexpr std::uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;
// More dimensions than any checkpoint tensor has; bounds the work per entry.
inline constexpr std::size_t kMaxTensorRank = 8;

struct SafetensorsEntry {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0;  // offsets relative to the start of the data section
  std::uint64_t end = 0;
};

struct SafetensorsHeader {
  std::vector<SafetensorsEntry> entries;  // sorted by data offset
  std::map<std::string, std::string> metadata;
  std::uint64_t data_offset = 0;  // where the data section starts in the file (8 + N)
  std::uint64_t data_size = 0;
};

// Validates the JSON header against a data section of `data_size` bytes: valid UTF-8 JSON object starting with
// '{', no duplicate keys, "__metadata__" (optional) a string->string object, every other entry exactly
// {dtype, shape, data_offsets} with a known dtype, unsigned dimensions, elements x dtype size = byte length
// (overflow-checked), and entries covering the data section contiguously from 0 without gap or overlap.
// Throws LoadError naming `file` (and the tensor or key). data_offset of the result is left 0.
SafetensorsHeader parse_safetensors_header(std::string_view header_json, std::uint64_t data_size,
                                           const std::string& file);

// Validates a whole file held in memory (or its mapping): the 8-byte length (bounded by 100 MB and by the
// file size, compared without overflow), then the header against the bytes that follow it.
SafetensorsHeader parse_safetensors_file(std::span<const std::byte> file_bytes, const std::string& file);

}  // namespace r1eval::engine::weights
