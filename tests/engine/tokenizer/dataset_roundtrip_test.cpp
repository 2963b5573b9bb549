// decode(encode(x)) == x for every string in every bundled data set (datasets/, the tokenizer files excepted).
#include <filesystem>

#include <gtest/gtest.h>

#include "test_data.h"

namespace r1eval::engine::tokenizer {
namespace {

void collect_strings(const nlohmann::json& value, std::vector<std::string>& out) {
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_structured()) {
    for (const auto& item : value) collect_strings(item, out);
  }
}

std::vector<std::string> every_dataset_text() {
  std::vector<std::string> texts;
  const std::filesystem::path root = testing::repo_path("datasets");
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const std::filesystem::path& p = entry.path();
    if (!entry.is_regular_file() || p.string().find("/tokenizers/") != std::string::npos) continue;
    if (p.extension() == ".jsonl") {
      for (const auto& row : testing::read_jsonl(p)) collect_strings(row, texts);
    } else if (p.extension() == ".json") {
      collect_strings(nlohmann::json::parse(testing::read_text(p)), texts);
    }
  }
  return texts;
}

TEST(RoundTrip, EveryTextOfEveryBundledDataset) {
  const std::vector<std::string> texts = every_dataset_text();
  ASSERT_GT(texts.size(), 30000u) << "the bundled data sets should hold tens of thousands of strings";
  std::size_t bytes = 0;
  for (const Tokenizer* tok : {&testing::r1_tokenizer(), &testing::v3_tokenizer()}) {
    std::size_t failures = 0;
    for (const std::string& text : texts) {
      bytes += text.size();
      if (tok->decode(tok->encode(text)) != text && ++failures <= 3) {
        ADD_FAILURE() << "round trip changed: " << text.substr(0, 200);
      }
    }
    EXPECT_EQ(failures, 0u);
  }
  RecordProperty("bytes", static_cast<int>(bytes));
}

}  // namespace
}  // namespace r1eval::engine::tokenizer
