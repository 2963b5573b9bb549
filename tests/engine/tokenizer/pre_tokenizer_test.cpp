// The hand-written DeepSeek splitter must cut text exactly where the generic re2 path does (the re2 path is the
// one checked against Hugging Face's vectors). Compared on real data-set text and on random mixes of characters
// from every class the regexes distinguish.
#include <gtest/gtest.h>

#include <random>

#include "engine/tokenizer/pre_tokenizer.h"
#include "engine/tokenizer/tokenizer_error.h"
#include "tests/engine/tokenizer/test_data.h"

namespace r1eval::engine::tokenizer {
namespace {

using testing::read_jsonl;
using testing::repo_path;
using testing::v3_tokenizer;

std::vector<std::string_view> fast(const PreTokenizer& p, std::string_view text) {
  std::vector<std::string_view> out;
  std::vector<std::string_view> scratch;
  p.split(text, out, scratch);
  return out;
}

std::vector<std::string_view> generic(const PreTokenizer& p, std::string_view text) {
  std::vector<std::string_view> out;
  std::vector<std::string_view> scratch;
  p.split_with_re2(text, out, scratch);
  return out;
}

TEST(DeepSeekSplitter, IsUsedForTheDeepSeekFile) {
  EXPECT_TRUE(v3_tokenizer().pre_tokenizer().uses_deepseek_splitter());
}

TEST(DeepSeekSplitter, AgreesWithRe2OnDatasetText) {
  const PreTokenizer& p = v3_tokenizer().pre_tokenizer();
  for (const auto& row : read_jsonl(repo_path("tests/data/tokenizer/roundtrip_sample.jsonl"))) {
    const std::string text = row["text"].get<std::string>();
    ASSERT_EQ(fast(p, text), generic(p, text)) << row["source"];
  }
}

TEST(DeepSeekSplitter, AgreesWithRe2OnRandomCharacterMixes) {
  // One or more characters of each kind: ASCII letters/digits/punctuation, spaces, tabs, CR/LF, no-break and
  // ideographic spaces, CJK incl. the punctuation/symbols inside the CJK ranges (゠ ・ ゛), combining marks, other
  // number kinds (½ Ⅻ ²), format characters (ZWSP, ZWJ), emoji, other scripts, a control character.
  const std::vector<std::string> palette = {
      "a", "Z", "q", "0", "7", "!", "(", ")", "'", "-", ".", "_", "`", "~", "\\", " ", " ", " ", "\t", "\r", "\n",
      "\u00a0", "\u3000", "\u2003", "中", "文", "ー", "・", "゠", "゛", "あ", "カ", "\u0301", "\u0308", "½", "Ⅻ", "²",
      "\u200b", "\u200d", "😀", "🎉", "∑", "€", "é", "Ж", "ب", "한", "\x01", "\x7f", "ǅ", "\U0001D400"};
  const PreTokenizer& p = v3_tokenizer().pre_tokenizer();
  std::mt19937 rng(7);
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text;
    const int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) text += palette[rng() % palette.size()];
    ASSERT_EQ(fast(p, text), generic(p, text)) << "text: [" << text << "]";
  }
}

TEST(DeepSeekSplitter, AgreesWithRe2OnIllFormedBytes) {
  const PreTokenizer& p = v3_tokenizer().pre_tokenizer();
  std::mt19937 rng(11);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string text;
    const int n = static_cast<int>(rng() % 10);
    for (int i = 0; i < n; ++i) {
      const unsigned r = rng() % 4;
      text += r == 0   ? std::string(1, static_cast<char>(0x80 + rng() % 128))
              : r == 1 ? std::string(" ")
              : r == 2 ? "a"
                       : "\xE4\xB8\xAD";
    }
    ASSERT_EQ(fast(p, text), generic(p, text)) << "trial " << trial;
  }
}

TEST(OnigToRe2, RewritesClassEscapesAndTheLookahead) {
  bool lookahead = false;
  const std::string out = onig_to_re2("\\s+(?!\\S)|\\s+", lookahead, "test");
  EXPECT_TRUE(lookahead);
  EXPECT_EQ(out.front(), '(');
  EXPECT_NE(out.find("\\x{3000}"), std::string::npos);
  EXPECT_EQ(onig_to_re2("[a\\s]\\d", lookahead, "test").find("\\s"), std::string::npos);
  EXPECT_FALSE(lookahead);
  EXPECT_THROW(onig_to_re2("a(?=b)", lookahead, "test"), TokenizerError);
  EXPECT_THROW(onig_to_re2("[\\S]", lookahead, "test"), TokenizerError);
}

}  // namespace
}  // namespace r1eval::engine::tokenizer
