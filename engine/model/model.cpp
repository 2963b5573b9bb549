#include "engine/model/model.h"

#include <omp.h>

#include <algorithm>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "engine/kernels/bf16_pairs.h"
#include "engine/kernels/index_loop.h"
#include "engine/kernels/kernel_variants.h"
#include "engine/kernels/kernels.h"
#include "engine/kernels/latent_attention.h"
#include "engine/model/model_weights.h"
#include "engine/model/rope.h"
#include "engine/model/router.h"
#include "engine/weights/checkpoint.h"
#include "engine/weights/inventory.h"

namespace r1eval::engine::model {
namespace {

using kernels::MatmulArgs;
using kernels::MatmulInputs;
using kernels::MatmulTransposedArgs;
using weights::ModelConfig;

// y[m, rows] = x[m, cols] · Wᵀ (contiguous x and y).
void linear(const WeightMatrix& w, const float* x, std::int64_t m, float* y, MatmulInputs inputs) {
  MatmulArgs args;
  args.w = &w;
  args.x = x;
  args.m = m;
  args.y = y;
  args.inputs = inputs;
  kernels::matmul(args);
}

// Per-token work (norms, routing, gathering rows) runs in parallel from this many tokens on: below it (decoding a
// few sequences) a fork costs more than the loop. Each token's own operations are the same either way.
constexpr std::int64_t kParallelTokens = 16;

void rms_norm_rows(const float* x, std::int64_t ldx, const std::vector<float>& weight, double eps, std::int64_t rows,
                   float* out, std::int64_t ldo) {
  const auto n = static_cast<std::int64_t>(weight.size());
#pragma omp parallel for schedule(static) if (rows >= kParallelTokens)
  for (std::int64_t r = 0; r < rows; ++r) {
    kernels::rms_norm(x + r * ldx, weight.data(), static_cast<float>(eps), n, out + r * ldo);
  }
}

template <typename T>
T* sized(std::vector<T>& buffer, std::int64_t count) {
  if (static_cast<std::int64_t>(buffer.size()) < count) buffer.resize(static_cast<std::size_t>(count));
  return buffer.data();
}

}  // namespace

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

  // Per-step buffers, grown as needed and reused: no allocation once a step shape has been seen.
  struct Token {
    Sequence* sequence;
    std::int64_t position;
  };
  std::vector<Token> tokens;
  std::vector<double> rotations;                      // [N, rope_dim]
  std::vector<float> hidden, normed, q_low, q, kv, q_latent, context, attn;
  std::vector<float> block_out;                       // output of the current attention or FFN block
  std::vector<float> gate, up, shared_gate, shared_up;  // MLP intermediates
  std::vector<std::int64_t> expert_tasks;
  std::vector<float> attention_scratch;               // latent_attention's: one chunk per thread, or a lone token's all
  std::vector<float> router_logits, router_scratch, route_weights;
  std::vector<std::int32_t> route_experts;
  std::vector<std::int64_t> expert_begin, expert_fill, expert_rows;  // (token, slot) pairs grouped by expert
  std::vector<std::int64_t> slot_rows;
  std::vector<float> expert_in, expert_rows_out, shared_out;
  std::vector<std::int64_t> output_source;            // token index of each logits row
  std::vector<float> out_rows;

  Impl(ModelConfig c, weights::Checkpoint ckpt, const ModelOptions& o)
      : config(std::move(c)), options(o), checkpoint(std::move(ckpt)), weights(bind_model_weights(config, checkpoint)),
        rope(config), router(RouterParams::from_config(config)) {
    if (options.matmul_inputs == MatmulInputs::Bfloat16 && weights.lm_head.dtype == weights::DType::BF16 &&
        kernels::bf16_dot_products_supported(kernels::active_variant())) {
      weights.lm_head.bf16_pairs = head_pairs.emplace(weights.lm_head).data();
    }
  }

  MatmulInputs inputs() const { return options.matmul_inputs; }

  std::int64_t n_tokens() const { return static_cast<std::int64_t>(tokens.size()); }

  void attention(std::int64_t layer_index, const AttentionWeights& w) {
    const ModelConfig& c = config;
    const std::int64_t n = n_tokens();
    const std::int64_t heads = c.num_attention_heads;
    const std::int64_t nope = c.qk_nope_head_dim, rope_dim = c.qk_rope_head_dim, qk = c.qk_head_dim();
    const std::int64_t v_dim = c.v_head_dim, latent = c.kv_lora_rank, entry = latent + rope_dim;
    const std::int64_t d = c.hidden_size;
    // A few tokens' per-head products through kv_b (absorption, values) are too small to split (one head's band is
    // 16 K multiply-adds in the small preset, 64 K in R1), so the heads go to the threads; with many tokens each
    // product splits across the threads itself.
    const bool per_head_threads = n < kParallelTokens;

    // Queries: q = q_b(RMSNorm(q_a x)) or q_proj x, [n, heads * qk] with per head [nope | rope].
    float* qv = sized(q, n * heads * qk);
    if (w.q_a) {
      float* ql = sized(q_low, n * c.q_lora_rank);
      linear(*w.q_a, normed.data(), n, ql, inputs());
      rms_norm_rows(ql, c.q_lora_rank, w.q_a_norm, c.rms_norm_eps, n, ql, c.q_lora_rank);
      linear(w.q_b, ql, n, qv, inputs());
    } else {
      linear(w.q_b, normed.data(), n, qv, inputs());
    }
    // Keys: the latent c_kv (normalized) and the one rope key shared by all heads go straight into the cache.
    float* kvv = sized(kv, n * entry);
    linear(w.kv_a, normed.data(), n, kvv, inputs());
    for (std::int64_t t = 0; t < n; ++t) {
      float* cache = tokens[t].sequence->entry(layer_index, tokens[t].position);
      kernels::rms_norm(kvv + t * entry, w.kv_a_norm.data(), static_cast<float>(c.rms_norm_eps), latent, cache);
      std::copy_n(kvv + t * entry + latent, rope_dim, cache + latent);
      rope.apply(cache + latent, rotations.data() + t * rope_dim);
      for (std::int64_t h = 0; h < heads; ++h) rope.apply(qv + (t * heads + h) * qk + nope, rotations.data() + t * rope_dim);
    }
    // Absorb W_UK into the query: q_latent[t, h] = W_UK_hᵀ q_nope[t, h]  (kv_b rows [h(nope+v), h(nope+v)+nope)).
    // Each head's query is laid out like a cache entry, [q_latent | q_rope], so one product scores both parts.
    float* qcat = sized(q_latent, n * heads * entry);
    kernels::for_each_index(heads, per_head_threads, [&](std::int64_t h) {
      MatmulTransposedArgs args;
      args.w = &w.kv_b;
      args.x = qv + h * qk;
      args.ldx = heads * qk;
      args.m = n;
      args.y = qcat + h * entry;
      args.ldy = heads * entry;
      args.row_begin = h * (nope + v_dim);
      args.row_end = args.row_begin + nope;
      kernels::matmul_transposed(args);
    });
    for (std::int64_t th = 0; th < n * heads; ++th) {
      std::copy_n(qv + th * qk + nope, rope_dim, qcat + th * entry + latent);
    }

    // Per token, all heads at once against the token's visible cache rows (a float32 matrix [visible, entry]):
    // scores = q · cacheᵀ, softmax, context = scores · cache (its rope columns are computed and ignored).
    // Tokens run in parallel, each taking its context one chunk at a time in a scratch of its thread's; a lone token
    // (decoding) gets the scratch for every chunk of its context, so that latent_attention spreads them over the
    // threads instead. Either way the kernels' fixed reduction order keeps every result independent of the schedule.
    float* ctx = sized(context, n * heads * entry);
    const std::int64_t scratch_floats =
        n == 1 ? kernels::latent_attention_scratch_floats(heads, tokens[0].position + 1, entry)
               : kernels::latent_attention_chunk_scratch_floats(heads, entry);
    // The lone token runs outside any parallel region, on thread 0.
    float* scratch_base = sized(attention_scratch, scratch_floats * (n == 1 ? 1 : omp_get_max_threads()));
    const auto scale = static_cast<float>(rope.softmax_scale());

    const auto attend = [&](std::int64_t t) {
      kernels::LatentAttentionArgs a;
      a.queries = qcat + t * heads * entry;
      a.heads = heads;
      a.cache = tokens[t].sequence->entry(layer_index, 0);
      a.positions = tokens[t].position + 1;  // causal: keys 0..position
      a.width = entry;
      a.scale = scale;
      a.scratch = scratch_base + scratch_floats * omp_get_thread_num();
      a.scratch_floats = scratch_floats;
      a.out = ctx + t * heads * entry;
      kernels::latent_attention(a);
    };
    if (n == 1) {
      attend(0);  // outside any parallel region, so that latent_attention splits the context across the threads
    } else {
#pragma omp parallel for schedule(dynamic, 1)
      for (std::int64_t t = 0; t < n; ++t) attend(t);
    }

    // Values: o[t, h] = W_UV_h ctx[t, h]  (kv_b rows [h(nope+v)+nope, (h+1)(nope+v))), then o_proj.
    float* o = sized(attn, n * heads * v_dim);
    kernels::for_each_index(heads, per_head_threads, [&](std::int64_t h) {
      MatmulArgs args;
      args.w = &w.kv_b;
      args.x = ctx + h * entry;
      args.ldx = heads * entry;
      args.m = n;
      args.y = o + h * v_dim;
      args.ldy = heads * v_dim;
      args.row_begin = h * (nope + v_dim) + nope;
      args.row_end = args.row_begin + v_dim;
      args.inputs = inputs();
      kernels::matmul(args);
    });
    float* out = sized(block_out, n * d);
    linear(w.o, o, n, out, inputs());
  }

  // out[m, d] = MLP(x[m, d]), with gate and up as scratch of m * intermediate floats each.
  void mlp(const MlpWeights& w, const float* x, std::int64_t m, float* out, float* g, float* u) const {
    const std::int64_t width = w.gate.rows;
    linear(w.gate, x, m, g, inputs());
    linear(w.up, x, m, u, inputs());
    kernels::silu_mul(g, u, m * width, g);
    linear(w.down, g, m, out, inputs());
  }

  void moe(const MoeWeights& w) {
    const ModelConfig& c = config;
    const std::int64_t n = n_tokens();
    const std::int64_t d = c.hidden_size;
    const std::int64_t experts = c.n_routed_experts;
    const std::int64_t k = c.num_experts_per_tok;

    float* logits = sized(router_logits, n * experts);
    // The router always multiplies in float32: its scores pick the experts, and its matrix is small.
    linear(w.router, normed.data(), n, logits, MatmulInputs::Float32);
    std::int32_t* chosen = sized(route_experts, n * k);
    float* chosen_weight = sized(route_weights, n * k);
    const std::int64_t scratch_size = 2 * experts + c.n_group;
    float* scratch = sized(router_scratch, scratch_size * omp_get_max_threads());
#pragma omp parallel for schedule(static) if (n >= kParallelTokens)
    for (std::int64_t t = 0; t < n; ++t) {
      route_token(router, logits + t * experts, w.correction_bias.data(), chosen + t * k, chosen_weight + t * k,
                  std::span<float>(scratch + scratch_size * omp_get_thread_num(), static_cast<std::size_t>(scratch_size)));
    }

    // Group the (token, slot) pairs by expert, tokens ascending within an expert, and run each expert once over
    // its rows. Every row's result lands in its own slot, so the sum below does not depend on the grouping.
    std::int64_t* begin = sized(expert_begin, experts + 1);
    std::int64_t* rows = sized(expert_rows, n * k);
    std::fill_n(begin, experts + 1, 0);
    for (std::int64_t i = 0; i < n * k; ++i) ++begin[chosen[i] + 1];
    for (std::int64_t e = 0; e < experts; ++e) begin[e + 1] += begin[e];
    std::int64_t* fill = sized(expert_fill, experts);
    std::copy_n(begin, experts, fill);
    for (std::int64_t i = 0; i < n * k; ++i) rows[fill[chosen[i]]++] = i;
    // Every (token, slot) row, gathered into its expert's range of rows.
    float* xin = sized(expert_in, n * k * d);
#pragma omp parallel for schedule(static) if (n >= kParallelTokens)
    for (std::int64_t j = 0; j < n * k; ++j) std::copy_n(normed.data() + rows[j] / k * d, d, xin + j * d);

    // The experts with rows (and the shared expert, task -1) run in parallel, one task per expert and each
    // kernel on its task's thread: one parallel region per layer instead of three per expert. Every row's result
    // lands in its own place, so neither the grouping nor the schedule changes any sum.
    const std::int64_t width = c.moe_intermediate_size;
    float* grouped = sized(expert_rows_out, n * k * d);
    float* g = sized(gate, n * k * width);
    float* u = sized(up, n * k * width);
    float* shared = w.shared ? sized(shared_out, n * d) : nullptr;
    const std::int64_t shared_width = w.shared ? w.shared->gate.rows : 0;
    float* sg = sized(shared_gate, n * shared_width);
    float* su = sized(shared_up, n * shared_width);
    std::vector<std::int64_t>& tasks = expert_tasks;
    tasks.clear();
    if (w.shared) tasks.push_back(-1);  // the largest task first
    for (std::int64_t e = 0; e < experts; ++e) {
      if (begin[e + 1] > begin[e]) tasks.push_back(e);
    }
    const auto run = [&](std::int64_t e) {
      if (e < 0) return mlp(*w.shared, normed.data(), n, shared, sg, su);
      const std::int64_t first = begin[e], count = begin[e + 1] - begin[e];
      mlp(w.experts[e], xin + first * d, count, grouped + first * d, g + first * width, u + first * width);
    };
    const auto task_count = static_cast<std::int64_t>(tasks.size());
    if (task_count == 1) {
      run(tasks[0]);  // outside any parallel region, so that the kernels can use the threads
    } else {
#pragma omp parallel for schedule(dynamic, 1)
      for (std::int64_t i = 0; i < task_count; ++i) run(tasks[i]);
    }

    // Each token sums its experts in its own routing order, then the shared expert.
    std::int64_t* grouped_row = sized(slot_rows, n * k);  // (token, slot) -> its row in `grouped`
    for (std::int64_t j = 0; j < n * k; ++j) grouped_row[rows[j]] = j;
    float* out = sized(block_out, n * d);
#pragma omp parallel for schedule(static) if (n >= kParallelTokens)
    for (std::int64_t t = 0; t < n; ++t) {
      float* token_out = out + t * d;
      std::fill_n(token_out, d, 0.0f);
      for (std::int64_t slot = 0; slot < k; ++slot) {
        kernels::axpy(chosen_weight[t * k + slot], grouped + grouped_row[t * k + slot] * d, token_out, d);
      }
      if (shared != nullptr) kernels::axpy(1.0f, shared + t * d, token_out, d);
    }
  }
  void forward(std::span<const StepItem> items, StepResult& result, const HiddenObserver* observer) {
    const ModelConfig& c = config;
    const std::int64_t d = c.hidden_size;
    const std::int64_t rope_dim = c.qk_rope_head_dim;

    tokens.clear();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const StepItem& item = items[i];
      if (item.sequence == nullptr) throw std::invalid_argument("step item without a sequence");
      for (std::size_t j = 0; j < i; ++j) {
        if (items[j].sequence == item.sequence) throw std::invalid_argument("a sequence appears twice in one step");
      }
      for (const std::int32_t id : item.tokens) {
        if (id < 0 || id >= c.vocab_size) {
          throw std::invalid_argument(
              fmt::format("token id {} is outside the vocabulary [0, {})", id, c.vocab_size));
        }
      }
      const std::int64_t start = item.sequence->length();
      for (std::size_t j = 0; j < item.tokens.size(); ++j) {
        tokens.push_back(Token{item.sequence, start + static_cast<std::int64_t>(j)});
      }
    }
    const std::int64_t n = n_tokens();
    for (const StepItem& item : items) item.sequence->extend(static_cast<std::int64_t>(item.tokens.size()));

    double* rot = sized(rotations, n * rope_dim);
    float* h = sized(hidden, n * d);
    float* x = sized(normed, n * d);
    {
      std::int64_t t = 0;
      for (const StepItem& item : items) {
        for (const std::int32_t id : item.tokens) {
          kernels::dequantize_row(weights.embed, id, h + t * d);
          rope.rotation(tokens[t].position, rot + t * rope_dim);
          ++t;
        }
      }
    }
    if (observer) (*observer)("embedding", -1, h, n, d);

    for (std::int64_t l = 0; l < c.num_hidden_layers; ++l) {
      const LayerWeights& layer = weights.layers[l];
      rms_norm_rows(h, d, layer.input_norm, c.rms_norm_eps, n, x, d);
      attention(l, layer.attention);
      for (std::int64_t i = 0; i < n * d; ++i) h[i] += block_out[i];
      rms_norm_rows(h, d, layer.post_attention_norm, c.rms_norm_eps, n, x, d);
      if (layer.dense) {
        const std::int64_t width = layer.dense->gate.rows;
        mlp(*layer.dense, x, n, sized(block_out, n * d), sized(gate, n * width), sized(up, n * width));
      } else {
        moe(*layer.moe);
      }
      for (std::int64_t i = 0; i < n * d; ++i) h[i] += block_out[i];
      if (observer) (*observer)("layer", l, h, n, d);
    }

    // Final norm and LM head, only for the rows asked for.
    result.first_row.clear();
    std::int64_t rows = 0;
    std::vector<std::int64_t>& source = output_source;
    source.clear();
    {
      std::int64_t t = 0;
      for (const StepItem& item : items) {
        const auto count = static_cast<std::int64_t>(item.tokens.size());
        result.first_row.push_back(rows);
        for (std::int64_t j = item.all_logits ? 0 : count - 1; j < count; ++j) source.push_back(t + j);
        rows = static_cast<std::int64_t>(source.size());
        t += count;
      }
    }
    float* xf = sized(out_rows, rows * d);
    for (std::int64_t r = 0; r < rows; ++r) {
      kernels::rms_norm(h + source[r] * d, weights.final_norm.data(), static_cast<float>(c.rms_norm_eps), d, xf + r * d);
    }
    if (observer) (*observer)("final_norm", -1, xf, rows, d);
    result.vocab_size = c.vocab_size;
    result.logits.resize(static_cast<std::size_t>(rows * c.vocab_size));
    linear(weights.lm_head, xf, rows, result.logits.data(), inputs());
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
