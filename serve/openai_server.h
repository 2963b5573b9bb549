// `r1eval serve`: the embedded engine behind an OpenAI-compatible HTTP API (cpp-httplib). GET /v1/models,
// POST /v1/chat/completions and /v1/completions, streamed or whole; concurrent requests batch in one scheduler.
//
// Seeds: a request's `seed` selects the Philox stream the embedded runner would use, so a run through this server
// equals the embedded run. The stream is seed XOR splitmix64(server seed), as evals::runner::endpoint_seed() writes it;
// start the server with the run's --seed. A request without a seed draws a random stream.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "engine/model/model.h"
#include "engine/scheduler/batch_generator.h"

namespace r1eval::serve {

struct ServeOptions {
  std::string served_model;  // the name clients send as "model"
  std::string api_key;       // when not empty, requests need "Authorization: Bearer <key>"
  std::uint64_t seed = 0;    // the Philox key, as `r1eval run --seed`
  engine::scheduler::SchedulerOptions scheduler;
  engine::model::ModelOptions model;
  std::size_t max_waiting = 256;  // requests queued or generating before 429
  std::size_t max_body_bytes = 4 << 20;
};

class OpenAiServer {
 public:
  // Loads the checkpoint and its tokenizer; throws (naming the file) when they cannot be loaded.
  OpenAiServer(const std::filesystem::path& model_dir, ServeOptions options);
  ~OpenAiServer();

  // Binds host:port (port 0: any free port) and returns the port; throws std::runtime_error when it cannot.
  int bind(const std::string& host, int port);
  // Serves until stop(); then finishes the requests in flight.
  void listen();
  // Stops accepting; may be called from another thread.
  void stop();
  // Streamed requests stopped before they were complete: their client went away (or another of their choices
  // failed). For monitoring and tests.
  std::uint64_t cancelled_requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace r1eval::serve
