// The embedded engine shared by the server's request threads: one thread owns the continuous-batching generator
// and runs it while anything is queued, so concurrent clients decode together in the same batch.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "engine/scheduler/batch_generator.h"

namespace r1eval::serve {

// The queue is full; the client should retry later (HTTP 429).
class QueueFull : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class EngineService {
 public:
  // `max_waiting`: requests queued or generating at once before submit() refuses more.
  EngineService(engine::model::Model& model, engine::scheduler::SchedulerOptions options, std::size_t max_waiting);
  ~EngineService();  // drains: finishes what was submitted, then stops
  EngineService(const EngineService&) = delete;
  EngineService& operator=(const EngineService&) = delete;

  // Queues one request (ids are assigned here); its samples, one per stream, share the prompt's prefill. The future
  // holds them in stream order once the last has finished, or throws std::invalid_argument for a request the
  // generator rejects. Throws QueueFull, or std::logic_error after drain() began.
  std::future<std::vector<engine::model::GenerateResult>> submit(engine::scheduler::GenerationRequest request);
  // Finishes what is queued and generating, then stops the engine thread; submit() refuses requests from now on.
  void drain();

 private:
  using Results = std::vector<engine::model::GenerateResult>;
  // A request being generated: its samples so far, and how many are still running.
  struct Generating {
    std::promise<Results> promise;
    Results results;
    std::size_t running = 0;
  };

  void run();

  engine::scheduler::BatchGenerator generator_;
  std::size_t max_waiting_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::pair<engine::scheduler::GenerationRequest, std::promise<Results>>> incoming_;
  std::map<std::uint64_t, Generating> generating_;  // owned by the engine thread
  std::size_t waiting_ = 0;                         // incoming plus generating, under mutex_
  std::uint64_t next_id_ = 0;
  bool draining_ = false;
  std::thread thread_;
};

}  // namespace r1eval::serve
