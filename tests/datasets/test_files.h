// Scratch files for the datasets and suites tests: a fresh folder per test under the build tree, and small
// read/write helpers.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

namespace r1eval::testing {

// <build>/test_scratch/<suite>.<test>, emptied first.
inline std::filesystem::path scratch_dir() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir = std::filesystem::path(R1EVAL_BINARY_DIR) / "test_scratch" /
                                    (std::string(info->test_suite_name()) + "." + info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  ASSERT_TRUE(out) << path;
}

inline std::filesystem::path repository_datasets() { return std::filesystem::path(R1EVAL_SOURCE_DIR) / "datasets"; }

// The message of the exception `statement` throws as type `Exception`, or a failure when it throws nothing.
#define R1EVAL_EXPECT_THROW_MESSAGE(statement, Exception, message_var)            \
  std::string message_var;                                                        \
  try {                                                                           \
    statement;                                                                    \
    ADD_FAILURE() << #statement " did not throw";                                 \
  } catch (const Exception& error) {                                              \
    message_var = error.what();                                                   \
  }

}  // namespace r1eval::testing
