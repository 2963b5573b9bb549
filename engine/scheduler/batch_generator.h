// Continuous batching: many generation requests, each with several samples, advance through the model together.
//
// Every call to step() runs one forward pass over (a) one next token of every live sample and (b) at most one
// prompt chunk of the request being admitted. When a request's prompt is complete its samples are forked from
// the one prefilled sequence (they share the prefill), and each sample draws from its own RNG stream. Because
// the model is batch-invariant, a sample's tokens equal generate() with the same stream run alone, whatever else
// is in flight — which is what lets an interrupted evaluation resume with identical completions.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "engine/model/generate.h"
#include "engine/model/model.h"
#include "engine/model/sampler.h"

namespace r1eval::engine::scheduler {

struct GenerationRequest {
  std::uint64_t id = 0;
  std::vector<std::int32_t> prompt;
  std::vector<std::uint64_t> streams;  // one sample per RNG stream
  // max_new_tokens, sampling, stop_at_eos, stop_tokens and sampleable_vocab apply; stream and prefill_chunk are
  // replaced by `streams` and the scheduler's chunk.
  model::GenerateOptions options;
};

struct FinishedSample {
  std::uint64_t request_id = 0;
  std::size_t sample = 0;  // index into the request's streams
  model::GenerateResult result;
};

// A token as it is drawn: the caller of step() may pass it on (a streamed reply) before the sample finishes.
struct DrawnToken {
  std::uint64_t request_id = 0;
  std::size_t sample = 0;
  std::int32_t token = 0;
};

struct SchedulerOptions {
  std::int64_t max_sequences = 64;   // live samples decoded together (a request larger than this runs alone)
  std::int64_t prefill_chunk = 512;  // prompt tokens per step; fixed, as chunking is part of a run's identity
};

class BatchGenerator {
 public:
  BatchGenerator(model::Model& model, SchedulerOptions options);
  ~BatchGenerator();

  // Throws std::invalid_argument for an empty prompt, no streams, a token id outside the vocabulary or bad
  // sampling options; nothing is queued then.
  void submit(GenerationRequest request);

  // One forward pass; appends the samples that finished in it to `finished` and, when `drawn` is given, every token
  // drawn in it (a sample's tokens in order, the stop token included: its result's tokens). Does nothing when idle().
  void step(std::vector<FinishedSample>& finished, std::vector<DrawnToken>* drawn = nullptr);

  // Drops a request's samples, whether queued, prefilling or live, freeing their sequences; none of them is reported
  // as finished afterwards. The other samples draw what they would have drawn (batch invariance). Returns whether
  // anything of the request was still here.
  bool cancel(std::uint64_t request_id);

  bool idle() const;
  std::int64_t live_samples() const;

 private:
  struct Prefill;
  struct LiveSample;
  void admit();
  void draw(std::vector<FinishedSample>& finished, std::vector<DrawnToken>* drawn, const model::StepResult& step,
            std::size_t live_rows);
  void fork_samples(std::vector<FinishedSample>& finished, std::vector<DrawnToken>* drawn, const float* prompt_logits,
                    std::int64_t vocab);

  model::Model& model_;
  SchedulerOptions options_;
  std::deque<std::shared_ptr<const GenerationRequest>> queue_;
  std::unique_ptr<Prefill> prefill_;
  std::vector<LiveSample> live_;
  std::vector<model::Sampler> samplers_;  // one per thread
  model::StepResult step_;
};

}  // namespace r1eval::engine::scheduler
