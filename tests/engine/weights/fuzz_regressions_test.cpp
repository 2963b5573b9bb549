// Replays every input the safetensors header fuzzer once crashed on (fuzz/regressions/safetensors_header/), with the
// same two calls as the fuzz target, so builds without clang/libFuzzer keep the regressions covered.
#include <filesystem>
#include <span>
#include <string>

#include <gtest/gtest.h>

#include "engine/weights/load_error.h"
#include "engine/weights/safetensors.h"
#include "tests/engine/weights/test_files.h"

namespace r1eval::engine::weights {
namespace {

TEST(SafetensorsFuzzRegressions, EveryInputIsAcceptedOrRejectedWithLoadError) {
  const auto dir = std::filesystem::path(R1EVAL_SOURCE_DIR) / "fuzz" / "regressions" / "safetensors_header";
  std::size_t inputs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string bytes = test::read_bytes(entry.path());
    if (bytes.size() >= 8) {
      std::uint64_t data_size = 0;
      for (int i = 7; i >= 0; --i)
        data_size = (data_size << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
      try {
        parse_safetensors_header(std::string_view(bytes).substr(8), data_size, "fuzz.safetensors");
      } catch (const LoadError&) {
      }
    }
    try {
      parse_safetensors_file(std::as_bytes(std::span<const char>(bytes.data(), bytes.size())), "fuzz.safetensors");
    } catch (const LoadError&) {
    }
    ++inputs;
  }
  EXPECT_GE(inputs, 1u);
}

}  // namespace
}  // namespace r1eval::engine::weights
