// r1eval serve [--model DIR] [--host 127.0.0.1] [--port 8000] [--served-model NAME] [--max-batch B] [--seed S]
//              [--activations f32|bf16] [--api-key-env VAR]
// The embedded engine as an OpenAI-compatible server; SIGTERM or SIGINT finishes the requests in flight and exits.
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "cli/activations_option.h"
#include "cli/commands.h"
#include "common/repo_paths.h"
#include "serve/openai_server.h"

namespace r1eval::cli {
namespace {

struct ServeCommandOptions {
  std::string model;
  std::string host = "127.0.0.1";
  int port = 8000;
  std::string served_model;
  std::int64_t max_batch = 64;
  std::uint64_t seed = 0;
  std::string activations;
  std::string api_key_env;
};

void serve_command(const ServeCommandOptions& o) {
  serve::ServeOptions options;
  options.served_model = o.served_model.empty() ? std::filesystem::path(o.model).filename().string() : o.served_model;
  if (!o.api_key_env.empty()) {
    const char* key = std::getenv(o.api_key_env.c_str());
    if (key == nullptr || *key == '\0') {
      throw std::invalid_argument("--api-key-env names " + o.api_key_env + ", which is not set");
    }
    options.api_key = key;
  }
  options.seed = o.seed;
  options.scheduler.max_sequences = o.max_batch;
  options.model = model_options_for(o.activations);
  // Termination signals go to one waiting thread, not to whichever thread they land on, so that stopping the
  // server happens outside a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  fmt::print(stderr, "loading {}\n", o.model);
  serve::OpenAiServer server(o.model, options);
  const int port = server.bind(o.host, o.port);
  std::thread waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    fmt::print(stderr, "stopping: finishing the requests in flight\n");
    server.stop();
  });
  fmt::print(stderr, "serving {} at http://{}:{}/v1 (seed {})\n", options.served_model, o.host, port, o.seed);
  server.listen();
  // listen() returned on a signal, or on a failure: wake the waiter either way.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto o = std::make_shared<ServeCommandOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve a model through an OpenAI-compatible HTTP API");
  o->model = common::default_model_dir().string();
  cmd->add_option("--model", o->model, "Model directory; default: the bundled toy-arith-r1zero");
  cmd->add_option("--host", o->host, "Address to listen on (loopback by default)")->capture_default_str();
  cmd->add_option("--port", o->port, "Port (0: any free one)")->capture_default_str()->check(CLI::Range(0, 65535));
  cmd->add_option("--served-model", o->served_model, "Model name clients send (default: the directory's name)");
  cmd->add_option("--max-batch", o->max_batch, "Sequences decoded together")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--seed", o->seed, "The run seed of `r1eval run` whose samples a request's seed selects")
      ->capture_default_str();
  add_activations_option(*cmd, o->activations);
  cmd->add_option("--api-key-env", o->api_key_env, "Environment variable holding the bearer token clients must send");
  cmd->callback([o] { serve_command(*o); });
}

}  // namespace r1eval::cli
