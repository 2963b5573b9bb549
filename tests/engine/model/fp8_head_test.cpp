// A checkpoint whose LM heads are F8_E4M3 too (synth-model --fp8-head): it loads, and its logits are the final
// normed hidden states times the head's codes decoded by the E4M3 definition and scaled per 128x128 block, summed
// here in float64 from the raw file bytes.
#include <cmath>
#include <cstring>

#include <gtest/gtest.h>

#include "engine/model/model.h"
#include "engine/synth/synthetic_checkpoint.h"
#include "engine/weights/checkpoint.h"
#include "tests/engine/weights/test_files.h"

namespace r1eval::engine::model {
namespace {

namespace fs = std::filesystem;
using weights::Checkpoint;
using weights::DType;

struct Fp8HeadCheckpoint {
  fs::path dir;
  Fp8HeadCheckpoint() {
    const fs::path scratch = test::scratch_dir();
    synth::SynthOptions options;
    options.tokenizer_dir = test::empty_tokenizer_dir(scratch);
    options.durable = false;
    options.fp8_heads = true;
    dir = scratch / "model";
    synth::write_synthetic_checkpoint(synth::Preset::Tiny, 5, true, dir, options);
  }
};

// Logits at every position of a short prompt, with the final normed rows the observer saw.
struct Forward {
  std::vector<float> normed;  // rows × hidden
  StepResult result;
  std::int64_t rows = 0, hidden = 0;
};

Forward run(const fs::path& dir, kernels::MatmulInputs inputs) {
  const std::unique_ptr<Model> model = Model::load(dir, {.matmul_inputs = inputs});
  const std::vector<std::int32_t> ids = {0, 17, 4242, 90001, 129279, 3};
  Sequence seq = model->new_sequence();
  const StepItem item{&seq, ids, true};
  Forward f;
  const HiddenObserver observer = [&](std::string_view stage, std::int64_t, const float* values, std::int64_t rows,
                                      std::int64_t width) {
    if (stage != "final_norm") return;
    f.normed.assign(values, values + rows * width);
    f.rows = rows;
    f.hidden = width;
  };
  model->step(std::span<const StepItem>(&item, 1), f.result, &observer);
  return f;
}

// For each logit: |computed - float64 reference| against `tolerance(sum of |products|)`.
template <class Tolerance>
void expect_head_products(const fs::path& dir, const Forward& f, Tolerance tolerance) {
  const Checkpoint checkpoint = Checkpoint::open(dir);
  const auto& codes = checkpoint.get("lm_head.weight");
  const auto& scales = checkpoint.get("lm_head.weight_scale_inv");
  ASSERT_EQ(codes.dtype, DType::F8_E4M3);
  ASSERT_EQ(checkpoint.get("model.layers.4.shared_head.head.weight").dtype, DType::F8_E4M3);
  const std::int64_t vocab = codes.shape[0], hidden = codes.shape[1];
  ASSERT_EQ(f.hidden, hidden);
  ASSERT_EQ(f.result.vocab_size, vocab);
  const std::int64_t grid_cols = (hidden + 127) / 128;
  std::vector<float> scale(scales.nbytes / sizeof(float));
  std::memcpy(scale.data(), scales.data, scales.nbytes);
  const auto* bytes = static_cast<const std::uint8_t*>(codes.data);
  std::int64_t checked = 0;
  for (std::int64_t r = 0; r < f.rows; ++r) {
    const float* x = f.normed.data() + r * hidden;
    for (std::int64_t v = 0; v < vocab; v += 37) {  // every 37th row: all row blocks, ragged ones included
      double exact = 0.0, magnitude = 0.0;
      for (std::int64_t j = 0; j < hidden; ++j) {
        const double w = test::e4m3_by_definition(bytes[v * hidden + j]) * scale[(v / 128) * grid_cols + j / 128];
        exact += x[j] * w;
        magnitude += std::fabs(x[j] * w);
      }
      ASSERT_NEAR(f.result.row(r)[v], exact, tolerance(magnitude)) << "position " << r << ", vocabulary row " << v;
      ++checked;
    }
  }
  EXPECT_GT(checked, 1000);
}

TEST(Fp8Head, LogitsAreTheNormedStatesTimesTheDecodedHead) {
  const Fp8HeadCheckpoint ckpt;
  const Forward f = run(ckpt.dir, kernels::MatmulInputs::Float32);
  // float32 sums of float32 products over 64 columns.
  expect_head_products(ckpt.dir, f, [](double magnitude) { return 1e-6 * magnitude + 1e-6; });
}

TEST(Fp8Head, Bf16InputsStayWithinTheirRoundingOfTheDecodedHead) {
  const Fp8HeadCheckpoint ckpt;
  const Forward f = run(ckpt.dir, kernels::MatmulInputs::Bfloat16);
  // Each input is rounded to bf16 once (relative error <= 2^-9) and every product with the exact value/256 weight
  // is exact in float32; the float32 sums add far less than that.
  expect_head_products(ckpt.dir, f, [](double magnitude) { return 0x1.0p-8 * magnitude + 1e-6; });
}

}  // namespace
}  // namespace r1eval::engine::model
