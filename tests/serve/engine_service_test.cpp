// The engine thread of `r1eval serve`: a streamed request's feed carries exactly its result's tokens, and a cancelled
// request leaves the batch at once (its place in the queue freed) without changing what the others generate.
#include "serve/engine_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

namespace r1eval::serve {
namespace {

const std::filesystem::path kModel = std::filesystem::path(R1EVAL_SOURCE_DIR) / "models/toy-arith-r1zero";

engine::scheduler::GenerationRequest request(std::vector<std::uint64_t> streams, std::int64_t max_new,
                                             double temperature) {
  engine::scheduler::GenerationRequest r;
  r.prompt = {1, 40, 41, 42, 43};
  r.streams = std::move(streams);
  r.options.max_new_tokens = max_new;
  r.options.sampling = engine::model::SamplingParams{temperature, 1.0, 0, 9};
  r.options.stop_at_eos = false;  // every sample runs to its budget, so the long one is still running when cancelled
  return r;
}

TEST(EngineService, StreamsTokensAndCancelsWithoutDisturbingTheOthers) {
  const std::unique_ptr<engine::model::Model> model = engine::model::Model::load(kModel);
  EngineService service(*model, engine::scheduler::SchedulerOptions{8, 512}, 4);
  const EngineService::Streamed doomed = service.submit_streamed(request({1}, 8000, 2.0));
  const EngineService::Streamed kept = service.submit_streamed(request({2, 3}, 40, 1.0));

  GenerationFeed::News news;
  std::size_t doomed_tokens = 0;
  while (doomed_tokens < 3) {
    if (doomed.feed->take(news, std::chrono::seconds(10))) doomed_tokens += news.tokens[0].size();
  }
  service.cancel(doomed.id);

  std::vector<std::vector<std::int32_t>> streamed(2);
  std::vector<std::optional<engine::model::GenerateResult>> results(2);
  while (!results[0] || !results[1]) {
    if (!kept.feed->take(news, std::chrono::seconds(10))) continue;
    for (std::size_t i = 0; i < 2; ++i) {
      streamed[i].insert(streamed[i].end(), news.tokens[i].begin(), news.tokens[i].end());
      if (news.finished[i]) results[i] = std::move(news.finished[i]);
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (service.waiting() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(service.waiting(), 0u) << "the cancelled request must not hold its place";
  EXPECT_EQ(service.cancelled(), 1u);

  // The same request alone, through the whole-reply path: batch invariance makes it equal.
  const std::vector<engine::model::GenerateResult> alone = service.submit(request({2, 3}, 40, 1.0)).get();
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(results[i]->tokens.size(), 40u);
    EXPECT_EQ(streamed[i], results[i]->tokens) << "choice " << i;
    EXPECT_EQ(results[i]->tokens, alone[i].tokens) << "choice " << i;
  }
  EXPECT_NE(alone[0].tokens, alone[1].tokens);
  service.cancel(kept.id);  // complete already: nothing to cancel
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(service.cancelled(), 1u);
}

}  // namespace
}  // namespace r1eval::serve
