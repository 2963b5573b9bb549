// What the engine thread hands one streamed request while it generates: each choice's tokens as they are drawn,
// then its result. The engine thread writes, the request's HTTP thread takes; both may run at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <vector>

#include "engine/model/generate.h"

namespace r1eval::serve {

class GenerationFeed {
 public:
  explicit GenerationFeed(std::size_t choices);

  // What arrived since the last take(): per choice, its new tokens (the stop token included, as in its result) and,
  // once finished, its result.
  struct News {
    std::vector<std::vector<std::int32_t>> tokens;
    std::vector<std::optional<engine::model::GenerateResult>> finished;
  };
  // Waits up to `timeout` for news and moves it into `news` (cleared first); false when nothing arrived. Rethrows
  // the generator's rejection of the request (std::invalid_argument).
  bool take(News& news, std::chrono::milliseconds timeout);

  // The engine thread's side.
  void add_token(std::size_t choice, std::int32_t token);
  void finish(std::size_t choice, engine::model::GenerateResult result);
  void fail(std::exception_ptr error);

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  News pending_;
  bool news_ = false;
  std::exception_ptr error_;
};

}  // namespace r1eval::serve
