// A streamed choice's text as its tokens arrive: decoded incrementally (a UTF-8 character split across tokens is
// held until it is complete) and, for chat, R1's reasoning split from its answer at the first "</think>" (a piece
// that may be the start of a "</think>" spread over two tokens is held until the next says). The pieces joined
// equal the whole reply's text and split_reasoning() of it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "engine/tokenizer/tokenizer.h"

namespace r1eval::serve {

// Text ready to send: the reasoning (before "</think>") and the content (after it), either possibly empty.
struct TextDeltas {
  std::string reasoning;
  std::string content;
};

// Splits text arriving in pieces at the first "</think>": before it reasoning, after it content.
class ReasoningSplitter {
 public:
  TextDeltas push(std::string_view text);
  TextDeltas finish();  // the end of the reply: what was held back is reasoning after all

 private:
  std::string held_;  // a suffix of the text so far that "</think>" starts with
  bool closed_ = false;
};

class StreamText {
 public:
  // `split_reasoning`: chat (R1's reasoning split off); else every piece is content.
  StreamText(const engine::tokenizer::Tokenizer& tokenizer, bool split_reasoning);
  // The text tokens drawn since the last call (no stop token); returns what is now ready.
  TextDeltas push(std::span<const std::int32_t> tokens);
  TextDeltas finish();

 private:
  TextDeltas route(const std::string& text, bool last);

  engine::tokenizer::StreamDecoder decoder_;
  bool split_;
  ReasoningSplitter splitter_;
};

}  // namespace r1eval::serve
