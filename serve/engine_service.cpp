#include "serve/engine_service.h"

namespace r1eval::serve {

EngineService::EngineService(engine::model::Model& model, engine::scheduler::SchedulerOptions options,
                             std::size_t max_waiting)
    : generator_(model, options), max_waiting_(max_waiting), thread_([this] { run(); }) {}

EngineService::~EngineService() { drain(); }

std::uint64_t EngineService::queue(Incoming incoming) {
  if (draining_) throw std::logic_error("the server is shutting down");
  if (waiting_ >= max_waiting_) throw QueueFull("the server's queue is full (" + std::to_string(max_waiting_) + ")");
  const std::uint64_t id = next_id_++;
  incoming.request.id = id;
  incoming_.push_back(std::move(incoming));
  ++waiting_;
  wake_.notify_one();
  return id;
}

std::future<std::vector<engine::model::GenerateResult>> EngineService::submit(
    engine::scheduler::GenerationRequest request) {
  std::promise<Results> promise;
  std::future<Results> result = promise.get_future();
  std::lock_guard lock(mutex_);
  queue(Incoming{std::move(request), std::move(promise), nullptr});
  return result;
}

EngineService::Streamed EngineService::submit_streamed(engine::scheduler::GenerationRequest request) {
  auto feed = std::make_shared<GenerationFeed>(request.streams.size());
  std::lock_guard lock(mutex_);
  return Streamed{queue(Incoming{std::move(request), {}, feed}), feed};
}

void EngineService::cancel(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  cancels_.push_back(id);
  wake_.notify_one();
}

std::size_t EngineService::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_;
}

std::uint64_t EngineService::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

void EngineService::drain() {
  {
    std::lock_guard lock(mutex_);
    draining_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

// Hands the arrived requests to the generator; returns how many it rejected (they are done).
std::size_t EngineService::admit(std::vector<Incoming>& arrived) {
  std::size_t rejected = 0;
  for (Incoming& in : arrived) {
    const std::uint64_t id = in.request.id;
    const std::size_t samples = in.request.streams.size();
    try {
      generator_.submit(std::move(in.request));
      generating_.emplace(id, Generating{std::move(in.promise), std::move(in.feed), Results(samples), samples});
    } catch (const std::invalid_argument&) {
      if (in.feed) {
        in.feed->fail(std::current_exception());
      } else {
        in.promise.set_exception(std::current_exception());
      }
      ++rejected;
    }
  }
  return rejected;
}

// Passes a step's drawn tokens to the streamed requests and its finished samples to every request; returns how many
// requests are now complete.
std::size_t EngineService::pass_on(std::vector<engine::scheduler::FinishedSample>& finished,
                                   const std::vector<engine::scheduler::DrawnToken>& drawn) {
  for (const engine::scheduler::DrawnToken& t : drawn) {
    const Generating& request = generating_.at(t.request_id);
    if (request.feed) request.feed->add_token(t.sample, t.token);
  }
  std::size_t complete = 0;
  for (engine::scheduler::FinishedSample& f : finished) {
    const auto it = generating_.find(f.request_id);
    Generating& request = it->second;
    if (request.feed) {
      request.feed->finish(f.sample, std::move(f.result));
    } else {
      request.results[f.sample] = std::move(f.result);
    }
    if (--request.running > 0) continue;
    if (!request.feed) request.promise.set_value(std::move(request.results));
    generating_.erase(it);
    ++complete;
  }
  return complete;
}

void EngineService::run() {
  std::vector<engine::scheduler::FinishedSample> finished;
  std::vector<engine::scheduler::DrawnToken> drawn;
  for (;;) {
    std::vector<Incoming> arrived;
    std::vector<std::uint64_t> cancels;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return !incoming_.empty() || !cancels_.empty() || !generator_.idle() || draining_; });
      if (incoming_.empty() && cancels_.empty() && generator_.idle() && draining_) return;
      arrived.swap(incoming_);
      cancels.swap(cancels_);
    }
    std::size_t done = admit(arrived);  // requests rejected, cancelled or complete
    std::size_t dropped = 0;
    // After admit(), so a request cancelled before the engine thread saw it is found too.
    for (const std::uint64_t id : cancels) {
      if (!generating_.erase(id)) continue;  // complete already, or cancelled twice
      generator_.cancel(id);
      ++dropped;
    }
    finished.clear();
    drawn.clear();
    generator_.step(finished, &drawn);
    done += dropped + pass_on(finished, drawn);
    std::lock_guard lock(mutex_);
    waiting_ -= done;
    cancelled_ += dropped;
  }
}

}  // namespace r1eval::serve
