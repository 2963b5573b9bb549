// Tokenizer behaviour beyond the Hugging Face vectors: round trips over real data-set text, the pre-tokenizer's
// regex semantics (hand-derived from the Oniguruma patterns), added tokens, R1's think tokens, streaming decode,
// arbitrary bytes, and clear errors for damaged files.
#include <gtest/gtest.h>

#include <random>

#include "engine/tokenizer/tokenizer_error.h"
#include "engine/tokenizer/utf8.h"
#include "tests/engine/tokenizer/test_data.h"

namespace r1eval::engine::tokenizer {
namespace {

using testing::r1_tokenizer;
using testing::read_jsonl;
using testing::repo_path;
using testing::v3_tokenizer;

bool is_valid_utf8(const std::string& s) { return utf8::to_valid_lossy(s) == s; }

TEST(RoundTrip, EveryDatasetSampleDecodesBackExactly) {
  const auto rows = read_jsonl(repo_path("tests/data/tokenizer/roundtrip_sample.jsonl"));
  ASSERT_GT(rows.size(), 500u);
  for (const auto& row : rows) {
    const std::string text = row["text"].get<std::string>();
    const auto ids = v3_tokenizer().encode(text);
    EXPECT_EQ(v3_tokenizer().decode(ids), text) << row["source"];
    EXPECT_EQ(r1_tokenizer().decode(r1_tokenizer().encode(text)), text) << row["source"];
  }
}

TEST(RoundTrip, RandomBytesNeverCrashAndComeBackByteExact) {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 300; ++trial) {
    std::string bytes(static_cast<std::size_t>(rng() % 64), '\0');
    for (char& c : bytes) c = static_cast<char>(rng() % 256);
    const auto ids = v3_tokenizer().encode(bytes);
    EXPECT_EQ(v3_tokenizer().decode_bytes(ids), bytes);
    EXPECT_TRUE(is_valid_utf8(v3_tokenizer().decode(ids)));
  }
}

TEST(PreTokenizer, SplitsFollowTheOnigurumaRegexes) {
  const Tokenizer& tok = v3_tokenizer();
  using V = std::vector<std::string>;
  EXPECT_EQ(tok.pre_tokenize("1234567"), (V{"123", "456", "7"}));            // \p{N}{1,3}
  EXPECT_EQ(tok.pre_tokenize("中文abc"), (V{"中文", "abc"}));                 // the CJK split
  EXPECT_EQ(tok.pre_tokenize("a  b"), (V{"a", " ", " b"}));                  // \s+(?!\S) leaves one space
  EXPECT_EQ(tok.pre_tokenize("end  "), (V{"end", "  "}));                    // ... but not at the end
  EXPECT_EQ(tok.pre_tokenize("x   \n\n  y"), (V{"x", "   \n\n", " ", " y"})); // \s*[\r\n]+ first
  // U+3000 is White_Space for Oniguruma (re2's \s would not match it).
  EXPECT_EQ(tok.pre_tokenize("a\u3000\u3000b"), (V{"a", "\u3000", "\u3000b"}));
  EXPECT_EQ(tok.pre_tokenize("f(x)=1;"), (V{"f", "(x", ")=", "1", ";"}));
}

TEST(AddedTokens, MatchedBeforePreTokenization) {
  const Tokenizer& tok = v3_tokenizer();
  EXPECT_EQ(tok.encode("<｜User｜>"), (std::vector<std::int32_t>{128803}));
  EXPECT_EQ(tok.encode("<｜end▁of▁sentence｜><｜begin▁of▁sentence｜>"), (std::vector<std::int32_t>{1, 0}));
  const auto partial = tok.encode("<｜Use");
  EXPECT_GT(partial.size(), 1u);
  EXPECT_EQ(tok.decode(partial), "<｜Use");
  EXPECT_EQ(tok.bos_id(), 0);
  EXPECT_EQ(tok.eos_id(), 1);
  EXPECT_EQ(tok.vocab_size(), 128815);
  EXPECT_EQ(tok.decode({0, 128803, 1}, /*skip_special_tokens=*/true), "<｜User｜>");  // User is not special
}

TEST(AddedTokens, R1ThinkTokensAreSingleIdsOnlyInR1) {
  EXPECT_EQ(
      r1_tokenizer().encode("<think>\nx</think>"),
      (std::vector<std::int32_t>{128798, r1_tokenizer().encode("\nx")[0], r1_tokenizer().encode("\nx")[1], 128799}));
  EXPECT_EQ(r1_tokenizer().token_id("<think>"), 128798);
  EXPECT_EQ(r1_tokenizer().token_id("</think>"), 128799);
  EXPECT_GT(v3_tokenizer().encode("<think>").size(), 1u);
  EXPECT_EQ(v3_tokenizer().token_id("<｜place▁holder▁no▁798｜>"), 128798);
  EXPECT_EQ(r1_tokenizer().decode({128798, 128799}, /*skip_special_tokens=*/true), "<think></think>");
}

TEST(Decode, UnknownIdIsAnError) {
  EXPECT_THROW(v3_tokenizer().decode({5, 128815}), TokenizerError);
  EXPECT_THROW(v3_tokenizer().decode({-1}), TokenizerError);
}

TEST(StreamDecoder, NeverEmitsHalfACharacterAndMatchesDecode) {
  const std::string text = "数学 😀🎉 ½ café — ∑ᵢ xᵢ² <think>ok</think> \xF0\x9F\xA4\x94";
  for (const Tokenizer* tok : {&v3_tokenizer(), &r1_tokenizer()}) {
    const auto ids = tok->encode(text);
    StreamDecoder stream(*tok);
    std::string joined;
    bool held_some = false;
    for (const auto id : ids) {
      const std::string piece = stream.push(id);
      EXPECT_TRUE(is_valid_utf8(piece));
      held_some = held_some || stream.pending_bytes() > 0;
      joined += piece;
    }
    joined += stream.finish();
    EXPECT_EQ(joined, text);
    EXPECT_TRUE(held_some);  // the emoji are split across byte-level tokens, so bytes had to be held back
  }
}

TEST(StreamDecoder, RandomIdsGiveTheSameTextAsDecode) {
  std::mt19937 rng(99);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<std::int32_t> ids;
    for (int i = 0; i < 20; ++i) ids.push_back(static_cast<std::int32_t>(rng() % 128000));
    StreamDecoder stream(v3_tokenizer());
    std::string joined;
    for (const auto id : ids) {
      const std::string piece = stream.push(id);
      EXPECT_TRUE(is_valid_utf8(piece));
      joined += piece;
    }
    joined += stream.finish();
    EXPECT_EQ(joined, v3_tokenizer().decode(ids));
  }
}

// ------------------------------------------------------------------------- small hand-made tokenizer files

std::filesystem::path write_tokenizer_dir(const std::string& name, const std::string& tokenizer_json,
                                          const std::string& config_json = R"({"bos_token": "a", "eos_token": "b"})") {
  const auto dir = std::filesystem::path(R1EVAL_BINARY_DIR) / "test-output" / "tokenizer" / name;
  std::filesystem::create_directories(dir);
  std::filesystem::remove(dir / "tokenizer.json");
  std::filesystem::remove(dir / "tokenizer_config.json");
  if (!tokenizer_json.empty()) std::ofstream(dir / "tokenizer.json") << tokenizer_json;
  if (!config_json.empty()) std::ofstream(dir / "tokenizer_config.json") << config_json;
  return dir;
}

std::string tiny_tokenizer(const std::string& merges) {
  return R"({"added_tokens": [], "normalizer": null,
    "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
    "decoder": {"type": "ByteLevel"},
    "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4, "abc": 5, "aa": 6},
              "merges": )" + merges + "}}";
}

TEST(BpeMerges, LowestRankFirstAndLeftmostOnTies) {
  // Ranks decide: (b,c) before (a,b) gives a+bc, then abc; the other order gives ab+c, then abc via "ab c".
  const auto first = Tokenizer::load(write_tokenizer_dir("bc-first", tiny_tokenizer(R"(["b c", "a b", "a bc"])")));
  EXPECT_EQ(first->encode("abc"), (std::vector<std::int32_t>{5}));
  EXPECT_EQ(first->encode("abcab"), (std::vector<std::int32_t>{5, 3}));
  const auto no_final = Tokenizer::load(write_tokenizer_dir("no-final", tiny_tokenizer(R"(["b c", "a b"])")));
  EXPECT_EQ(no_final->encode("abc"), (std::vector<std::int32_t>{0, 4}));  // bc merged first, then no (a,bc) rule
  const auto ab_first = Tokenizer::load(write_tokenizer_dir("ab-first", tiny_tokenizer(R"([["a", "b"], ["b", "c"]])")));
  EXPECT_EQ(ab_first->encode("abc"), (std::vector<std::int32_t>{3, 2}));
  const auto repeat = Tokenizer::load(write_tokenizer_dir("aa", tiny_tokenizer(R"(["a a"])")));
  EXPECT_EQ(repeat->encode("aaa"), (std::vector<std::int32_t>{6, 0}));  // leftmost pair merges first
}

std::string error_of(const std::filesystem::path& dir) {
  try {
    (void)Tokenizer::load(dir);
  } catch (const TokenizerError& e) {
    return e.what();
  }
  return "";
}

TEST(LoadErrors, DamagedFilesGiveOneSentenceNamingTheFile) {
  const std::string good = tiny_tokenizer(R"(["a b"])");
  EXPECT_NE(error_of(write_tokenizer_dir("truncated", good.substr(0, good.size() / 2)))
                .find("tokenizer.json is not valid JSON"),
            std::string::npos);
  EXPECT_NE(
      error_of(write_tokenizer_dir("bad-merge", tiny_tokenizer(R"(["a z"])"))).find("missing from the vocabulary"),
      std::string::npos);
  EXPECT_NE(error_of(write_tokenizer_dir(
                         "no-model", R"({"decoder": {"type": "ByteLevel"}, "pre_tokenizer": {"type": "ByteLevel"}})"))
                .find("\"model\" is missing"),
            std::string::npos);
  EXPECT_NE(error_of(write_tokenizer_dir("no-config", good, "")).find("tokenizer_config.json is missing"),
            std::string::npos);
  EXPECT_NE(error_of(write_tokenizer_dir("bad-config", good, "{")).find("tokenizer_config.json is not valid JSON"),
            std::string::npos);
  EXPECT_NE(
      error_of(write_tokenizer_dir("deep-config", good, R"({"x":)" + std::string(65, '[') + std::string(65, ']') + "}"))
          .find("tokenizer_config.json nests deeper than 64 levels"),
      std::string::npos);
  EXPECT_NE(error_of(write_tokenizer_dir("bad-bos", good, R"({"bos_token": "zz"})")).find("bos_token"),
            std::string::npos);
  EXPECT_FALSE(Tokenizer::load(write_tokenizer_dir("empty", "", "")).has_value());
  // Lookarounds other than `\s+(?!\S)|\s+` cannot be run by re2 and are refused by name.
  std::string lookbehind = good;
  lookbehind.replace(lookbehind.find(R"({"type": "ByteLevel", "add_prefix_space": false, "use_regex": true})"),
                     std::string(R"({"type": "ByteLevel", "add_prefix_space": false, "use_regex": true})").size(),
                     R"({"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": "(?<=a)b"}, )"
                     R"("behavior": "Isolated"},
                         {"type": "ByteLevel", "use_regex": false}]})");
  EXPECT_NE(error_of(write_tokenizer_dir("lookbehind", lookbehind)).find("lookaround"), std::string::npos);
}

}  // namespace
}  // namespace r1eval::engine::tokenizer
