// One computation, several schedules: whole-prompt prefill, token-by-token decode, chunked prefill, batches of
// sequences at different positions, and 1 vs 2 threads.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

#include <gtest/gtest.h>

#include "engine/kernels/latent_attention.h"
#include "engine/model/generate.h"
#include "engine/model/model.h"
#include "golden_fixture.h"

namespace r1eval::engine::model {
namespace {

// Logits of every position of `ids`, fed to one sequence in chunks of `chunk` tokens.
std::vector<float> logits_in_chunks(Model& model, const std::vector<std::int32_t>& ids, std::size_t chunk) {
  Sequence seq = model.new_sequence();
  std::vector<float> all;
  StepResult result;
  for (std::size_t begin = 0; begin < ids.size(); begin += chunk) {
    const std::size_t count = std::min(chunk, ids.size() - begin);
    const StepItem item{&seq, std::span<const std::int32_t>(ids).subspan(begin, count), true};
    model.step(std::span<const StepItem>(&item, 1), result);
    all.insert(all.end(), result.logits.begin(), result.logits.end());
  }
  return all;
}

double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, static_cast<double>(std::abs(a[i] - b[i])));
  return worst;
}

// Every schedule property holds in both matmul input modes (ModelOptions): float32 and bf16.
using ScheduleCase = std::tuple<std::string, kernels::MatmulInputs>;

class Schedules : public ::testing::TestWithParam<ScheduleCase> {
 protected:
  void SetUp() override {
    const auto& [checkpoint, inputs] = GetParam();
    model_ = Model::load(testing::golden_dir() / checkpoint, {.matmul_inputs = inputs});
    golden_ = testing::load_golden(checkpoint);
  }
  std::vector<std::int32_t> prompt(const std::string& name) const {
    return testing::token_ids(testing::golden_prompt(golden_, name));
  }
  std::unique_ptr<Model> model_;
  nlohmann::json golden_;
};

TEST_P(Schedules, PrefillDecodeAndChunkedPrefillAgree) {
  const std::vector<std::int32_t> ids = prompt("long");
  const std::vector<float> whole = logits_in_chunks(*model_, ids, ids.size());
  const std::vector<float> one_by_one = logits_in_chunks(*model_, ids, 1);
  const std::vector<float> chunked = logits_in_chunks(*model_, ids, 10);
  ASSERT_EQ(whole.size(), one_by_one.size());
  ASSERT_EQ(whole.size(), chunked.size());
  EXPECT_LT(max_abs_diff(whole, one_by_one), 1e-4);
  EXPECT_LT(max_abs_diff(whole, chunked), 1e-4);
}

TEST_P(Schedules, BatchedIsBitIdenticalToAlone) {
  const std::vector<std::vector<std::int32_t>> prompts = {prompt("medium"), prompt("short"), prompt("long"),
                                                          prompt("bos_only")};
  // Alone: each prompt prefilled, then 5 decode steps feeding back token (7 * step + i) % 1000.
  const auto feed = [](std::size_t seq, int step) { return static_cast<std::int32_t>((7 * step + 31 * seq) % 1000); };
  std::vector<std::vector<float>> alone(prompts.size());
  for (std::size_t s = 0; s < prompts.size(); ++s) {
    Sequence seq = model_->new_sequence();
    StepResult r;
    StepItem item{&seq, prompts[s], true};
    model_->step(std::span<const StepItem>(&item, 1), r);
    alone[s] = r.logits;
    for (int step = 0; step < 5; ++step) {
      const std::int32_t token = feed(s, step);
      item = StepItem{&seq, std::span<const std::int32_t>(&token, 1), false};
      model_->step(std::span<const StepItem>(&item, 1), r);
      alone[s].insert(alone[s].end(), r.logits.begin(), r.logits.end());
    }
  }
  // Together: all prompts prefilled in one step, then decoded together; sequence 2 joins one step late to put
  // sequences at unrelated positions.
  std::vector<Sequence> seqs;
  for (std::size_t s = 0; s < prompts.size(); ++s) seqs.push_back(model_->new_sequence());
  std::vector<std::vector<float>> together(prompts.size());
  StepResult r;
  std::vector<StepItem> items;
  for (std::size_t s = 0; s < prompts.size(); ++s) {
    if (s != 2) items.push_back(StepItem{&seqs[s], prompts[s], true});
  }
  model_->step(items, r);
  for (std::size_t i = 0, s = 0; s < prompts.size(); ++s) {
    if (s == 2) continue;
    const std::int64_t rows = static_cast<std::int64_t>(prompts[s].size());
    together[s].assign(r.row(r.first_row[i]), r.row(r.first_row[i] + rows));
    ++i;
  }
  std::vector<std::int32_t> tokens(prompts.size());
  for (int step = -1; step < 5; ++step) {
    items.clear();
    std::vector<std::size_t> order;
    for (std::size_t s = 0; s < prompts.size(); ++s) {
      if (s == 2 && step == -1) {
        items.push_back(StepItem{&seqs[s], prompts[s], true});
      } else if (step >= 0 && !(s == 2 && step == 4)) {
        tokens[s] = feed(s, step);
        items.push_back(StepItem{&seqs[s], std::span<const std::int32_t>(&tokens[s], 1), false});
      } else {
        continue;
      }
      order.push_back(s);
    }
    model_->step(items, r);
    for (std::size_t i = 0; i < order.size(); ++i) {
      const std::size_t s = order[i];
      const std::int64_t rows = items[i].all_logits ? static_cast<std::int64_t>(items[i].tokens.size()) : 1;
      together[s].insert(together[s].end(), r.row(r.first_row[i]), r.row(r.first_row[i] + rows));
    }
  }
  // Sequence 2 ran one decode step fewer: compare the common part.
  for (std::size_t s = 0; s < prompts.size(); ++s) {
    SCOPED_TRACE(s);
    const std::size_t n = std::min(alone[s].size(), together[s].size());
    ASSERT_GT(n, 0u);
    EXPECT_EQ(0, std::memcmp(alone[s].data(), together[s].data(), n * sizeof(float)));
  }
}

TEST_P(Schedules, OneAndTwoThreadsAreBitIdentical) {
  const std::vector<std::int32_t> ids = prompt("long");
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const std::vector<float> one = logits_in_chunks(*model_, ids, 16);
  omp_set_num_threads(2);
  const std::vector<float> two = logits_in_chunks(*model_, ids, 16);
  omp_set_num_threads(saved);
  ASSERT_EQ(one.size(), two.size());
  EXPECT_EQ(0, std::memcmp(one.data(), two.data(), one.size() * sizeof(float)));
}

// Past one latent-attention chunk (kernels::kLatentAttentionChunk positions) a token's attention is combined from
// several chunks: in parallel when it decodes alone, one after another on its thread when other tokens share the
// step. Both must give the same bits, on any thread count, and agree with the whole-prompt prefill.
TEST_P(Schedules, ContextsLongerThanOneAttentionChunkKeepEveryScheduleProperty) {
  std::vector<std::int32_t> ids(static_cast<std::size_t>(kernels::kLatentAttentionChunk + 45));
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int32_t>((37 * i + 11) % 1000);
  const std::span<const std::int32_t> head(ids.data(), ids.size() - 1);
  const std::int32_t last = ids.back();
  const std::vector<std::int32_t> other = prompt("short");

  const auto decode_last = [&](bool with_other) {
    Sequence seq = model_->new_sequence(), companion = model_->new_sequence();
    StepResult r;
    const StepItem prefill{&seq, head, false};
    model_->step(std::span<const StepItem>(&prefill, 1), r);
    std::vector<StepItem> items = {StepItem{&seq, std::span<const std::int32_t>(&last, 1), false}};
    if (with_other) items.push_back(StepItem{&companion, other, false});
    model_->step(items, r);
    return std::vector<float>(r.row(r.first_row[0]), r.row(r.first_row[0]) + r.vocab_size);
  };
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const std::vector<float> alone_one_thread = decode_last(false);
  omp_set_num_threads(2);
  const std::vector<float> alone = decode_last(false);
  const std::vector<float> batched = decode_last(true);
  omp_set_num_threads(saved);
  EXPECT_EQ(alone, alone_one_thread);
  EXPECT_EQ(alone, batched);

  const std::vector<float> whole = logits_in_chunks(*model_, ids, ids.size());
  const std::vector<float> whole_last(whole.end() - static_cast<std::ptrdiff_t>(alone.size()), whole.end());
  EXPECT_LT(max_abs_diff(whole_last, alone), 1e-4);
}

TEST_P(Schedules, SamplesDecodedTogetherEqualSamplesDecodedAlone) {
  const std::vector<std::int32_t> ids = prompt("medium");
  GenerateOptions options;
  options.max_new_tokens = 12;
  options.sampling = SamplingParams{1.0, 0.9, 0, 11};
  options.stream = 100;
  options.stop_tokens = {3, 4, 5, 6, 7, 8, 9, 10};  // some samples stop early, so the batch shrinks
  const std::vector<GenerateResult> together = generate_samples(*model_, ids, 6, options);
  ASSERT_EQ(together.size(), 6u);
  std::set<std::vector<std::int32_t>> distinct;
  for (std::size_t i = 0; i < together.size(); ++i) {
    GenerateOptions alone_options = options;
    alone_options.stream = options.stream + i;
    const GenerateResult alone = generate(*model_, ids, alone_options);
    EXPECT_EQ(together[i].tokens, alone.tokens) << "sample " << i;
    EXPECT_EQ(together[i].finish, alone.finish) << "sample " << i;
    distinct.insert(alone.tokens);
  }
  EXPECT_GT(distinct.size(), 3u) << "samples on different streams should differ";

  GenerateOptions bad = options;
  bad.sampling.top_p = 1.5;  // rejected before any draw (draws run inside an OpenMP region)
  EXPECT_THROW(generate_samples(*model_, ids, 4, bad), std::invalid_argument);
}

std::string schedule_case_name(const ::testing::TestParamInfo<ScheduleCase>& case_info) {
  const auto& [checkpoint, inputs] = case_info.param;
  std::string name = checkpoint + (inputs == kernels::MatmulInputs::Bfloat16 ? "_bf16_inputs" : "_float32_inputs");
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Golden, Schedules,
                         ::testing::Combine(::testing::Values("tiny-bf16", "tiny-fp8"),
                                            ::testing::Values(kernels::MatmulInputs::Float32,
                                                              kernels::MatmulInputs::Bfloat16)),
                         schedule_case_name);

}  // namespace
}  // namespace r1eval::engine::model
