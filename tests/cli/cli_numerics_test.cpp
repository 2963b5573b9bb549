// Issue 20, "numerics you can trust": NaN weights made every logit NaN; logits printed nulls and generate drew a
// stream of token 0 (NaN compares false), both with exit 0. Now a NaN norm is refused at load, and NaN logits from
// a NaN matrix stop logits and generate with a sentence.
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_harness.h"

namespace {

namespace fs = std::filesystem;
using namespace cli_harness;

// Overwrites every element of `tensor` in a copy of the tiny-bf16 checkpoint with NaN.
fs::path checkpoint_with_nan(const std::string& tensor, const std::string& as) {
  const fs::path dir = copy_of("tiny-bf16", as);
  const auto index = nlohmann::json::parse(slurp(dir / "model.safetensors.index.json"));
  const fs::path shard = dir / index["weight_map"][tensor].get<std::string>();
  std::fstream file(shard, std::ios::in | std::ios::out | std::ios::binary);
  std::uint64_t header_size = 0;
  file.read(reinterpret_cast<char*>(&header_size), sizeof header_size);
  std::string header(header_size, '\0');
  file.read(header.data(), static_cast<std::streamsize>(header_size));
  const auto info = nlohmann::json::parse(header)[tensor];
  const auto begin = info["data_offsets"][0].get<std::uint64_t>();
  const auto end = info["data_offsets"][1].get<std::uint64_t>();
  std::vector<char> nan_bytes;
  if (info["dtype"] == "BF16") {
    for (std::uint64_t i = begin; i < end; i += 2) nan_bytes.insert(nan_bytes.end(), {'\xc0', '\x7f'});
  } else {
    EXPECT_EQ(info["dtype"], "F32");
    const float nan = std::numeric_limits<float>::quiet_NaN();
    for (std::uint64_t i = begin; i < end; i += 4) {
      char bytes[4];
      std::memcpy(bytes, &nan, 4);
      nan_bytes.insert(nan_bytes.end(), bytes, bytes + 4);
    }
  }
  file.seekp(static_cast<std::streamoff>(sizeof header_size + header_size + begin));
  file.write(nan_bytes.data(), static_cast<std::streamsize>(nan_bytes.size()));
  return dir;
}

TEST(CliNumerics, ANonFiniteNormIsRefusedAtLoad) {
  const fs::path dir = checkpoint_with_nan("model.norm.weight", "nan-norm");
  expect_one_sentence_error(run_r1eval("logits --model " + dir.string() + " --tokens 0,5,9"), "model.norm.weight");
}

TEST(CliNumerics, LogitsOfACorruptModelAreAnErrorNotNulls) {
  const fs::path dir = checkpoint_with_nan("lm_head.weight", "nan-head-logits");
  expect_one_sentence_error(run_r1eval("logits --model " + dir.string() + " --tokens 0,5,9"), "NaN");
}

TEST(CliNumerics, GenerateStopsAtTheFirstNonFiniteLogit) {
  const fs::path dir = checkpoint_with_nan("lm_head.weight", "nan-head-generate");
  const Invocation r =
      run_r1eval("generate --model " + dir.string() + " --tokens 0,5,9 --max-new 8 --ignore-eos --json");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("NaN"), std::string::npos) << r.err;
  const auto out = nlohmann::json::parse(r.out);
  EXPECT_TRUE(out["ids"].empty()) << out;
  EXPECT_EQ(out["finish_reason"], "non_finite");
}

}  // namespace
