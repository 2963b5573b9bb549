// libFuzzer target: arbitrary bytes through encode, decode, the streaming decoder and the chat template renderer.
// Invariants: no crash/hang, decode_bytes(encode(x)) == x, streamed text == decode(ids).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer.h"
#include "engine/tokenizer/tokenizer_error.h"

namespace {

const r1eval::engine::tokenizer::Tokenizer& tokenizer() {
  static const r1eval::engine::tokenizer::Tokenizer tok =
      *r1eval::engine::tokenizer::Tokenizer::load(std::string(R1EVAL_SOURCE_DIR) + "/datasets/tokenizers/deepseek-r1");
  return tok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace r1eval::engine::tokenizer;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const Tokenizer& tok = tokenizer();

  const auto ids = tok.encode(input);
  if (tok.decode_bytes(ids) != input) std::abort();
  StreamDecoder stream(tok);
  std::string streamed;
  for (const auto id : ids) streamed += stream.push(id);
  streamed += stream.finish();
  if (streamed != tok.decode(ids)) std::abort();

  // The same bytes as a chat template source and as a message body.
  try {
    const auto tmpl = ChatTemplate::from_source(input, "fuzz");
    (void)tmpl.render(nlohmann::json::parse(R"([{"role":"user","content":"hi"}])"), {}, tok.config());
  } catch (const TokenizerError&) {
  }
  const auto chat = ChatTemplate::select(tok.config(), "");
  nlohmann::json messages = nlohmann::json::array();
  messages.push_back({{"role", "user"}, {"content", input}});
  try {
    (void)chat.render(messages, {}, tok.config());
  } catch (const TokenizerError&) {
  }
  return 0;
}
