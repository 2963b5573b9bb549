#include "engine/weights/safetensors.h"

#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/weights/load_error.h"
#include "engine/weights/safetensors_writer.h"

namespace r1eval::engine::weights {
namespace {

constexpr const char* kFile = "shard.safetensors";

// The LoadError message for a header against a data section, or "" when accepted.
std::string header_error(const std::string& json, std::uint64_t data_size) {
  try {
    parse_safetensors_header(json, data_size, kFile);
  } catch (const LoadError& e) {
    return e.what();
  }
  return "";
}

std::string file_bytes(std::uint64_t length, const std::string& header, std::size_t data_bytes) {
  std::string bytes(8, '\0');
  for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<char>((length >> (8 * i)) & 0xFF);
  return bytes + header + std::string(data_bytes, '\x11');
}

std::string file_error(const std::string& bytes) {
  try {
    parse_safetensors_file(std::as_bytes(std::span<const char>(bytes.data(), bytes.size())), kFile);
  } catch (const LoadError& e) {
    return e.what();
  }
  return "";
}

const std::string kTwoTensors =
    R"({"__metadata__":{"format":"pt"},)"
    R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},)"
    R"("a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}})";

TEST(SafetensorsHeader, ParsesAValidHeaderSortedByOffset) {
  const auto header = parse_safetensors_header(kTwoTensors + "    ", 12, kFile);
  ASSERT_EQ(header.entries.size(), 2u);
  EXPECT_EQ(header.entries[0].name, "a");
  EXPECT_EQ(header.entries[0].dtype, DType::BF16);
  EXPECT_EQ(header.entries[0].shape, (std::vector<std::int64_t>{2}));
  EXPECT_EQ(header.entries[0].begin, 0u);
  EXPECT_EQ(header.entries[0].end, 4u);
  EXPECT_EQ(header.entries[1].name, "b");
  EXPECT_EQ(header.entries[1].end, 12u);
  EXPECT_EQ(header.metadata.at("format"), "pt");
  EXPECT_EQ(header.data_size, 12u);
}

TEST(SafetensorsHeader, AcceptsEmptyTensorsScalarsAndAnEmptyFile) {
  EXPECT_EQ(header_error("{}", 0), "");
  EXPECT_EQ(header_error(R"({"e":{"dtype":"F32","shape":[0,5],"data_offsets":[0,0]},)"
                         R"("s":{"dtype":"F32","shape":[],"data_offsets":[0,4]}})",
                         4),
            "");
}

TEST(SafetensorsHeader, ReadsTheLengthPrefix) {
  const std::string header = kTwoTensors;
  const std::string bytes = file_bytes(header.size(), header, 12);
  const auto parsed = parse_safetensors_file(std::as_bytes(std::span<const char>(bytes.data(), bytes.size())), kFile);
  EXPECT_EQ(parsed.data_offset, 8 + header.size());
  EXPECT_EQ(parsed.entries.size(), 2u);
}

TEST(SafetensorsHeader, RejectsBadLengthPrefixes) {
  EXPECT_EQ(file_error("abc"), "shard.safetensors: the file has 3 bytes, too short for a safetensors header length.");
  EXPECT_EQ(file_error(file_bytes(~std::uint64_t{0}, "{}", 0)),
            "shard.safetensors: the header length 18446744073709551615 exceeds the 100000000-byte limit.");
  EXPECT_EQ(file_error(file_bytes(100'000'001, "{}", 0)),
            "shard.safetensors: the header length 100000001 exceeds the 100000000-byte limit.");
  EXPECT_EQ(file_error(file_bytes(3, "{}", 0)),
            "shard.safetensors: the header length 3 runs past the end of the 10-byte file (truncated?).");
}

TEST(SafetensorsHeader, RejectsMalformedJson) {
  EXPECT_EQ(header_error("[]", 0), "shard.safetensors: the safetensors header does not start with '{'.");
  EXPECT_EQ(header_error(" {}", 0), "shard.safetensors: the safetensors header does not start with '{'.");
  EXPECT_EQ(header_error(std::string("{}\0\0", 4), 0),
            "shard.safetensors: the safetensors header has bytes other than space padding after its JSON object.");
  EXPECT_EQ(header_error("{} x", 0),
            "shard.safetensors: the safetensors header has bytes other than space padding after its JSON object.");
  EXPECT_EQ(header_error("{}\n", 0),
            "shard.safetensors: the safetensors header has bytes other than space padding after its JSON object.");
  EXPECT_NE(header_error("{\"a\":}", 0).find("shard.safetensors (safetensors header): invalid JSON ("),
            std::string::npos);
  // 0xFF can never appear in UTF-8.
  EXPECT_NE(header_error("{\"\xff\":{}}", 0).find("invalid JSON"), std::string::npos);
  EXPECT_NE(header_error("{\"a\":[[[[[[1]]]]]]}", 0).find("nests deeper than 3 levels"), std::string::npos);
  // A number beyond double range makes nlohmann throw out_of_range rather than parse_error (found by fuzzing).
  EXPECT_EQ(header_error(R"({"a":{"dtype":"F32","shape":[1e3088],"data_offsets":[0,4]}})", 4),
            "shard.safetensors (safetensors header): invalid JSON (number overflow parsing '1e3088').");
}

TEST(SafetensorsHeader, RejectsDuplicateKeys) {
  const std::string tensor = R"({"dtype":"F32","shape":[1],"data_offsets":[0,4]})";
  EXPECT_EQ(header_error("{\"a\":" + tensor + ",\"a\":" + tensor + "}", 4),
            "shard.safetensors (safetensors header): JSON object has the key \"a\" twice.");
  EXPECT_EQ(header_error(R"({"__metadata__":{},"__metadata__":{}})", 0),
            "shard.safetensors (safetensors header): JSON object has the key \"__metadata__\" twice.");
  EXPECT_EQ(header_error(R"({"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4),
            "shard.safetensors (safetensors header): JSON object has the key \"dtype\" twice.");
}

TEST(SafetensorsHeader, RejectsBadEntries) {
  const auto entry = [](const std::string& body) { return "{\"t\":" + body + "}"; };
  EXPECT_EQ(header_error(entry(R"({"dtype":"F64","shape":[1],"data_offsets":[0,8]})"), 8),
            "shard.safetensors: tensor \"t\" has the unsupported dtype \"F64\" (supported: BF16, F16, F32, F8_E4M3).");
  EXPECT_EQ(header_error(entry(R"({"dtype":7,"shape":[1],"data_offsets":[0,8]})"), 8),
            "shard.safetensors: tensor \"t\" has no \"dtype\" string.");
  EXPECT_EQ(header_error(entry(R"({"dtype":"F32","shape":[-1],"data_offsets":[0,4]})"), 4),
            "shard.safetensors: tensor \"t\" has a shape entry -1 that is not a non-negative integer.");
  EXPECT_EQ(header_error(entry(R"({"dtype":"F32","shape":[1.5],"data_offsets":[0,4]})"), 4),
            "shard.safetensors: tensor \"t\" has a shape entry 1.5 that is not a non-negative integer.");
  EXPECT_EQ(header_error(entry(R"({"dtype":"F32","shape":[1e30],"data_offsets":[0,4]})"), 4),
            "shard.safetensors: tensor \"t\" has a shape entry 1e+30 that is not a non-negative integer.");
  EXPECT_EQ(header_error(entry(R"({"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]})"), 4),
            "shard.safetensors: tensor \"t\" has a shape whose element count overflows 64 bits.");
  EXPECT_EQ(header_error(entry(R"({"dtype":"F32","shape":[4294967296,1073741824],"data_offsets":[0,4]})"), 4),
            "shard.safetensors: tensor \"t\" has a shape whose byte size overflows 64 bits.");
  std::string rank100 = R"({"dtype":"F32","shape":[)";
  for (int i = 0; i < 100; ++i) rank100 += i == 0 ? "1" : ",1";
  EXPECT_EQ(header_error(entry(rank100 + R"(],"data_offsets":[0,4]})"), 4),
            "shard.safetensors: tensor \"t\" has 100 dimensions (at most 8 are supported).");
  EXPECT_EQ(header_error(entry(R"({"dtype":"F32","shape":[3],"data_offsets":[0,8]})"), 8),
            "shard.safetensors: tensor \"t\" has shape [3] of F32 (12 bytes) but data_offsets [0, 8] hold 8 bytes.");
  EXPECT_EQ(header_error(entry(R"({"dtype":"F32","shape":[1],"data_offsets":[8,4]})"), 8),
            "shard.safetensors: tensor \"t\" has data_offsets [8, 4] that end before they begin.");
  EXPECT_EQ(header_error(entry(R"({"dtype":"F32","shape":[1],"data_offsets":[0]})"), 4),
            "shard.safetensors: tensor \"t\" has no \"data_offsets\" pair of non-negative integers.");
  EXPECT_EQ(header_error(entry(R"({"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1})"), 4),
            "shard.safetensors: tensor \"t\" has the unexpected field \"x\".");
  EXPECT_EQ(header_error(entry("[1]"), 0), "shard.safetensors: tensor \"t\" is not a JSON object.");
  EXPECT_EQ(header_error(R"({"__metadata__":{"format":1}})", 0),
            "shard.safetensors: \"__metadata__\" entry \"format\" is not a string.");
  EXPECT_EQ(header_error(R"({"__metadata__":[]})", 0), "shard.safetensors: \"__metadata__\" is not a JSON object.");
  EXPECT_EQ(header_error("{\"a\\nb\":5}", 0), "shard.safetensors: tensor \"a\\x0ab\" is not a JSON object.");
}

TEST(SafetensorsHeader, RejectsOffsetsThatDoNotTileTheDataSection) {
  const auto two = [](int a0, int a1, int b0, int b1) {
    return R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[)" + std::to_string(a0) + "," + std::to_string(a1) +
           R"(]},"b":{"dtype":"F32","shape":[1],"data_offsets":[)" + std::to_string(b0) + "," + std::to_string(b1) +
           "]}}";
  };
  EXPECT_EQ(header_error(two(0, 4, 4, 8), 8), "");
  EXPECT_EQ(header_error(two(0, 4, 2, 6), 8),
            "shard.safetensors: tensor \"b\" (data_offsets [2, 6]) overlaps tensor \"a\" (ending at 4).");
  EXPECT_EQ(header_error(two(0, 4, 0, 4), 8),
            "shard.safetensors: tensor \"b\" (data_offsets [0, 4]) overlaps tensor \"a\" (ending at 4).");
  EXPECT_EQ(header_error(two(0, 4, 8, 12), 12),
            "shard.safetensors: tensor \"b\" starts at data offset 8, leaving a gap of unused bytes from 4.");
  EXPECT_EQ(header_error(two(4, 8, 8, 12), 12),
            "shard.safetensors: tensor \"a\" starts at data offset 4, leaving a gap of unused bytes from 0.");
  EXPECT_EQ(header_error(two(0, 4, 4, 8), 10),
            "shard.safetensors: the tensors cover 8 bytes but the data section has 10 bytes.");
  EXPECT_EQ(header_error(two(0, 4, 4, 8), 6),
            "shard.safetensors: tensor \"b\" has data_offsets [4, 8] past the end of the 6-byte data section (is the "
            "file truncated?).");
  EXPECT_EQ(header_error(
                R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[18446744073709551612,18446744073709551616]}})", 4),
            "shard.safetensors: tensor \"a\" has no \"data_offsets\" pair of non-negative integers.");
}

TEST(SafetensorsHeader, WriterOutputParsesBack) {
  const std::vector<TensorSpec> specs = {{"x", DType::F8_E4M3, {3, 5}}, {"y", DType::BF16, {7}}, {"z", DType::F32, {}}};
  const std::string header = safetensors_header_json(specs, {{"format", "pt"}});
  EXPECT_EQ((8 + header.size()) % 8, 0u);
  const auto parsed = parse_safetensors_header(header, 15 + 14 + 4, kFile);
  ASSERT_EQ(parsed.entries.size(), 3u);
  EXPECT_EQ(parsed.entries[1].name, "y");
  EXPECT_EQ(parsed.entries[1].begin, 15u);
  EXPECT_EQ(parsed.entries[2].shape.size(), 0u);
}

}  // namespace
}  // namespace r1eval::engine::weights
