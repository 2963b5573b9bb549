// Encoding against ids computed by Hugging Face's own tokenizers library on the same tokenizer.json.
#include <gtest/gtest.h>

#include "tests/engine/tokenizer/test_data.h"

namespace r1eval::engine::tokenizer {
namespace {

using testing::read_jsonl;
using testing::repo_path;
using testing::v3_tokenizer;

TEST(EncodeVectors, AllDevVectorsMatchHuggingFace) {
  const auto rows = read_jsonl(repo_path("datasets/tokenizers/deepseek-v3/test_vectors_dev.jsonl"));
  ASSERT_EQ(rows.size(), 47u);
  for (const auto& row : rows) {
    const std::string text = row["text"].get<std::string>();
    const auto expected = row["ids"].get<std::vector<std::int32_t>>();
    EXPECT_EQ(v3_tokenizer().encode(text), expected) << "text: " << text;
    EXPECT_EQ(v3_tokenizer().decode(expected), text) << "text: " << text;
  }
}

TEST(EncodeVectors, ChatTemplateRenderIdsMatchHuggingFace) {
  // The rendered prompts contain added tokens (<｜User｜>, <｜Assistant｜>, BOS/EOS) between plain text.
  const auto rows = read_jsonl(repo_path("datasets/tokenizers/deepseek-v3/chat_template_vectors_dev.jsonl"));
  ASSERT_EQ(rows.size(), 12u);
  for (const auto& row : rows) {
    const std::string rendered = row["rendered"].get<std::string>();
    EXPECT_EQ(v3_tokenizer().encode(rendered), row["ids"].get<std::vector<std::int32_t>>()) << rendered;
  }
}

}  // namespace
}  // namespace r1eval::engine::tokenizer
