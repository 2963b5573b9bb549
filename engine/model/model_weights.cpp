#include "engine/model/model_weights.h"

#include <cmath>
#include <cstring>
#include <span>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engine/weights/load_error.h"

namespace r1eval::engine::model {
namespace {

using weights::Checkpoint;
using weights::DType;
using weights::LoadError;
using weights::ModelConfig;
using weights::TensorView;

std::string shape_text(const std::vector<std::int64_t>& shape) { return fmt::format("[{}]", fmt::join(shape, ", ")); }

const TensorView& expect_shape(const Checkpoint& ckpt, const std::string& name, std::vector<std::int64_t> shape) {
  const TensorView& t = ckpt.get(name);
  if (t.shape != shape) {
    throw LoadError(fmt::format("tensor {} in {} has shape {} but config.json implies {}", name, t.file,
                                shape_text(t.shape), shape_text(shape)));
  }
  return t;
}

// Norm weights, biases and FP8 block scales multiply or shift every activation: one NaN among them turns every
// logit NaN. They are small, so the load reads them all; the large matrices are left unread (a NaN there shows up
// as non-finite logits, which stop generation).
void require_finite(std::span<const float> values, const std::string& name, const std::string& file) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw LoadError(
          fmt::format("tensor {} in {} holds a non-finite value (NaN or infinity) at element {}; the "
                      "checkpoint is corrupt",
                      name, file, i));
    }
  }
}

class Binder {
 public:
  Binder(const ModelConfig& config, const Checkpoint& ckpt, std::list<std::vector<float>>& scale_grids)
      : config_(config), ckpt_(ckpt), scale_grids_(scale_grids) {}

  WeightMatrix matrix(const std::string& name, std::int64_t rows, std::int64_t cols) const {
    const TensorView& t = expect_shape(ckpt_, name, {rows, cols});
    WeightMatrix w;
    w.dtype = t.dtype;
    w.data = t.data;
    w.rows = rows;
    w.cols = cols;
    if (t.dtype == DType::F8_E4M3) {
      if (!config_.fp8_block_size) {
        throw LoadError(fmt::format("tensor {} in {} is F8_E4M3 but config.json has no fp8 quantization_config", name,
                                    t.file));
      }
      const std::int64_t block = *config_.fp8_block_size;
      const std::string scale_name = name + "_scale_inv";
      const TensorView& s = expect_shape(ckpt_, scale_name, {(rows + block - 1) / block, (cols + block - 1) / block});
      if (s.dtype != DType::F32) {
        throw LoadError(fmt::format("tensor {} in {} must be F32, found {}", scale_name, s.file,
                                    weights::dtype_name(s.dtype)));
      }
      std::vector<float>& grid = scale_grids_.emplace_back(s.nbytes / sizeof(float));
      std::memcpy(grid.data(), s.data, s.nbytes);
      require_finite(grid, scale_name, s.file);
      w.scale_inv = grid.data();
      w.block = block;
    }
    return w;
  }

  std::vector<float> vector(const std::string& name, std::int64_t n) const {
    const TensorView& t = expect_shape(ckpt_, name, {n});
    std::vector<float> out(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
      const auto* bytes = static_cast<const unsigned char*>(t.data);
      switch (t.dtype) {
        case DType::F32: {
          float v;
          std::memcpy(&v, bytes + 4 * i, 4);
          out[i] = v;
          break;
        }
        case DType::BF16:
        case DType::F16: {
          std::uint16_t bits;
          std::memcpy(&bits, bytes + 2 * i, 2);
          out[i] = t.dtype == DType::BF16 ? weights::bf16_to_f32(bits) : weights::f16_to_f32(bits);
          break;
        }
        case DType::F8_E4M3:
          throw LoadError(fmt::format("tensor {} in {} is a vector and cannot be F8_E4M3", name, t.file));
      }
    }
    require_finite(out, name, t.file);
    return out;
  }

  MlpWeights mlp(const std::string& prefix, std::int64_t width) const {
    const std::int64_t d = config_.hidden_size;
    return MlpWeights{matrix(prefix + "gate_proj.weight", width, d), matrix(prefix + "up_proj.weight", width, d),
                      matrix(prefix + "down_proj.weight", d, width)};
  }

  LayerWeights layer(std::int64_t index, bool moe) const {
    const ModelConfig& c = config_;
    const std::int64_t d = c.hidden_size;
    const std::int64_t heads = c.num_attention_heads;
    const std::string p = fmt::format("model.layers.{}.", index);
    LayerWeights l;
    l.input_norm = vector(p + "input_layernorm.weight", d);
    l.post_attention_norm = vector(p + "post_attention_layernorm.weight", d);
    AttentionWeights& a = l.attention;
    if (c.q_lora_rank > 0) {
      a.q_a = matrix(p + "self_attn.q_a_proj.weight", c.q_lora_rank, d);
      a.q_a_norm = vector(p + "self_attn.q_a_layernorm.weight", c.q_lora_rank);
      a.q_b = matrix(p + "self_attn.q_b_proj.weight", heads * c.qk_head_dim(), c.q_lora_rank);
    } else {
      a.q_b = matrix(p + "self_attn.q_proj.weight", heads * c.qk_head_dim(), d);
    }
    a.kv_a = matrix(p + "self_attn.kv_a_proj_with_mqa.weight", c.kv_lora_rank + c.qk_rope_head_dim, d);
    a.kv_a_norm = vector(p + "self_attn.kv_a_layernorm.weight", c.kv_lora_rank);
    a.kv_b = matrix(p + "self_attn.kv_b_proj.weight", heads * (c.qk_nope_head_dim + c.v_head_dim), c.kv_lora_rank);
    a.o = matrix(p + "self_attn.o_proj.weight", d, heads * c.v_head_dim);
    if (!moe) {
      l.dense = mlp(p + "mlp.", c.intermediate_size);
      return l;
    }
    MoeWeights m;
    m.router = matrix(p + "mlp.gate.weight", c.n_routed_experts, d);
    m.correction_bias = vector(p + "mlp.gate.e_score_correction_bias", c.n_routed_experts);
    m.experts.reserve(static_cast<std::size_t>(c.n_routed_experts));
    for (std::int64_t e = 0; e < c.n_routed_experts; ++e) {
      m.experts.push_back(mlp(fmt::format("{}mlp.experts.{}.", p, e), c.moe_intermediate_size));
    }
    if (c.n_shared_experts > 0) m.shared = mlp(p + "mlp.shared_experts.", c.n_shared_experts * c.moe_intermediate_size);
    l.moe = std::move(m);
    return l;
  }

  MtpWeights mtp(std::int64_t index) const {
    const ModelConfig& c = config_;
    const std::int64_t d = c.hidden_size;
    const std::string p = fmt::format("model.layers.{}.", index);
    MtpWeights m;
    m.embed = matrix(p + "embed_tokens.weight", c.vocab_size, d);
    m.enorm = vector(p + "enorm.weight", d);
    m.hnorm = vector(p + "hnorm.weight", d);
    m.eh_proj = matrix(p + "eh_proj.weight", d, 2 * d);
    m.layer = layer(index, c.n_routed_experts > 0);
    m.head_norm = vector(p + "shared_head.norm.weight", d);
    m.head = matrix(p + "shared_head.head.weight", c.vocab_size, d);
    return m;
  }

 private:
  const ModelConfig& config_;
  const Checkpoint& ckpt_;
  std::list<std::vector<float>>& scale_grids_;
};

}  // namespace

ModelWeights bind_model_weights(const ModelConfig& config, const Checkpoint& checkpoint) {
  ModelWeights w;
  const Binder b(config, checkpoint, w.scale_grids);
  w.embed = b.matrix("model.embed_tokens.weight", config.vocab_size, config.hidden_size);
  for (std::int64_t i = 0; i < config.num_hidden_layers; ++i) w.layers.push_back(b.layer(i, config.is_moe_layer(i)));
  w.final_norm = b.vector("model.norm.weight", config.hidden_size);
  w.lm_head = config.tie_word_embeddings ? w.embed
                                         : b.matrix("lm_head.weight", config.vocab_size, config.hidden_size);
  for (std::int64_t k = 0; k < config.num_nextn_predict_layers; ++k) {
    w.mtp.push_back(b.mtp(config.num_hidden_layers + k));
  }
  return w;
}

}  // namespace r1eval::engine::model
