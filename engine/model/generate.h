// Generation for one prompt: prefill, then decode token by token until EOS, a stop token or the budget.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "engine/model/model.h"
#include "engine/model/sampler.h"

namespace r1eval::engine::model {

struct GenerateOptions {
  std::int64_t max_new_tokens = 128;
  SamplingParams sampling;
  std::uint64_t stream = 0;                // RNG stream (one per sample when sampling several answers)
  bool stop_at_eos = true;
  std::vector<std::int32_t> stop_tokens;   // in addition to the model's eos_token_id
  std::int64_t prefill_chunk = 512;        // prompt tokens per forward step
  // Only ids below this are sampled (0: every row of the LM head). Set it to the tokenizer's size so the padding
  // rows of the vocabulary (129280 rows, 128815 tokens in R1) can never be drawn: they have no text.
  std::int64_t sampleable_vocab = 0;
};

// The ids a draw may choose from: the first options.sampleable_vocab (when set, at most `vocab`), else all.
std::int64_t sampleable_vocab(const GenerateOptions& options, std::int64_t vocab);
// Does `token` end a generation: the model's end-of-sentence id (unless ignored) or one of the stop tokens?
bool is_stop_token(std::int32_t token, std::int32_t eos, const GenerateOptions& options);

// kNonFinite: the logits of the next draw held a NaN or infinity; generation stopped without drawing from them.
enum class FinishReason { kStop, kLength, kNonFinite };

// "stop", "length" or "non_finite": the name outputs and the results database use.
const char* finish_reason_name(FinishReason reason);

struct GenerateResult {
  std::vector<std::int32_t> tokens;  // generated ids (a stop token included)
  FinishReason finish = FinishReason::kLength;
  std::int64_t prefill_tokens = 0;
  double prefill_seconds = 0.0;
  std::int64_t decode_tokens = 0;   // forward steps after the prefill
  double decode_seconds = 0.0;
};

// on_token is called after each generated token (for streaming output).
GenerateResult generate(Model& model, std::span<const std::int32_t> prompt, const GenerateOptions& options,
                        const std::function<void(std::int32_t)>& on_token = {});

// n samples of one prompt: one prefill shared by all, then every unfinished sample decodes in the same step.
// Sample i draws from RNG stream options.stream + i, so its tokens equal generate() with that stream alone
// (the engine is batch-invariant). The prefill time is reported in every result; decode time is the shared wall time.
std::vector<GenerateResult> generate_samples(Model& model, std::span<const std::int32_t> prompt, std::int64_t n,
                                             const GenerateOptions& options);

}  // namespace r1eval::engine::model
