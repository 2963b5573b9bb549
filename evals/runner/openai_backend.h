// An OpenAI-compatible HTTP endpoint as a backend (vLLM, SGLang, llama.cpp's server, DeepSeek's API, `r1eval
// serve`): one request per sample, many in flight on one thread through libcurl's multi interface, streamed
// replies, retries with backoff. A sample the endpoint never answers comes back as a Completion with `error` set.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "evals/runner/backend.h"

namespace r1eval::evals::runner {

struct OpenAiBackendOptions {
  std::string base_url;           // as OpenAI's clients take it, e.g. "http://host:8000/v1"; endpoints are appended
  std::string served_model;       // the "model" field of every request
  std::string api;                // "chat", "completions", or "" (chat for the r1 template, completions for r1-zero)
  std::string api_key;            // sent as a bearer token when not empty; never recorded
  std::int64_t concurrency = 32;  // requests in flight
  double idle_timeout_seconds = 600.0;  // a request that receives no byte (keep-alives count) this long is retried
  double connect_timeout_seconds = 30.0;
  std::int64_t max_retries = 6;  // further attempts of a sample after its first
  double backoff_seconds = 1.0;  // first retry delay, doubled per attempt, with jitter
  double backoff_cap_seconds = 60.0;
  bool stream = true;
};

class OpenAiBackend final : public Backend {
 public:
  // Throws std::invalid_argument for options that cannot work (no URL, an unknown API mode).
  explicit OpenAiBackend(OpenAiBackendOptions options);
  ~OpenAiBackend() override;

  nlohmann::json provenance() const override;
  // Throws std::invalid_argument for a template the endpoint cannot serve (neither r1 nor r1-zero).
  void submit(const CompletionRequest& request) override;
  void advance(std::vector<Completion>& finished) override;
  bool idle() const override;
  BackendActivity activity() const override;

  // The API mode a template is sent through: "chat" or "completions".
  std::string api_for(const std::string& template_name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The `seed` sent with a sample: its RNG stream mixed with the run's seed, as the signed 64-bit integer that
// servers accept (vLLM rejects seeds outside int64). `r1eval serve` inverts it given the same run seed.
std::int64_t endpoint_seed(std::uint64_t stream, std::uint64_t run_seed);
// The inverse: the RNG stream a sent seed stands for.
std::uint64_t sample_stream_of_endpoint_seed(std::int64_t seed, std::uint64_t run_seed);

}  // namespace r1eval::evals::runner
