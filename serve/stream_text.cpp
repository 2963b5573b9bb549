#include "serve/stream_text.h"

#include <algorithm>
#include <utility>

namespace r1eval::serve {
namespace {

constexpr std::string_view kClose = "</think>";

// The length of the longest suffix of `text` that is a proper prefix of "</think>".
std::size_t open_close_tag(std::string_view text) {
  for (std::size_t k = std::min(text.size(), kClose.size() - 1); k > 0; --k) {
    if (text.ends_with(kClose.substr(0, k))) return k;
  }
  return 0;
}

}  // namespace

TextDeltas ReasoningSplitter::push(std::string_view text) {
  if (closed_) return {"", std::string(text)};
  std::string pending = std::move(held_);
  pending += text;
  held_.clear();
  if (const std::size_t close = pending.find(kClose); close != std::string::npos) {
    closed_ = true;
    return {pending.substr(0, close), pending.substr(close + kClose.size())};
  }
  // "</think>" is ASCII, so the held suffix never cuts a UTF-8 character.
  const std::size_t hold = open_close_tag(pending);
  held_ = pending.substr(pending.size() - hold);
  pending.resize(pending.size() - hold);
  return {std::move(pending), ""};
}

TextDeltas ReasoningSplitter::finish() { return {std::exchange(held_, {}), ""}; }

StreamText::StreamText(const engine::tokenizer::Tokenizer& tokenizer, bool split_reasoning)
    : decoder_(tokenizer), split_(split_reasoning) {}

TextDeltas StreamText::route(const std::string& text, bool last) {
  if (!split_) return {"", text};
  TextDeltas deltas = splitter_.push(text);
  if (last) deltas.reasoning += splitter_.finish().reasoning;
  return deltas;
}

TextDeltas StreamText::push(std::span<const std::int32_t> tokens) {
  std::string text;
  for (const std::int32_t token : tokens) text += decoder_.push(token);
  return route(text, false);
}

TextDeltas StreamText::finish() { return route(decoder_.finish(), true); }

}  // namespace r1eval::serve
