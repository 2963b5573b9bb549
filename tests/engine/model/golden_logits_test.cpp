// The engine against golden outputs of an independent float64 implementation (tests/data/golden/README.md).
#include <algorithm>
#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

#include "engine/model/generate.h"
#include "engine/model/model.h"
#include "golden_fixture.h"

namespace r1eval::engine::model {
namespace {

using testing::golden_dir;
using testing::golden_prompt;
using testing::load_golden;
using testing::token_ids;

std::vector<std::int32_t> top5(const float* row, std::int64_t vocab) {
  std::vector<std::int32_t> ids(static_cast<std::size_t>(vocab));
  std::iota(ids.begin(), ids.end(), 0);
  std::partial_sort(ids.begin(), ids.begin() + 5, ids.end(), [row](std::int32_t a, std::int32_t b) {
    return row[a] > row[b] || (row[a] == row[b] && a < b);
  });
  ids.resize(5);
  return ids;
}

class GoldenCheckpoint : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    golden_ = load_golden(GetParam());
    model_ = Model::load(golden_dir() / GetParam());
  }
  nlohmann::json golden_;
  std::unique_ptr<Model> model_;
};

TEST_P(GoldenCheckpoint, LastLogitsAndTop5AtEveryPosition) {
  for (const auto& prompt : golden_["prompts"]) {
    SCOPED_TRACE(prompt["name"].get<std::string>());
    const std::vector<std::int32_t> ids = token_ids(prompt);
    Sequence seq = model_->new_sequence();
    const StepItem item{&seq, ids, true};
    StepResult result;
    model_->step(std::span<const StepItem>(&item, 1), result);
    const std::int64_t vocab = result.vocab_size;
    ASSERT_EQ(static_cast<std::int64_t>(result.logits.size()), vocab * static_cast<std::int64_t>(ids.size()));

    const auto expected_last = prompt["last_logits"].get<std::vector<double>>();
    ASSERT_EQ(static_cast<std::int64_t>(expected_last.size()), vocab);
    const float* last = result.row(static_cast<std::int64_t>(ids.size()) - 1);
    double worst = 0.0;
    for (std::int64_t v = 0; v < vocab; ++v) worst = std::max(worst, std::abs(last[v] - expected_last[v]));
    EXPECT_LT(worst, 1e-3) << "max |Δlogit| at the last position";

    const auto& expected_top5 = prompt["top5_ids"];
    for (std::size_t pos = 0; pos < ids.size(); ++pos) {
      EXPECT_EQ(top5(result.row(static_cast<std::int64_t>(pos)), vocab),
                expected_top5[pos].get<std::vector<std::int32_t>>())
          << "position " << pos;
    }
  }
}

TEST_P(GoldenCheckpoint, Greedy16WithKvCache) {
  for (const auto& prompt : golden_["prompts"]) {
    SCOPED_TRACE(prompt["name"].get<std::string>());
    const std::vector<std::int32_t> ids = token_ids(prompt);
    GenerateOptions options;
    options.max_new_tokens = 16;
    options.stop_at_eos = false;
    const GenerateResult out = generate(*model_, ids, options);
    EXPECT_EQ(out.tokens, prompt["greedy16"].get<std::vector<std::int32_t>>());
  }
}

TEST_P(GoldenCheckpoint, HiddenStatesOfShortPrompt) {
  const auto& prompt = golden_prompt(golden_, "short");
  const std::vector<std::int32_t> ids = token_ids(prompt);
  std::vector<std::vector<float>> layers;
  std::vector<float> embedding, final_norm;
  const HiddenObserver observer = [&](std::string_view stage, std::int64_t, const float* values, std::int64_t rows,
                                      std::int64_t width) {
    std::vector<float> copy(values, values + rows * width);
    if (stage == "embedding") embedding = copy;
    if (stage == "layer") layers.push_back(copy);
    if (stage == "final_norm") final_norm = copy;
  };
  Sequence seq = model_->new_sequence();
  const StepItem item{&seq, ids, true};
  StepResult result;
  model_->step(std::span<const StepItem>(&item, 1), result, &observer);

  const auto compare = [](const std::vector<float>& got, const nlohmann::json& expected, const std::string& what) {
    const auto rows = expected.get<std::vector<std::vector<double>>>();
    ASSERT_EQ(got.size(), rows.size() * rows[0].size()) << what;
    double worst = 0.0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (std::size_t c = 0; c < rows[r].size(); ++c) {
        worst = std::max(worst, std::abs(got[r * rows[r].size() + c] - rows[r][c]));
      }
    }
    EXPECT_LT(worst, 1e-4) << what;
  };
  compare(embedding, prompt["embedding_output"], "embedding");
  ASSERT_EQ(layers.size(), prompt["hidden_after_layer"].size());
  for (std::size_t l = 0; l < layers.size(); ++l) {
    compare(layers[l], prompt["hidden_after_layer"][l], "hidden after layer " + std::to_string(l));
  }
  compare(final_norm, prompt["final_norm_output"], "final norm");
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenCheckpoint, ::testing::Values("tiny-bf16", "tiny-fp8"));

}  // namespace
}  // namespace r1eval::engine::model
