#include "engine/model/model.h"

#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "engine/kernels/bf16_pairs.h"
#include "engine/kernels/kernel_variants.h"
#include "engine/kernels/kernels.h"
#include "engine/model/activations.h"
#include "engine/model/attention.h"
#include "engine/model/layers.h"
#include "engine/model/model_weights.h"
#include "engine/model/moe.h"
#include "engine/model/rope.h"
#include "engine/model/router.h"
#include "engine/model/thread_plan.h"
#include "engine/weights/checkpoint.h"
#include "engine/weights/inventory.h"

namespace r1eval::engine::model {

using kernels::MatmulInputs;
using weights::ModelConfig;

struct Model::Impl {
  ModelConfig config;
  ModelOptions options;
  weights::Checkpoint checkpoint;
  ModelWeights weights;
  // In bf16 mode on CPUs with bf16 dot products, the BF16 LM head repacked as column pairs, which matmul then reads
  // instead of the stored head (bf16_pairs.h): a second copy of the head, for the one matmul that multiplies many
  // rows by a large matrix when many sequences decode together.
  std::optional<kernels::Bf16Pairs> head_pairs;
  Rope rope;
  RouterParams router;
  Activations act;  // reused from step to step

  Impl(ModelConfig c, weights::Checkpoint ckpt, const ModelOptions& o)
      : config(std::move(c)), options(o), checkpoint(std::move(ckpt)), weights(bind_model_weights(config, checkpoint)),
        rope(config), router(RouterParams::from_config(config)) {
    if (options.matmul_inputs == MatmulInputs::Bfloat16 && weights.lm_head.dtype == weights::DType::BF16 &&
        kernels::bf16_dot_products_supported(kernels::active_variant())) {
      weights.lm_head.bf16_pairs = head_pairs.emplace(weights.lm_head).data();
    }
  }

  // Checks the items, lists their tokens in act.tokens and extends every sequence by its new tokens.
  void place_tokens(std::span<const StepItem> items) {
    act.tokens.clear();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const StepItem& item = items[i];
      if (item.sequence == nullptr) throw std::invalid_argument("step item without a sequence");
      for (std::size_t j = 0; j < i; ++j) {
        if (items[j].sequence == item.sequence) throw std::invalid_argument("a sequence appears twice in one step");
      }
      for (const std::int32_t id : item.tokens) {
        if (id < 0 || id >= config.vocab_size) {
          throw std::invalid_argument(
              fmt::format("token id {} is outside the vocabulary [0, {})", id, config.vocab_size));
        }
      }
      const std::int64_t start = item.sequence->length();
      for (std::size_t j = 0; j < item.tokens.size(); ++j) {
        act.tokens.push_back(StepToken{item.sequence, start + static_cast<std::int64_t>(j), item.tokens[j]});
      }
    }
    for (const StepItem& item : items) item.sequence->extend(static_cast<std::int64_t>(item.tokens.size()));
  }

  // Lists the tokens that get a logits row in act.output_tokens: every token of an item that asks for all logits,
  // else its last one. result.first_row gets each item's first row.
  void choose_output_rows(std::span<const StepItem> items, StepResult& result) {
    result.first_row.clear();
    act.output_tokens.clear();
    std::int64_t t = 0;
    for (const StepItem& item : items) {
      const auto count = static_cast<std::int64_t>(item.tokens.size());
      result.first_row.push_back(static_cast<std::int64_t>(act.output_tokens.size()));
      for (std::int64_t j = item.all_logits ? 0 : count - 1; j < count; ++j) act.output_tokens.push_back(t + j);
      t += count;
    }
  }

  // hidden [n, d] = embed[id] for the step's tokens, and each token's rope rotation [n, rope_dim], computed once for
  // every layer.
  void embed() {
    const std::int64_t d = config.hidden_size, rope_dim = config.qk_rope_head_dim;
    for (std::int64_t t = 0; t < act.token_count(); ++t) {
      kernels::dequantize_row(weights.embed, act.tokens[t].id, act.hidden.data() + t * d);
      rope.rotation(act.tokens[t].position, act.rotations.data() + t * rope_dim);
    }
  }

  // final_normed [rows, d] = RMSNorm(hidden) of each output row's token.
  void final_norm() {
    const std::int64_t d = config.hidden_size;
    for (std::size_t r = 0; r < act.output_tokens.size(); ++r) {
      kernels::rms_norm(act.hidden.data() + act.output_tokens[r] * d, weights.final_norm.data(),
                        static_cast<float>(config.rms_norm_eps), d, act.final_normed.data() + r * d);
    }
  }

  // hidden [n, d] += block_out [n, d]
  void add_block_output() {
    float* h = act.hidden.data();
    const float* out = act.block_out.data();
    const std::int64_t count = act.token_count() * config.hidden_size;
    for (std::int64_t i = 0; i < count; ++i) h[i] += out[i];
  }

  // One step of the DeepSeek-V3 forward pass (MODEL.md §5): embed, then every layer's attention block and FFN block
  // each added to the residual stream, then the final norm and the LM head.
  void forward(std::span<const StepItem> items, StepResult& result, const HiddenObserver* observer) {
    const ModelConfig& c = config;
    const std::int64_t d = c.hidden_size;
    place_tokens(items);
    choose_output_rows(items, result);
    const std::int64_t n = act.token_count();
    const auto rows = static_cast<std::int64_t>(act.output_tokens.size());
    const ThreadPlan plan(n);
    act.prepare(c, plan);
    const StepContext step{c, options.matmul_inputs, plan};
    float* h = act.hidden.data();
    float* x = act.normed.data();

    embed();  // hidden [n, d]
    if (observer) (*observer)("embedding", -1, h, n, d);

    for (std::int64_t l = 0; l < c.num_hidden_layers; ++l) {
      const LayerWeights& layer = weights.layers[l];
      // hidden += MLA(RMSNorm(hidden))
      rms_norm_rows(h, layer.input_norm, c.rms_norm_eps, n, x, plan.tokens_in_parallel);
      attention_block(step, layer.attention, rope, l, act);
      add_block_output();
      // hidden += FFN(RMSNorm(hidden)): a dense MLP in the first layers, the MoE in the others.
      rms_norm_rows(h, layer.post_attention_norm, c.rms_norm_eps, n, x, plan.tokens_in_parallel);
      if (layer.dense) {
        mlp(*layer.dense, x, n, act.block_out.data(), act.gate.data(), act.up.data(), step.inputs);
      } else {
        moe_block(step, *layer.moe, router, act);
      }
      add_block_output();
      if (observer) (*observer)("layer", l, h, n, d);
    }

    // Only the rows asked for go through the final norm and the LM head: logits [rows, vocab].
    final_norm();  // final_normed [rows, d]
    const float* xf = act.final_normed.data();
    if (observer) (*observer)("final_norm", -1, xf, rows, d);
    result.vocab_size = c.vocab_size;
    result.logits.resize(static_cast<std::size_t>(rows * c.vocab_size));
    linear(weights.lm_head, xf, rows, result.logits.data(), step.inputs);
  }
};

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::~Model() = default;

std::unique_ptr<Model> Model::load(const std::filesystem::path& model_dir, const ModelOptions& options) {
  ModelConfig config = weights::load_model_config(model_dir);
  weights::Checkpoint checkpoint = weights::Checkpoint::open(model_dir);
  weights::validate_checkpoint(config, checkpoint);
  return std::unique_ptr<Model>(new Model(std::make_unique<Impl>(std::move(config), std::move(checkpoint), options)));
}

const ModelConfig& Model::config() const { return impl_->config; }

Sequence Model::new_sequence() const {
  return Sequence(impl_->config.num_hidden_layers, impl_->config.kv_lora_rank + impl_->config.qk_rope_head_dim);
}

void Model::step(std::span<const StepItem> items, StepResult& result, const HiddenObserver* observer) {
  std::vector<std::int64_t> lengths;
  for (const StepItem& item : items) lengths.push_back(item.sequence ? item.sequence->length() : 0);
  try {
    impl_->forward(items, result, observer);
  } catch (...) {
    // Leave every sequence as it was before the step.
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].sequence && items[i].sequence->length() > lengths[i]) items[i].sequence->truncate(lengths[i]);
    }
    throw;
  }
}

}  // namespace r1eval::engine::model
