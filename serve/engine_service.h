// The embedded engine shared by the server's request threads: one thread owns the continuous-batching generator
// and runs it while anything is queued, so concurrent clients decode together in the same batch.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "engine/scheduler/batch_generator.h"
#include "serve/generation_feed.h"

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
  // Queues one request whose tokens are passed on as they are drawn (a streamed reply). Throws as submit(); a request
  // the generator rejects fails the feed. The id is what cancel() takes.
  struct Streamed {
    std::uint64_t id = 0;
    std::shared_ptr<GenerationFeed> feed;
  };
  Streamed submit_streamed(engine::scheduler::GenerationRequest request);
  // Stops generating a request (its client went away) and frees its place in the queue; nothing more reaches its
  // feed. A request already complete is left alone.
  void cancel(std::uint64_t id);
  std::size_t waiting() const;      // requests queued or generating
  std::uint64_t cancelled() const;  // requests stopped by cancel() before they were complete
  // Finishes what is queued and generating, then stops the engine thread; submit() refuses requests from now on.
  void drain();

 private:
  using Results = std::vector<engine::model::GenerateResult>;
  // A request being generated: where it goes (the promise of a whole reply, or the feed of a streamed one), its
  // samples so far, and how many are still running.
  struct Generating {
    std::promise<Results> promise;
    std::shared_ptr<GenerationFeed> feed;
    Results results;
    std::size_t running = 0;
  };
  struct Incoming {
    engine::scheduler::GenerationRequest request;
    std::promise<Results> promise;
    std::shared_ptr<GenerationFeed> feed;
  };

  std::uint64_t queue(Incoming incoming);  // under mutex_
  void run();
  std::size_t admit(std::vector<Incoming>& arrived);
  std::size_t pass_on(std::vector<engine::scheduler::FinishedSample>& finished,
                      const std::vector<engine::scheduler::DrawnToken>& drawn);

  engine::scheduler::BatchGenerator generator_;
  std::size_t max_waiting_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Incoming> incoming_;
  std::vector<std::uint64_t> cancels_;              // under mutex_, for the engine thread
  std::map<std::uint64_t, Generating> generating_;  // owned by the engine thread
  std::size_t waiting_ = 0;                         // incoming plus generating, under mutex_
  std::uint64_t cancelled_ = 0;                     // under mutex_
  std::uint64_t next_id_ = 0;
  bool draining_ = false;
  std::thread thread_;
};

}  // namespace r1eval::serve
