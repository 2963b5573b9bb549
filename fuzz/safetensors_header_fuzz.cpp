// libFuzzer target for the safetensors header parser. Input layout: 8 bytes (u64 little-endian) giving the size of
// the data section, then the header JSON, so the fuzzer reaches the offset and tiling checks without having to
// produce files of matching length. The same bytes are also parsed as a whole file, which exercises the
// length-prefix checks. Any exception other than LoadError, a crash, a leak or UB is a finding.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "engine/weights/load_error.h"
#include "engine/weights/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using r1eval::engine::weights::LoadError;
  if (size >= 8) {
    std::uint64_t data_size = 0;
    for (int i = 7; i >= 0; --i) data_size = (data_size << 8) | data[i];
    const std::string_view header(reinterpret_cast<const char*>(data) + 8, size - 8);
    try {
      const auto parsed = r1eval::engine::weights::parse_safetensors_header(header, data_size, "fuzz.safetensors");
      // A header that passes must describe a tiling of the data section.
      std::uint64_t covered = 0;
      for (const auto& entry : parsed.entries) covered += entry.end - entry.begin;
      if (covered != data_size) __builtin_trap();
    } catch (const LoadError&) {
    }
  }
  try {
    r1eval::engine::weights::parse_safetensors_file(std::as_bytes(std::span<const std::uint8_t>(data, size)),
                                                    "fuzz.safetensors");
  } catch (const LoadError&) {
  }
  return 0;
}
