#include "engine/weights/safetensors.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/weights/load_error.h"
#include "engine/weights/strict_json.h"

namespace r1eval::engine::weights {
namespace {

// a * b, or false when it does not fit in 64 bits.
bool checked_multiply(std::uint64_t a, std::uint64_t b, std::uint64_t& out) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return false;
  out = a * b;
  return true;
}

std::string shape_text(const std::vector<std::int64_t>& shape) { return fmt::format("[{}]", fmt::join(shape, ", ")); }

SafetensorsEntry parse_entry(const std::string& name, const nlohmann::json& value, const std::string& file) {
  const std::string where = fmt::format("{}: tensor {}", file, quote_for_message(name));
  if (!value.is_object()) throw LoadError(fmt::format("{} is not a JSON object.", where));
  for (const auto& [key, unused] : value.items()) {
    if (key != "dtype" && key != "shape" && key != "data_offsets") {
      throw LoadError(fmt::format("{} has the unexpected field {}.", where, quote_for_message(key)));
    }
  }
  SafetensorsEntry entry;
  entry.name = name;

  const auto dtype_it = value.find("dtype");
  if (dtype_it == value.end() || !dtype_it->is_string()) {
    throw LoadError(fmt::format("{} has no \"dtype\" string.", where));
  }
  const auto dtype = parse_dtype(dtype_it->get_ref<const std::string&>());
  if (!dtype) {
    throw LoadError(fmt::format("{} has the unsupported dtype {} (supported: BF16, F16, F32, F8_E4M3).", where,
                                quote_for_message(dtype_it->get_ref<const std::string&>())));
  }
  entry.dtype = *dtype;

  const auto shape_it = value.find("shape");
  if (shape_it == value.end() || !shape_it->is_array())
    throw LoadError(fmt::format("{} has no \"shape\" array.", where));
  if (shape_it->size() > kMaxTensorRank) {
    throw LoadError(fmt::format("{} has {} dimensions (at most {} are supported).", where, shape_it->size(),
                                kMaxTensorRank));
  }
  std::uint64_t elements = 1;
  for (const auto& dim : *shape_it) {
    if (!dim.is_number_unsigned() || dim.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      throw LoadError(fmt::format("{} has a shape entry {} that is not a non-negative integer.", where, dim.dump()));
    }
    const auto extent = dim.get<std::uint64_t>();
    if (!checked_multiply(elements, extent, elements)) {
      throw LoadError(fmt::format("{} has a shape whose element count overflows 64 bits.", where));
    }
    entry.shape.push_back(static_cast<std::int64_t>(extent));
  }
  std::uint64_t nbytes = 0;
  if (!checked_multiply(elements, dtype_size(entry.dtype), nbytes)) {
    throw LoadError(fmt::format("{} has a shape whose byte size overflows 64 bits.", where));
  }

  const auto offsets_it = value.find("data_offsets");
  if (offsets_it == value.end() || !offsets_it->is_array() || offsets_it->size() != 2 ||
      !(*offsets_it)[0].is_number_unsigned() || !(*offsets_it)[1].is_number_unsigned()) {
    throw LoadError(fmt::format("{} has no \"data_offsets\" pair of non-negative integers.", where));
  }
  entry.begin = (*offsets_it)[0].get<std::uint64_t>();
  entry.end = (*offsets_it)[1].get<std::uint64_t>();
  if (entry.begin > entry.end) {
    throw LoadError(fmt::format("{} has data_offsets [{}, {}] that end before they begin.", where, entry.begin,
                                entry.end));
  }
  if (entry.end - entry.begin != nbytes) {
    throw LoadError(fmt::format("{} has shape {} of {} ({} bytes) but data_offsets [{}, {}] hold {} bytes.", where,
                                shape_text(entry.shape), dtype_name(entry.dtype), nbytes, entry.begin, entry.end,
                                entry.end - entry.begin));
  }
  return entry;
}

std::map<std::string, std::string> parse_metadata(const nlohmann::json& value, const std::string& file) {
  if (!value.is_object()) throw LoadError(fmt::format("{}: \"__metadata__\" is not a JSON object.", file));
  std::map<std::string, std::string> metadata;
  for (const auto& [key, item] : value.items()) {
    if (!item.is_string()) {
      throw LoadError(fmt::format("{}: \"__metadata__\" entry {} is not a string.", file, quote_for_message(key)));
    }
    metadata.emplace(key, item.get<std::string>());
  }
  return metadata;
}

// Entries must tile [0, data_size) exactly: a gap would let a file carry hidden bytes (a polyglot), an overlap
// would let two tensors alias, and bytes past the last entry are the same gap at the end.
void check_tiling(std::vector<SafetensorsEntry>& entries, std::uint64_t data_size, const std::string& file) {
  std::stable_sort(entries.begin(), entries.end(), [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::uint64_t expected_begin = 0;
  const SafetensorsEntry* previous = nullptr;
  for (const auto& entry : entries) {
    if (entry.end > data_size) {
      throw LoadError(fmt::format(
          "{}: tensor {} has data_offsets [{}, {}] past the end of the {}-byte data section (is the file truncated?).",
          file, quote_for_message(entry.name), entry.begin, entry.end, data_size));
    }
    if (entry.begin < expected_begin) {
      throw LoadError(fmt::format("{}: tensor {} (data_offsets [{}, {}]) overlaps tensor {} (ending at {}).", file,
                                  quote_for_message(entry.name), entry.begin, entry.end,
                                  quote_for_message(previous->name), expected_begin));
    }
    if (entry.begin > expected_begin) {
      throw LoadError(fmt::format("{}: tensor {} starts at data offset {}, leaving a gap of unused bytes from {}.",
                                  file, quote_for_message(entry.name), entry.begin, expected_begin));
    }
    expected_begin = entry.end;
    previous = &entry;
  }
  if (expected_begin != data_size) {
    throw LoadError(fmt::format("{}: the tensors cover {} bytes but the data section has {} bytes.", file,
                                expected_begin, data_size));
  }
}

}  // namespace

SafetensorsHeader parse_safetensors_header(std::string_view header_json, std::uint64_t data_size,
                                           const std::string& file) {
  if (header_json.empty() || header_json.front() != '{') {
    throw LoadError(fmt::format("{}: the safetensors header does not start with '{{'.", file));
  }
  // Writers pad the header with spaces to align the data section; nothing else may follow the JSON object.
  std::size_t json_end = header_json.size();
  while (json_end > 0 && header_json[json_end - 1] == ' ') --json_end;
  if (header_json[json_end - 1] != '}') {
    throw LoadError(fmt::format("{}: the safetensors header has bytes other than space padding after its JSON object.",
                                file));
  }
  // Root object -> tensor object -> shape array: three levels; anything deeper is not a safetensors header.
  const nlohmann::json root =
      parse_strict_json(header_json.substr(0, json_end), fmt::format("{} (safetensors header)", file), 3);
  if (!root.is_object()) throw LoadError(fmt::format("{}: the safetensors header is not a JSON object.", file));

  SafetensorsHeader header;
  header.data_size = data_size;
  header.entries.reserve(root.size());
  for (const auto& [name, value] : root.items()) {
    if (name == "__metadata__") {
      header.metadata = parse_metadata(value, file);
    } else {
      header.entries.push_back(parse_entry(name, value, file));
    }
  }
  check_tiling(header.entries, data_size, file);
  return header;
}

SafetensorsHeader parse_safetensors_file(std::span<const std::byte> file_bytes, const std::string& file) {
  const std::uint64_t file_size = file_bytes.size();
  if (file_size < 8) {
    throw LoadError(fmt::format("{}: the file has {} bytes, too short for a safetensors header length.", file,
                                file_size));
  }
  std::uint64_t header_size = 0;
  for (int i = 7; i >= 0; --i) {
    header_size = (header_size << 8) | static_cast<std::uint64_t>(file_bytes[static_cast<std::size_t>(i)]);
  }
  if (header_size > kMaxSafetensorsHeaderBytes) {
    throw LoadError(fmt::format("{}: the header length {} exceeds the {}-byte limit.", file, header_size,
                                kMaxSafetensorsHeaderBytes));
  }
  if (header_size > file_size - 8) {  // not header_size + 8 > file_size, which can overflow
    throw LoadError(fmt::format("{}: the header length {} runs past the end of the {}-byte file (truncated?).", file,
                                header_size, file_size));
  }
  const std::string_view header_json(reinterpret_cast<const char*>(file_bytes.data()) + 8,
                                     static_cast<std::size_t>(header_size));
  SafetensorsHeader header = parse_safetensors_header(header_json, file_size - 8 - header_size, file);
  header.data_offset = 8 + header_size;
  return header;
}

}  // namespace r1eval::engine::weights
