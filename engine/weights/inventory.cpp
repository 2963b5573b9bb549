#include "engine/weights/inventory.h"

#include <fmt/format.h>

#include "engine/weights/load_error.h"
#include "engine/weights/strict_json.h"

namespace r1eval::engine::weights {
namespace {

using Shape = std::vector<std::int64_t>;

class InventoryBuilder {
 public:
  explicit InventoryBuilder(const ModelConfig& config) : c_(config) {}

  std::vector<ExpectedTensor> build() {
    add("model.embed_tokens.weight", {c_.vocab_size, c_.hidden_size});
    for (std::int64_t layer = 0; layer < c_.num_hidden_layers; ++layer) add_decoder_layer(layer);
    add("model.norm.weight", {c_.hidden_size});
    add_head("lm_head.weight");
    for (std::int64_t k = 0; k < c_.num_nextn_predict_layers; ++k) add_mtp_layer(c_.num_hidden_layers + k);
    return std::move(tensors_);
  }

 private:
  void add(std::string name, Shape shape, Fp8Storage fp8 = Fp8Storage::Never) {
    tensors_.push_back(ExpectedTensor{std::move(name), std::move(shape), fp8});
  }
  void add_linear(const std::string& name, std::int64_t out, std::int64_t in) {
    add(name, {out, in}, Fp8Storage::Released);
  }
  void add_head(const std::string& name) { add(name, {c_.vocab_size, c_.hidden_size}, Fp8Storage::Optional); }

  void add_swiglu(const std::string& prefix, std::int64_t width) {
    add_linear(prefix + "gate_proj.weight", width, c_.hidden_size);
    add_linear(prefix + "up_proj.weight", width, c_.hidden_size);
    add_linear(prefix + "down_proj.weight", c_.hidden_size, width);
  }

  void add_decoder_layer(std::int64_t layer) {
    const std::string p = fmt::format("model.layers.{}.", layer);
    const std::int64_t d = c_.hidden_size;
    const std::int64_t heads = c_.num_attention_heads;
    add(p + "input_layernorm.weight", {d});
    if (c_.q_lora_rank > 0) {
      add_linear(p + "self_attn.q_a_proj.weight", c_.q_lora_rank, d);
      add(p + "self_attn.q_a_layernorm.weight", {c_.q_lora_rank});
      add_linear(p + "self_attn.q_b_proj.weight", heads * c_.qk_head_dim(), c_.q_lora_rank);
    } else {
      add_linear(p + "self_attn.q_proj.weight", heads * c_.qk_head_dim(), d);
    }
    add_linear(p + "self_attn.kv_a_proj_with_mqa.weight", c_.kv_lora_rank + c_.qk_rope_head_dim, d);
    add(p + "self_attn.kv_a_layernorm.weight", {c_.kv_lora_rank});
    add_linear(p + "self_attn.kv_b_proj.weight", heads * (c_.qk_nope_head_dim + c_.v_head_dim), c_.kv_lora_rank);
    add_linear(p + "self_attn.o_proj.weight", d, heads * c_.v_head_dim);
    add(p + "post_attention_layernorm.weight", {d});
    if (!c_.is_moe_layer(layer)) {
      add_swiglu(p + "mlp.", c_.intermediate_size);
      return;
    }
    add(p + "mlp.gate.weight", {c_.n_routed_experts, d});
    add(p + "mlp.gate.e_score_correction_bias", {c_.n_routed_experts});
    for (std::int64_t e = 0; e < c_.n_routed_experts; ++e) {
      add_swiglu(fmt::format("{}mlp.experts.{}.", p, e), c_.moe_intermediate_size);
    }
    if (c_.n_shared_experts > 0) add_swiglu(p + "mlp.shared_experts.", c_.n_shared_experts * c_.moe_intermediate_size);
  }

  // The multi-token-prediction module: its own embedding copy, two norms, the [d, 2d] projection of the
  // concatenated (embedding, hidden) pair, a full decoder layer, and its own head.
  void add_mtp_layer(std::int64_t layer) {
    const std::string p = fmt::format("model.layers.{}.", layer);
    const std::int64_t d = c_.hidden_size;
    add(p + "embed_tokens.weight", {c_.vocab_size, d});
    add(p + "enorm.weight", {d});
    add(p + "hnorm.weight", {d});
    add(p + "eh_proj.weight", {d, 2 * d});
    add_decoder_layer(layer);
    add(p + "shared_head.norm.weight", {d});
    add_head(p + "shared_head.head.weight");
  }

  const ModelConfig& c_;
  std::vector<ExpectedTensor> tensors_;
};

std::string shape_text(const Shape& shape) { return fmt::format("[{}]", fmt::join(shape, ", ")); }

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

}  // namespace

std::vector<ExpectedTensor> expected_tensors(const ModelConfig& config) { return InventoryBuilder(config).build(); }

void validate_checkpoint(const ModelConfig& config, const Checkpoint& checkpoint) {
  const std::string dir = checkpoint.directory().string();
  for (const auto& expected : expected_tensors(config)) {
    const TensorView* view = checkpoint.find(expected.name);
    if (view == nullptr) {
      throw LoadError(fmt::format("{}: tensor {} required by config.json is missing from the checkpoint.", dir,
                                  quote_for_message(expected.name)));
    }
    if (view->shape != expected.shape) {
      throw LoadError(fmt::format("{}: tensor {} has shape {} but config.json implies {}.", view->file,
                                  quote_for_message(expected.name), shape_text(view->shape),
                                  shape_text(expected.shape)));
    }
    if (view->dtype != DType::F8_E4M3) continue;  // BF16, F16 and F32 are all readable as they are
    if (expected.fp8 == Fp8Storage::Never) {
      throw LoadError(fmt::format("{}: tensor {} is F8_E4M3 but this tensor is never quantized in DeepSeek-V3.",
                                  view->file, quote_for_message(expected.name)));
    }
    if (!config.fp8_block_size) {
      throw LoadError(fmt::format("{}: tensor {} is F8_E4M3 but config.json has no quantization_config.", view->file,
                                  quote_for_message(expected.name)));
    }
    const std::string scale_name = expected.name + "_scale_inv";
    const TensorView* scale = checkpoint.find(scale_name);
    if (scale == nullptr) {
      throw LoadError(fmt::format("{}: tensor {} is F8_E4M3 but its scale tensor {} is missing.", view->file,
                                  quote_for_message(expected.name), quote_for_message(scale_name)));
    }
    const std::int64_t block = *config.fp8_block_size;
    const Shape scale_shape = {ceil_div(expected.shape[0], block), ceil_div(expected.shape[1], block)};
    if (scale->dtype != DType::F32 || scale->shape != scale_shape) {
      throw LoadError(fmt::format("{}: tensor {} is {} {} but must be F32 {} (one scale per {}x{} block).", scale->file,
                                  quote_for_message(scale_name), dtype_name(scale->dtype), shape_text(scale->shape),
                                  shape_text(scale_shape), block, block));
    }
  }
}

}  // namespace r1eval::engine::weights
