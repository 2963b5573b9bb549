#include "serve/generation_feed.h"

namespace r1eval::serve {

GenerationFeed::GenerationFeed(std::size_t choices) {
  pending_.tokens.resize(choices);
  pending_.finished.resize(choices);
}

bool GenerationFeed::take(News& news, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  arrived_.wait_for(lock, timeout, [this] { return news_ || error_; });
  if (error_) std::rethrow_exception(error_);
  for (auto& t : news.tokens) t.clear();
  news.tokens.resize(pending_.tokens.size());
  news.finished.assign(pending_.finished.size(), std::nullopt);
  if (!news_) return false;
  // Swapping hands the taken vectors back empty for the engine to fill again, without reallocating.
  news.tokens.swap(pending_.tokens);
  news.finished.swap(pending_.finished);
  news_ = false;
  return true;
}

void GenerationFeed::add_token(std::size_t choice, std::int32_t token) {
  std::lock_guard lock(mutex_);
  pending_.tokens[choice].push_back(token);
  news_ = true;
  arrived_.notify_one();
}

void GenerationFeed::finish(std::size_t choice, engine::model::GenerateResult result) {
  std::lock_guard lock(mutex_);
  pending_.finished[choice] = std::move(result);
  news_ = true;
  arrived_.notify_one();
}

void GenerationFeed::fail(std::exception_ptr error) {
  std::lock_guard lock(mutex_);
  error_ = std::move(error);
  arrived_.notify_one();
}

}  // namespace r1eval::serve
