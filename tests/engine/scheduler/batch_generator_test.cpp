// Continuous batching must not change what any sample generates: every sample of every request, scheduled
// together with others (queued, prefilled in chunks beside decoding samples, forked from a shared prefill), equals
// generate() run alone on the same prompt and RNG stream.
#include "engine/scheduler/batch_generator.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>

#include "tests/engine/model/golden_fixture.h"

namespace r1eval::engine::scheduler {
namespace {

class Scheduling : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { model_ = model::Model::load(testing::golden_dir() / GetParam()); }

  std::vector<std::int32_t> prompt(const char* name) {
    return testing::token_ids(testing::golden_prompt(testing::load_golden(GetParam()), name));
  }

  static model::GenerateOptions sampling_options(std::int64_t max_new) {
    model::GenerateOptions options;
    options.max_new_tokens = max_new;
    options.sampling = model::SamplingParams{1.0, 0.9, 0, 11};
    options.stop_tokens = {3, 4, 5, 6, 7, 8, 9, 10};  // some samples stop early
    return options;
  }

  std::unique_ptr<model::Model> model_;
};

TEST_P(Scheduling, EverySampleEqualsGenerateAlone) {
  constexpr std::int64_t kChunk = 3;  // several chunks per prompt, each mixed into decode steps
  BatchGenerator generator(*model_, SchedulerOptions{5, kChunk});
  std::vector<GenerationRequest> requests;
  const char* names[] = {"medium", "short", "medium", "short"};
  for (std::uint64_t id = 0; id < 4; ++id) {
    GenerationRequest r;
    r.id = id;
    r.prompt = prompt(names[id]);
    r.options = sampling_options(id == 1 ? 1 : 9);  // request 1: a one-token budget finishes at the fork
    for (std::uint64_t s = 0; s < 3; ++s) r.streams.push_back(1000 * id + s);
    requests.push_back(r);
    generator.submit(r);
  }
  std::vector<FinishedSample> finished;
  int steps = 0;
  while (!generator.idle()) {
    generator.step(finished);
    ASSERT_LE(generator.live_samples(), 5 + 3) << "admission overran the batch";
    ASSERT_LT(++steps, 1000);
  }
  ASSERT_EQ(finished.size(), 12u);
  std::set<std::pair<std::uint64_t, std::size_t>> seen;
  std::set<std::vector<std::int32_t>> distinct;
  for (const FinishedSample& f : finished) {
    ASSERT_TRUE(seen.insert({f.request_id, f.sample}).second) << "a sample finished twice";
    const GenerationRequest& r = requests[f.request_id];
    model::GenerateOptions alone = r.options;
    alone.stream = r.streams[f.sample];
    alone.prefill_chunk = kChunk;
    const model::GenerateResult expected = generate(*model_, r.prompt, alone);
    EXPECT_EQ(f.result.tokens, expected.tokens) << "request " << f.request_id << " sample " << f.sample;
    EXPECT_EQ(f.result.finish, expected.finish) << "request " << f.request_id << " sample " << f.sample;
    EXPECT_EQ(f.result.decode_tokens, expected.decode_tokens);
    EXPECT_EQ(f.result.prefill_tokens, static_cast<std::int64_t>(r.prompt.size()));
    distinct.insert(f.result.tokens);
  }
  EXPECT_GT(distinct.size(), 6u) << "samples on different streams should differ";
}

// A streamed reply passes tokens on as they are drawn: per sample, in order, exactly the tokens of its result.
TEST_P(Scheduling, DrawnTokensOfASampleAreItsResultTokensInOrder) {
  BatchGenerator generator(*model_, SchedulerOptions{4, 3});
  for (std::uint64_t id = 0; id < 3; ++id) {
    GenerationRequest r;
    r.id = id;
    r.prompt = prompt(id == 1 ? "short" : "medium");
    r.options = sampling_options(id == 2 ? 1 : 9);
    r.streams = {10 * id, 10 * id + 1};
    generator.submit(r);
  }
  std::vector<FinishedSample> finished;
  std::vector<DrawnToken> drawn;
  std::map<std::pair<std::uint64_t, std::size_t>, std::vector<std::int32_t>> streamed;
  std::set<std::pair<std::uint64_t, std::size_t>> done;
  while (!generator.idle()) {
    drawn.clear();
    const std::size_t before = finished.size();
    generator.step(finished, &drawn);
    for (const DrawnToken& t : drawn) {
      ASSERT_FALSE(done.contains({t.request_id, t.sample})) << "a token drawn after its sample finished";
      streamed[{t.request_id, t.sample}].push_back(t.token);
    }
    for (std::size_t i = before; i < finished.size(); ++i) done.insert({finished[i].request_id, finished[i].sample});
  }
  ASSERT_EQ(finished.size(), 6u);
  for (const FinishedSample& f : finished) {
    EXPECT_FALSE(f.result.tokens.empty());
    EXPECT_EQ(streamed[std::make_pair(f.request_id, f.sample)], f.result.tokens) << "request " << f.request_id;
  }
}

// A cancelled request (a client that went away) leaves at once, wherever it was, and the others draw exactly what
// they draw without it.
TEST_P(Scheduling, CancelledRequestsLeaveAndTheOthersAreUnchanged) {
  constexpr std::int64_t kChunk = 3;
  const auto request = [&](std::uint64_t id, const char* name) {
    GenerationRequest r;
    r.id = id;
    r.prompt = prompt(name);
    r.options = sampling_options(12);
    r.options.stop_tokens.clear();  // everything runs to its budget, so the cancel lands mid-decode
    r.streams = {100 * id, 100 * id + 1};
    return r;
  };
  const auto run = [&](bool with_cancels) {
    BatchGenerator generator(*model_, SchedulerOptions{4, kChunk});
    generator.submit(request(0, "medium"));
    if (with_cancels) generator.submit(request(1, "short"));  // live beside request 0, then cancelled
    generator.submit(request(2, "medium"));
    if (with_cancels) generator.submit(request(3, "short"));  // still queued when cancelled
    std::vector<FinishedSample> finished;
    int steps = 0;
    while (!generator.idle()) {
      generator.step(finished);
      if (with_cancels && ++steps == 12) {
        const std::int64_t live = generator.live_samples();
        EXPECT_TRUE(generator.cancel(1));
        EXPECT_EQ(generator.live_samples(), live - 2) << "request 1 should have been decoding";
        EXPECT_TRUE(generator.cancel(3));
        EXPECT_FALSE(generator.cancel(3)) << "nothing of it is left to cancel";
      }
    }
    std::map<std::pair<std::uint64_t, std::size_t>, std::vector<std::int32_t>> tokens;
    for (const FinishedSample& f : finished) tokens[std::make_pair(f.request_id, f.sample)] = f.result.tokens;
    return tokens;
  };
  const auto with = run(true);
  const auto without = run(false);
  EXPECT_EQ(with, without) << "cancelled requests must report nothing and change nothing else";
  EXPECT_EQ(with.size(), 4u);
}

TEST_P(Scheduling, GreedySamplesOfARequestLargerThanTheBatchRunAlone) {
  BatchGenerator generator(*model_, SchedulerOptions{2, 512});
  GenerationRequest r;
  r.id = 7;
  r.prompt = prompt("short");
  r.options.max_new_tokens = 6;
  r.streams = {1, 2, 3};
  generator.submit(r);
  std::vector<FinishedSample> finished;
  while (!generator.idle()) generator.step(finished);
  ASSERT_EQ(finished.size(), 3u);
  model::GenerateOptions alone = r.options;
  const model::GenerateResult expected = generate(*model_, r.prompt, alone);
  for (const FinishedSample& f : finished) EXPECT_EQ(f.result.tokens, expected.tokens);
}

TEST_P(Scheduling, BadRequestsAreRejectedAndNothingIsQueued) {
  BatchGenerator generator(*model_, SchedulerOptions{});
  GenerationRequest empty;
  empty.streams = {0};
  EXPECT_THROW(generator.submit(empty), std::invalid_argument);
  GenerationRequest no_samples;
  no_samples.prompt = {1, 2};
  EXPECT_THROW(generator.submit(no_samples), std::invalid_argument);
  GenerationRequest bad_token;
  bad_token.prompt = {1, static_cast<std::int32_t>(model_->config().vocab_size)};
  bad_token.streams = {0};
  EXPECT_THROW(generator.submit(bad_token), std::invalid_argument);
  GenerationRequest bad_sampling;
  bad_sampling.prompt = {1, 2};
  bad_sampling.streams = {0};
  bad_sampling.options.sampling.top_p = 0.0;
  EXPECT_THROW(generator.submit(bad_sampling), std::invalid_argument);
  EXPECT_TRUE(generator.idle());
  EXPECT_THROW(BatchGenerator(*model_, SchedulerOptions{0, 512}), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Golden, Scheduling, ::testing::Values("tiny-bf16", "tiny-fp8"));

}  // namespace
}  // namespace r1eval::engine::scheduler
