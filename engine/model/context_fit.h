// Where a generation's token budget meets the model's context (max_position_embeddings): positions past it have
// no trained rotary embedding, and a prompt that long costs minutes of prefill before anything could fail.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace r1eval::engine::model {

// The budget that fits after the prompt: `max_new_tokens`, or less where the context leaves less. Throws
// std::invalid_argument, one sentence, when the prompt leaves no room for a single new token. A context of 0
// (unknown) limits nothing.
inline std::int64_t budget_within_context(std::int64_t prompt_tokens, std::int64_t max_new_tokens,
                                          std::int64_t context) {
  if (context <= 0) return max_new_tokens;
  if (prompt_tokens >= context) {
    throw std::invalid_argument("the prompt of " + std::to_string(prompt_tokens) +
                                " tokens does not fit the model's context of " + std::to_string(context) +
                                " tokens (max_position_embeddings), which must also leave room for an answer");
  }
  return std::min(max_new_tokens, context - prompt_tokens);
}

}  // namespace r1eval::engine::model
