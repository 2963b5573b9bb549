// A streamed reply's text pieces: never half a UTF-8 character, the reasoning split at a "</think>" that may arrive
// over several tokens, and the pieces joined equal the whole reply's text and its split.
#include "serve/stream_text.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "serve/openai_protocol.h"

namespace r1eval::serve {
namespace {

const std::filesystem::path kModel = std::filesystem::path(R1EVAL_SOURCE_DIR) / "models/toy-arith-r1zero";

// Whether `text` is whole UTF-8 characters: every lead byte followed by as many continuation bytes as it announces.
bool whole_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

TEST(ReasoningSplitter, HoldsWhatMayStartAThinkCloseUntilTheNextPieceSays) {
  ReasoningSplitter split;
  TextDeltas d = split.push("ab</th");
  EXPECT_EQ(d.reasoning, "ab");
  EXPECT_EQ(d.content, "");
  d = split.push("ink>cd");
  EXPECT_EQ(d.reasoning, "");
  EXPECT_EQ(d.content, "cd");
  d = split.push("</think>e");  // after the first close everything is content, later closes included
  EXPECT_EQ(d.content, "</think>e");

  ReasoningSplitter not_a_close;
  EXPECT_EQ(not_a_close.push("x<").reasoning, "x");
  EXPECT_EQ(not_a_close.push("y").reasoning, "<y");

  ReasoningSplitter cut;  // the reply ended inside what looked like a close: it was reasoning
  EXPECT_EQ(cut.push("q</thi").reasoning, "q");
  EXPECT_EQ(cut.finish().reasoning, "</thi");
}

class StreamTextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tok_ = engine::tokenizer::Tokenizer::load(kModel);
    ASSERT_TRUE(tok_);
  }
  // One token per byte (a lone byte of a multi-byte character is invalid UTF-8, so it is tokenised alone): the
  // worst case for a streamed decode, every character and the "</think>" spread over several tokens.
  std::vector<std::int32_t> byte_tokens(const std::string& text) {
    std::vector<std::int32_t> ids;
    for (const char c : text) {
      const std::vector<std::int32_t> one = tok_->encode(std::string(1, c));
      EXPECT_EQ(one.size(), 1u);
      ids.insert(ids.end(), one.begin(), one.end());
    }
    return ids;
  }
  std::optional<engine::tokenizer::Tokenizer> tok_;
};

TEST_F(StreamTextTest, PiecesAreWholeCharactersAndJoinToTheSplitOfTheWholeText) {
  for (const std::string text :
       {"é 漢 🙂</think>ü 42", "思考</think>", "no close, still 🤔", "<</think></think>"}) {
    const std::vector<std::int32_t> ids = byte_tokens(text);
    ASSERT_EQ(tok_->decode(ids), text);
    StreamText stream(*tok_, true);
    std::string reasoning, content;
    int pieces = 0;
    for (const std::int32_t id : ids) {
      const TextDeltas d = stream.push(std::span<const std::int32_t>(&id, 1));
      EXPECT_TRUE(whole_utf8(d.reasoning) && whole_utf8(d.content)) << text;
      pieces += (d.reasoning.empty() ? 0 : 1) + (d.content.empty() ? 0 : 1);
      reasoning += d.reasoning;
      content += d.content;
    }
    const TextDeltas rest = stream.finish();
    reasoning += rest.reasoning;
    content += rest.content;
    const ReasoningSplit whole = split_reasoning({text, "stop", 1, 1});
    EXPECT_EQ(reasoning, whole.reasoning.value_or("")) << text;
    EXPECT_EQ(content, whole.content.value_or("")) << text;
    EXPECT_GE(pieces, 2) << "the text should have been streamed in pieces: " << text;
  }
}

TEST_F(StreamTextTest, CompletionsTextIsAllContentAndAnUnfinishedCharacterEndsAsTheWholeDecodeHasIt) {
  std::vector<std::int32_t> ids = byte_tokens("a</think>b 漢");
  ids.pop_back();  // the reply ends inside a character
  StreamText stream(*tok_, false);
  std::string content;
  for (const std::int32_t id : ids) {
    const TextDeltas d = stream.push(std::span<const std::int32_t>(&id, 1));
    EXPECT_EQ(d.reasoning, "");
    content += d.content;
  }
  EXPECT_EQ(content, "a</think>b ") << "the unfinished character is held";
  content += stream.finish().content;
  EXPECT_EQ(content, tok_->decode(ids));
}

}  // namespace
}  // namespace r1eval::serve
