// The DeepSeek-V3 forward pass (MODEL.md §5-6) over a batch of sequences that step together.
//
// Batch invariance: a sequence's logits are bit-identical whether it runs alone or with others and whatever the
// thread count. Every kernel fixes its reduction order per output element (kernels.h), attention runs per token
// against that token's own cache, and the MoE sums each token's experts in its own routing order.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "engine/kernels/kernels.h"
#include "engine/model/sequence.h"
#include "engine/weights/config.h"

namespace r1eval::engine::model {

struct StepItem {
  Sequence* sequence = nullptr;
  std::span<const std::int32_t> tokens;  // appended at positions sequence->length() ...
  bool all_logits = false;               // logits for every new token, else only for the last one
};

struct StepResult {
  std::vector<float> logits;           // [rows, vocab_size]
  std::vector<std::int64_t> first_row;  // per item: its first row in `logits`
  std::int64_t vocab_size = 0;
  const float* row(std::int64_t r) const { return logits.data() + r * vocab_size; }
};

// Called with the residual stream for inspection in tests: stage "embedding" (layer -1), "layer" (after layer i),
// "final_norm" (the output rows only, layer -1). rows × width floats, row-major.
using HiddenObserver =
    std::function<void(std::string_view stage, std::int64_t layer, const float* values, std::int64_t rows,
                       std::int64_t width)>;

struct ModelOptions {
  // What enters the weight matmuls (kernels.h): Float32, the reference numerics the golden tests check, or Bfloat16,
  // about twice as fast where the CPU has AVX512_BF16 and AVX512_VBMI, and approximate (bf16 activations move logits
  // by ~0.1 and flip some MoE routing choices, as computing in bf16 does for the official model). The router and the
  // attention products (activation by activation) stay float32 either way.
  kernels::MatmulInputs matmul_inputs = kernels::MatmulInputs::Float32;
};

class Model {
 public:
  // Reads config.json, opens and validates the checkpoint. Throws weights::LoadError naming the file, tensor or key.
  static std::unique_ptr<Model> load(const std::filesystem::path& model_dir, const ModelOptions& options = {});
  ~Model();

  const weights::ModelConfig& config() const;
  Sequence new_sequence() const;

  // Runs one step for every item (each item names a distinct sequence). Not thread-safe: one step at a time.
  // Throws std::invalid_argument for a token id outside the vocabulary; sequences are left unchanged then.
  void step(std::span<const StepItem> items, StepResult& result, const HiddenObserver* observer = nullptr);

 private:
  struct Impl;
  explicit Model(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace r1eval::engine::model
