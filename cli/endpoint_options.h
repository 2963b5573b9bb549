// The options of `r1eval run --backend openai`: where the endpoint is and how hard to push it.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "evals/runner/openai_backend.h"
#include "evals/runner/runner.h"

namespace r1eval::cli {

struct EndpointOptions {
  evals::runner::OpenAiBackendOptions backend;
  std::string api_key_env = "OPENAI_API_KEY";
};

// Adds --base-url, --served-model, --api-key-env, --api, --concurrency, --request-timeout, --max-retries.
void add_endpoint_options(CLI::App& command, EndpointOptions& options);

// The endpoint backend, with the API key read from the named environment variable (never from the command line,
// so it stays out of shell history and process lists). Sets the run's model and identity: the base URL, served
// model name and API mode decide the completions, the way the model files do for the engine.
std::unique_ptr<evals::runner::OpenAiBackend> make_endpoint_backend(EndpointOptions options,
                                                                    evals::runner::RunOptions& run);

}  // namespace r1eval::cli
