#include "engine/model/generate.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace r1eval::engine::model {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void check_options(std::span<const std::int32_t> prompt, const GenerateOptions& options) {
  if (prompt.empty()) throw std::invalid_argument("the prompt has no tokens");
  if (options.prefill_chunk < 1) throw std::invalid_argument("prefill_chunk must be at least 1");
  if (options.max_new_tokens < 1) throw std::invalid_argument("max_new_tokens must be at least 1");
  // Checked here, before any draw: generate_samples draws inside an OpenMP region, which must not throw.
  check_sampling_params(options.sampling);
}

// Feeds the prompt in chunks; `step` holds the logits of the last prompt position afterwards.
void prefill(Model& model, Sequence& sequence, std::span<const std::int32_t> prompt, std::int64_t chunk,
             StepResult& step) {
  for (std::size_t begin = 0; begin < prompt.size(); begin += static_cast<std::size_t>(chunk)) {
    const std::size_t count = std::min(prompt.size() - begin, static_cast<std::size_t>(chunk));
    const StepItem item{&sequence, prompt.subspan(begin, count), false};
    model.step(std::span<const StepItem>(&item, 1), step);
  }
}

}  // namespace

std::int64_t sampleable_vocab(const GenerateOptions& options, std::int64_t vocab) {
  return options.sampleable_vocab > 0 ? std::min(options.sampleable_vocab, vocab) : vocab;
}

const char* finish_reason_name(FinishReason reason) {
  switch (reason) {
    case FinishReason::kStop: return "stop";
    case FinishReason::kLength: return "length";
    case FinishReason::kNonFinite: return "non_finite";
  }
  return "unknown";
}

bool is_stop_token(std::int32_t token, std::int32_t eos, const GenerateOptions& options) {
  return (options.stop_at_eos && token == eos) ||
         std::find(options.stop_tokens.begin(), options.stop_tokens.end(), token) != options.stop_tokens.end();
}

GenerateResult generate(Model& model, std::span<const std::int32_t> prompt, const GenerateOptions& options,
                        const std::function<void(std::int32_t)>& on_token) {
  check_options(prompt, options);
  GenerateResult result;
  Sequence sequence = model.new_sequence();
  sequence.reserve(static_cast<std::int64_t>(prompt.size()) + options.max_new_tokens);
  StepResult step;
  Sampler sampler;

  const auto prefill_start = std::chrono::steady_clock::now();
  prefill(model, sequence, prompt, options.prefill_chunk, step);
  result.prefill_tokens = static_cast<std::int64_t>(prompt.size());
  result.prefill_seconds = seconds_since(prefill_start);

  const auto eos = static_cast<std::int32_t>(model.config().eos_token_id);
  const auto decode_start = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < options.max_new_tokens; ++i) {
    const std::int32_t token = sampler.sample(step.row(0), sampleable_vocab(options, step.vocab_size), options.sampling,
                                              options.stream, static_cast<std::uint64_t>(i));
    if (token == kNonFiniteLogits) {
      result.finish = FinishReason::kNonFinite;
      break;
    }
    result.tokens.push_back(token);
    if (on_token) on_token(token);
    if (is_stop_token(token, eos, options)) {
      result.finish = FinishReason::kStop;
      break;
    }
    if (i + 1 == options.max_new_tokens) break;  // the last token needs no forward pass
    const StepItem item{&sequence, std::span<const std::int32_t>(&result.tokens.back(), 1), false};
    model.step(std::span<const StepItem>(&item, 1), step);
    ++result.decode_tokens;
  }
  result.decode_seconds = seconds_since(decode_start);
  return result;
}

std::vector<GenerateResult> generate_samples(Model& model, std::span<const std::int32_t> prompt, std::int64_t n,
                                             const GenerateOptions& options) {
  check_options(prompt, options);
  if (n < 1) throw std::invalid_argument("the number of samples must be at least 1");
  std::vector<GenerateResult> results(static_cast<std::size_t>(n));
  Sequence shared = model.new_sequence();
  StepResult step;
  const auto prefill_start = std::chrono::steady_clock::now();
  prefill(model, shared, prompt, options.prefill_chunk, step);
  const double prefill_seconds = seconds_since(prefill_start);

  std::vector<Sequence> sequences(static_cast<std::size_t>(n), shared);
  for (Sequence& s : sequences) s.reserve(static_cast<std::int64_t>(prompt.size()) + options.max_new_tokens);
  const auto eos = static_cast<std::int32_t>(model.config().eos_token_id);
  const std::vector<float> prompt_logits(step.row(0), step.row(0) + step.vocab_size);

  std::vector<std::size_t> live(static_cast<std::size_t>(n));  // samples still generating, ascending
  for (std::size_t i = 0; i < live.size(); ++i) live[i] = i;
  std::vector<StepItem> items;
  const auto decode_start = std::chrono::steady_clock::now();
  // One sampler per thread: every draw is a pure function of (logits, stream, step), so sampling the live rows
  // in parallel changes nothing but the time.
  std::vector<Sampler> samplers(static_cast<std::size_t>(omp_get_max_threads()));
  std::vector<std::int32_t> drawn(static_cast<std::size_t>(n));
  for (std::int64_t t = 0; t < options.max_new_tokens && !live.empty(); ++t) {
    const auto rows = static_cast<std::int64_t>(live.size());
    const std::int64_t vocab = sampleable_vocab(options, step.vocab_size);
#pragma omp parallel for schedule(dynamic, 1) if (rows > 1)
    for (std::int64_t row = 0; row < rows; ++row) {
      const std::size_t i = live[static_cast<std::size_t>(row)];
      const float* logits = t == 0 ? prompt_logits.data() : step.row(row);
      drawn[i] = samplers[static_cast<std::size_t>(omp_get_thread_num())].sample(
          logits, vocab, options.sampling, options.stream + i, static_cast<std::uint64_t>(t));
    }
    std::vector<std::size_t> next;
    for (const std::size_t i : live) {
      const std::int32_t token = drawn[i];
      if (token == kNonFiniteLogits) {
        results[i].finish = FinishReason::kNonFinite;
        continue;
      }
      results[i].tokens.push_back(token);
      if (is_stop_token(token, eos, options)) {
        results[i].finish = FinishReason::kStop;
      } else if (t + 1 < options.max_new_tokens) {
        next.push_back(i);
      }
    }
    live = std::move(next);
    if (live.empty()) break;
    items.clear();
    for (const std::size_t i : live) {
      items.push_back(StepItem{&sequences[i], std::span<const std::int32_t>(&results[i].tokens.back(), 1), false});
      ++results[i].decode_tokens;
    }
    model.step(items, step);
  }
  const double decode_seconds = seconds_since(decode_start);
  for (GenerateResult& r : results) {
    r.prefill_tokens = static_cast<std::int64_t>(prompt.size());
    r.prefill_seconds = prefill_seconds;
    r.decode_seconds = decode_seconds;
  }
  return results;
}

}  // namespace r1eval::engine::model
