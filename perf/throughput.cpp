#include "perf/throughput.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "engine/model/generate.h"
#include "engine/synth/counter_random.h"

namespace r1eval::perf {
namespace {

double rate(std::int64_t tokens, double seconds) { return seconds > 0.0 ? static_cast<double>(tokens) / seconds : 0.0; }

}  // namespace

std::vector<std::int32_t> synthetic_prompt(std::int64_t tokens, std::int64_t limit, std::uint64_t seed) {
  if (limit <= 3) throw std::invalid_argument("synthetic prompt: the vocabulary is too small");
  const engine::synth::CounterRandom random(seed, "bench-prompt");
  std::vector<std::int32_t> ids(static_cast<std::size_t>(tokens));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ids[i] = static_cast<std::int32_t>(3 + random.bits(i) % static_cast<std::uint64_t>(limit - 3));
  }
  return ids;
}

std::vector<ThroughputMeasurement> measure_throughput(engine::model::Model& model, const ThroughputOptions& options,
                                                      const std::function<void(const std::string&)>& progress) {
  const auto& config = model.config();
  const std::int64_t vocab = options.sampleable_vocab > 0 ? options.sampleable_vocab : config.vocab_size;
  const std::int64_t longest = std::max(options.prompt_tokens + options.decode_tokens,
                                        options.long_context + options.long_decode_tokens);
  if (options.prompt_tokens < 1) throw std::invalid_argument("throughput: the prompt needs at least one token");
  if (longest > config.max_position_embeddings) {
    throw std::invalid_argument(fmt::format("throughput: {} positions exceed the model's max_position_embeddings {}",
                                            longest, config.max_position_embeddings));
  }
  for (const std::int64_t b : options.batches) {
    if (b < 1) throw std::invalid_argument("throughput: every batch must be at least 1");
  }

  engine::model::GenerateOptions generate;
  generate.sampling =
      engine::model::SamplingParams{.temperature = 0.6, .top_p = 0.95, .top_k = 0, .seed = options.seed};
  generate.stop_at_eos = false;
  generate.sampleable_vocab = vocab;

  const std::vector<std::int32_t> prompt = synthetic_prompt(options.prompt_tokens, vocab, options.seed);
  if (progress) progress("warm-up");
  generate.max_new_tokens = 2;
  engine::model::generate(model, std::span(prompt).first(std::min<std::size_t>(prompt.size(), 16)), generate);

  std::vector<ThroughputMeasurement> out;
  const auto run = [&](std::span<const std::int32_t> ids, std::int64_t batch, std::int64_t new_tokens,
                       bool prefill_row) {
    if (progress) progress(fmt::format("prompt {} tokens, {} sample(s) x {} tokens", ids.size(), batch, new_tokens));
    generate.max_new_tokens = new_tokens;
    const std::vector<engine::model::GenerateResult> results =
        engine::model::generate_samples(model, ids, batch, generate);
    const engine::model::GenerateResult& first = results.front();
    if (prefill_row) {
      out.push_back({"prefill", 1, first.prefill_tokens, first.prefill_tokens, first.prefill_seconds,
                     rate(first.prefill_tokens, first.prefill_seconds)});
    }
    std::int64_t decoded = 0;
    for (const engine::model::GenerateResult& r : results) decoded += r.decode_tokens;
    out.push_back({"decode", batch, static_cast<std::int64_t>(ids.size()), decoded, first.decode_seconds,
                   rate(decoded, first.decode_seconds)});
  };
  bool first_run = true;
  for (const std::int64_t b : options.batches) {
    run(prompt, b, options.decode_tokens, first_run);
    first_run = false;
  }
  if (options.long_context > 0) {
    const std::vector<std::int32_t> long_prompt = synthetic_prompt(options.long_context, vocab, options.seed + 1);
    run(long_prompt, 1, options.long_decode_tokens, true);
  }
  return out;
}

}  // namespace r1eval::perf
