// The one exception type of the tokenizer library: a bad tokenizer.json / tokenizer_config.json, an unsupported
// construct in one, a chat-template error, or a bad token id. The message is one sentence naming the file or input.
#pragma once

#include <stdexcept>
#include <string>

namespace r1eval::engine::tokenizer {

class TokenizerError : public std::runtime_error {
 public:
  explicit TokenizerError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace r1eval::engine::tokenizer
