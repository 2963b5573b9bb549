// End-to-end throughput of the engine on a model, as evaluations run it: prefill of one prompt, then decode of k
// samples of that prompt together (engine::model::generate_samples) at batch 1, 8, 32, 64, and decode after a longer
// prompt (where MLA attention over the cache weighs more).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/model/model.h"

namespace r1eval::perf {

struct ThroughputOptions {
  std::int64_t prompt_tokens = 128;
  std::int64_t decode_tokens = 32;            // generated per sample (EOS ignored)
  std::vector<std::int64_t> batches = {1, 8, 32, 64};
  std::int64_t long_context = 2048;           // prompt length of the long-context run (0: none)
  std::int64_t long_decode_tokens = 16;
  std::int64_t sampleable_vocab = 0;          // prompt ids and samples stay below this (0: the model's vocabulary)
  std::uint64_t seed = 0;
};

struct ThroughputMeasurement {
  std::string phase;          // "prefill" or "decode"
  std::int64_t batch = 1;     // sequences stepping together
  std::int64_t context = 0;   // prefill: prompt length; decode: prompt length the decode starts from
  std::int64_t tokens = 0;    // tokens processed (prefill) or generated over all samples (decode)
  double seconds = 0.0;
  double tokens_per_s = 0.0;
};

// Runs a short warm-up (pages of the memory-mapped weights), then every configuration once. Throws
// std::invalid_argument for options the model cannot take (a prompt longer than its positions, batch < 1).
std::vector<ThroughputMeasurement> measure_throughput(engine::model::Model& model, const ThroughputOptions& options,
                                                      const std::function<void(const std::string&)>& progress = {});

// Deterministic prompt ids in [3, limit) (skipping BOS/EOS-like low ids), for timing only.
std::vector<std::int32_t> synthetic_prompt(std::int64_t tokens, std::int64_t limit, std::uint64_t seed);

}  // namespace r1eval::perf
