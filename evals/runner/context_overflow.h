// Reading a server's "the request does not fit the context" rejection. vLLM, SGLang, DeepSeek's API and OpenAI
// answer HTTP 400 when the prompt plus max_tokens exceeds the model's context, where the embedded engine clamps the
// budget instead; their messages name the context length and the prompt's size, which is enough to clamp the same way
// and send again.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace r1eval::evals::runner {

struct ContextOverflow {
  std::int64_t context_tokens = 0;  // the model's context length as the server states it
  std::int64_t prompt_tokens = 0;   // the request's input tokens
};

// Both numbers from the message of a context-length rejection, in the wordings of vLLM ("This model's maximum context
// length is N tokens. However, you requested T tokens (P in the messages, M in the completion)" and "... and your
// request has P input tokens"), SGLang ("... maximum context length of N tokens. You requested a total of T tokens: P
// tokens from the input messages and M tokens for the completion", "The input (P tokens) is longer than the model's
// context length (N tokens)") and OpenAI ("... maximum context length is N tokens. However, your messages resulted
// in P tokens"). nullopt when the message is not such a rejection or lacks either number.
std::optional<ContextOverflow> parse_context_overflow(std::string_view message);

}  // namespace r1eval::evals::runner
