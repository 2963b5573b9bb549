#include "serve/engine_service.h"

namespace r1eval::serve {

EngineService::EngineService(engine::model::Model& model, engine::scheduler::SchedulerOptions options,
                             std::size_t max_waiting)
    : generator_(model, options), max_waiting_(max_waiting), thread_([this] { run(); }) {}

EngineService::~EngineService() { drain(); }

std::future<std::vector<engine::model::GenerateResult>> EngineService::submit(
    engine::scheduler::GenerationRequest request) {
  std::lock_guard lock(mutex_);
  if (draining_) throw std::logic_error("the server is shutting down");
  if (waiting_ >= max_waiting_) throw QueueFull("the server's queue is full (" + std::to_string(max_waiting_) + ")");
  request.id = next_id_++;
  std::promise<Results> promise;
  std::future<Results> result = promise.get_future();
  incoming_.emplace_back(std::move(request), std::move(promise));
  ++waiting_;
  wake_.notify_one();
  return result;
}

void EngineService::drain() {
  {
    std::lock_guard lock(mutex_);
    draining_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void EngineService::run() {
  std::vector<engine::scheduler::FinishedSample> finished;
  for (;;) {
    decltype(incoming_) arrived;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return !incoming_.empty() || !generator_.idle() || draining_; });
      if (incoming_.empty() && generator_.idle() && draining_) return;
      arrived.swap(incoming_);
    }
    std::size_t done = 0;  // requests rejected or complete
    for (auto& [request, promise] : arrived) {
      const std::uint64_t id = request.id;
      const std::size_t samples = request.streams.size();
      try {
        generator_.submit(std::move(request));
        generating_.emplace(id, Generating{std::move(promise), Results(samples), samples});
      } catch (const std::invalid_argument&) {
        promise.set_exception(std::current_exception());
        ++done;
      }
    }
    finished.clear();
    generator_.step(finished);
    for (engine::scheduler::FinishedSample& f : finished) {
      const auto it = generating_.find(f.request_id);
      Generating& request = it->second;
      request.results[f.sample] = std::move(f.result);
      if (--request.running > 0) continue;
      request.promise.set_value(std::move(request.results));
      generating_.erase(it);
      ++done;
    }
    std::lock_guard lock(mutex_);
    waiting_ -= done;
  }
}

}  // namespace r1eval::serve
