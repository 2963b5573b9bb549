#include "cli/endpoint_options.h"

#include <cstdlib>

namespace r1eval::cli {

void add_endpoint_options(CLI::App& command, EndpointOptions& o) {
  const char* group = "Endpoint (--backend openai)";
  command.add_option("--base-url", o.backend.base_url, "OpenAI-compatible API root, e.g. http://host:8000/v1")
      ->group(group);
  command.add_option("--served-model", o.backend.served_model, "The model name the server serves")->group(group);
  command.add_option("--api-key-env", o.api_key_env, "Environment variable holding the API key")
      ->capture_default_str()
      ->group(group);
  command.add_option("--api", o.backend.api, "chat or completions (default: chat for r1, completions for r1-zero)")
      ->check(CLI::IsMember({"chat", "completions"}))
      ->group(group);
  command.add_option("--concurrency", o.backend.concurrency, "Requests in flight")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group(group);
  command
      .add_option("--request-timeout", o.backend.idle_timeout_seconds,
                  "Seconds without a byte (keep-alives count) before a request is retried")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 86400.0))
      ->group(group);
  command.add_option("--max-retries", o.backend.max_retries, "Further attempts of a sample after its first")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber)
      ->group(group);
}

std::unique_ptr<evals::runner::OpenAiBackend> make_endpoint_backend(EndpointOptions o, evals::runner::RunOptions& run) {
  if (const char* key = std::getenv(o.api_key_env.c_str()); key != nullptr) o.backend.api_key = key;
  auto backend = std::make_unique<evals::runner::OpenAiBackend>(o.backend);
  run.model = o.backend.served_model;
  run.model_fingerprint = {{"served_model", o.backend.served_model}, {"base_url", o.backend.base_url}};
  run.backend_identity = {{"backend", "openai"}, {"api", o.backend.api.empty() ? "per-template" : o.backend.api}};
  return backend;
}

}  // namespace r1eval::cli
