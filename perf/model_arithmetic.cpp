#include "perf/model_arithmetic.h"

#include <cmath>
#include <stdexcept>

namespace r1eval::perf {
namespace {

using engine::weights::ModelConfig;

double d(std::int64_t v) { return static_cast<double>(v); }

// One matrix's element count and stored bytes.
struct MatrixSize {
  double elements = 0.0;
  double bytes = 0.0;
};

MatrixSize matrix(std::int64_t rows, std::int64_t cols, bool quantizable, const ModelConfig& c) {
  MatrixSize m;
  m.elements = d(rows) * d(cols);
  if (quantizable && c.fp8_block_size) {
    const std::int64_t b = *c.fp8_block_size;
    m.bytes = m.elements + 4.0 * d((rows + b - 1) / b) * d((cols + b - 1) / b);
  } else {
    m.bytes = 2.0 * m.elements;
  }
  return m;
}

MatrixSize operator+(MatrixSize a, MatrixSize b) { return {a.elements + b.elements, a.bytes + b.bytes}; }
MatrixSize operator*(double k, MatrixSize a) { return {k * a.elements, k * a.bytes}; }

struct Layout {
  MatrixSize attention;  // per layer: q (low-rank or plain), kv_a, kv_b, o
  MatrixSize dense_mlp;  // per dense layer
  MatrixSize expert;     // one routed (or shared) expert
  MatrixSize router;     // per MoE layer
  MatrixSize embedding, head;
  double layer_vectors = 0.0;  // norm weights per layer
  std::int64_t dense_layers = 0, moe_layers = 0;
};

Layout layout(const ModelConfig& c) {
  if (c.hidden_size <= 0 || c.num_hidden_layers <= 0 || c.num_attention_heads <= 0 || c.vocab_size <= 0) {
    throw std::invalid_argument("model arithmetic needs a configuration with positive sizes");
  }
  Layout l;
  const std::int64_t dm = c.hidden_size, heads = c.num_attention_heads;
  if (c.q_lora_rank > 0) {
    l.attention = matrix(c.q_lora_rank, dm, true, c) + matrix(heads * c.qk_head_dim(), c.q_lora_rank, true, c);
  } else {
    l.attention = matrix(heads * c.qk_head_dim(), dm, true, c);
  }
  l.attention = l.attention + matrix(c.kv_lora_rank + c.qk_rope_head_dim, dm, true, c) +
                matrix(heads * (c.qk_nope_head_dim + c.v_head_dim), c.kv_lora_rank, true, c) +
                matrix(dm, heads * c.v_head_dim, true, c);
  l.dense_mlp = 2.0 * matrix(c.intermediate_size, dm, true, c) + matrix(dm, c.intermediate_size, true, c);
  l.expert = 2.0 * matrix(c.moe_intermediate_size, dm, true, c) + matrix(dm, c.moe_intermediate_size, true, c);
  l.router = matrix(c.n_routed_experts, dm, false, c);
  l.embedding = matrix(c.vocab_size, dm, false, c);
  l.head = matrix(c.vocab_size, dm, false, c);
  l.layer_vectors = d(2 * dm + c.kv_lora_rank + (c.q_lora_rank > 0 ? c.q_lora_rank : 0));
  for (std::int64_t i = 0; i < c.num_hidden_layers; ++i) (c.is_moe_layer(i) ? l.moe_layers : l.dense_layers) += 1;
  return l;
}

}  // namespace

ParameterCounts count_parameters(const ModelConfig& c) {
  const Layout l = layout(c);
  const double layers = d(c.num_hidden_layers), dense = d(l.dense_layers), moe = d(l.moe_layers);
  const double shared = d(c.n_shared_experts) * l.expert.elements;
  ParameterCounts p;
  p.matmul_active = layers * l.attention.elements + dense * l.dense_mlp.elements +
                    moe * (l.router.elements + shared + d(c.num_experts_per_tok) * l.expert.elements) +
                    l.head.elements;
  const double vectors = layers * l.layer_vectors + moe * d(c.n_routed_experts) /* router bias */ +
                         d(c.hidden_size) /* final norm */;
  p.active = p.matmul_active + l.embedding.elements + vectors;
  p.total = p.active + moe * d(c.n_routed_experts - c.num_experts_per_tok) * l.expert.elements;
  return p;
}

double flops_per_token(const ModelConfig& c, std::int64_t context) {
  if (context < 0) throw std::invalid_argument("model arithmetic: the context must not be negative");
  const double attention_per_position =
      2.0 * d(c.num_attention_heads) * d(2 * c.kv_lora_rank + c.qk_rope_head_dim) * d(c.num_hidden_layers);
  return 2.0 * count_parameters(c).matmul_active + attention_per_position * d(context);
}

double expected_distinct_experts(const ModelConfig& c, std::int64_t batch) {
  if (batch < 1) throw std::invalid_argument("model arithmetic: the batch must be at least 1");
  if (c.n_routed_experts <= 0) return 0.0;
  const double e = d(c.n_routed_experts), k = d(c.num_experts_per_tok);
  return e * (1.0 - std::pow(1.0 - k / e, d(batch)));
}

double weight_storage_bytes(const ModelConfig& c) {
  const Layout l = layout(c);
  return d(c.num_hidden_layers) * l.attention.bytes + d(l.dense_layers) * l.dense_mlp.bytes +
         d(l.moe_layers) * (l.router.bytes + d(c.n_routed_experts + c.n_shared_experts) * l.expert.bytes) +
         l.embedding.bytes + l.head.bytes;
}

double decode_step_bytes(const ModelConfig& c, std::int64_t batch, std::int64_t context) {
  if (context < 0) throw std::invalid_argument("model arithmetic: the context must not be negative");
  const Layout l = layout(c);
  const double experts_read = d(c.n_shared_experts) + expected_distinct_experts(c, batch);
  const double weights = d(c.num_hidden_layers) * l.attention.bytes + d(l.dense_layers) * l.dense_mlp.bytes +
                         d(l.moe_layers) * (l.router.bytes + experts_read * l.expert.bytes) + l.head.bytes +
                         d(batch) * 2.0 * d(c.hidden_size);  // one BF16 embedding row per sequence
  const double kv = d(batch) * d(context) * d(c.num_hidden_layers) * d(c.kv_lora_rank + c.qk_rope_head_dim) * 2.0;
  return weights + kv;
}

}  // namespace r1eval::perf
