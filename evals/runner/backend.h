// Where completions come from. The runner speaks only this interface, so the embedded engine and an
// OpenAI-compatible HTTP endpoint (vLLM, SGLang, hosted APIs) are interchangeable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace r1eval::evals::runner {

struct SamplingSettings {
  double temperature = 0.6;
  double top_p = 0.95;
  std::uint64_t seed = 0;
};

// One problem's worth of samples. Each sample has its own RNG stream, so any sample can be reproduced alone.
struct CompletionRequest {
  std::uint64_t id = 0;
  std::string user_message;           // rendered by the backend through the chat template
  std::string template_name;          // "r1" (the model's chat template, answer opened with "<think>\n"), "r1-zero"...
  std::vector<std::uint64_t> streams;  // one completion per stream
  SamplingSettings sampling;
  std::int64_t max_new_tokens = 0;
};

struct Completion {
  std::uint64_t request_id = 0;
  std::size_t sample = 0;              // index into the request's streams
  std::string text;                    // the generated text, stop token excluded
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;  // stop token included
  std::string finish_reason;           // "stop", "length", or "non_finite" (the logits held a NaN: no answer)
  // The budget the sample ran with: the request's, or less where the model's context leaves less after the prompt.
  std::int64_t max_new_tokens = 0;
  std::int64_t reasoning_tokens = -1;  // of completion_tokens, where an endpoint reports them; -1: unknown
  std::string served_model;            // the model id an endpoint's reply named; empty for the engine
  std::string system_fingerprint;      // an endpoint's system_fingerprint, where it sends one
  // Not empty when the backend gave up on the sample (an endpoint that never answered): nothing was generated, so
  // the runner must neither grade it nor store it.
  std::string error;
  double prefill_seconds = 0.0;
  double decode_seconds = 0.0;
};

// What a backend is doing, for the progress line.
struct BackendActivity {
  std::int64_t in_flight = 0;  // requests sent and not yet answered
  std::int64_t retries = 0;    // attempts repeated after a fault, since the backend was made
};

class Backend {
 public:
  virtual ~Backend() = default;
  // What to record with a run: model directory hashes, template, engine settings.
  virtual nlohmann::json provenance() const = 0;
  // Throws std::invalid_argument for a request that cannot run (a prompt that leaves no room in the context, bad
  // sampling); nothing queued. A budget larger than the context leaves after the prompt is clamped, not refused.
  virtual void submit(const CompletionRequest& request) = 0;
  // Does a slice of work (one engine step) and appends the completions that finished.
  virtual void advance(std::vector<Completion>& finished) = 0;
  virtual bool idle() const = 0;
  // The embedded engine has no requests in flight or retries to report: all zero.
  virtual BackendActivity activity() const { return {}; }
};

}  // namespace r1eval::evals::runner
