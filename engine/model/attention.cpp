#include "engine/model/attention.h"

#include <algorithm>

#include "engine/kernels/index_loop.h"
#include "engine/kernels/kernels.h"
#include "engine/kernels/latent_attention.h"
#include "engine/model/thread_plan.h"

namespace r1eval::engine::model {
namespace {

// MLA's widths: H heads, each with a query and key of qk = nope + rope_dim floats and a value of v floats; latent
// cache entries of entry = latent + rope_dim floats, the layout each head's absorbed query takes too.
struct Mla {
  explicit Mla(const weights::ModelConfig& c)
      : heads(c.num_attention_heads),
        nope(c.qk_nope_head_dim),
        rope_dim(c.qk_rope_head_dim),
        qk(c.qk_head_dim()),
        v(c.v_head_dim),
        latent(c.kv_lora_rank),
        entry(latent + rope_dim) {}

  // Head h's band of kv_b starts here: nope rows of W_UK_h (latent -> key), then v rows of W_UV_h (latent -> value).
  std::int64_t kv_b_band(std::int64_t h) const { return h * (nope + v); }

  std::int64_t heads, nope, rope_dim, qk, v, latent, entry;
};

// q [n, H, nope | rope_dim] = q_b(RMSNorm(q_a x)), or q_proj x without q_a, for x = normed [n, d]; then each head's
// rope part rotated to its token's position.
void project_queries(const StepContext& step, const AttentionWeights& w, const Rope& rope, Activations& a) {
  const Mla m(step.config);
  const std::int64_t n = a.token_count();
  float* q = a.q.data();
  if (w.q_a) {
    float* q_low = a.q_low.data();
    linear(*w.q_a, a.normed.data(), n, q_low, step.inputs);
    rms_norm_rows(q_low, w.q_a_norm, step.config.rms_norm_eps, n, q_low, step.plan.tokens_in_parallel);
    linear(w.q_b, q_low, n, q, step.inputs);
  } else {
    linear(w.q_b, a.normed.data(), n, q, step.inputs);
  }
  for (std::int64_t t = 0; t < n; ++t) {
    for (std::int64_t h = 0; h < m.heads; ++h) {
      rope.apply(q + (t * m.heads + h) * m.qk + m.nope, a.rotations.data() + t * m.rope_dim);
    }
  }
}

// kv [n, entry] = kv_a x = [c_kv | k_pe] per token, for x = normed [n, d]. Each token's cache entry of this layer
// becomes [RMSNorm(c_kv) | rope(k_pe)]: the latent that every head's key and value come from, and the one rope key
// that all heads share.
void project_latent_kv(const StepContext& step, const AttentionWeights& w, const Rope& rope, std::int64_t layer,
                       Activations& a) {
  const Mla m(step.config);
  const std::int64_t n = a.token_count();
  float* kv = a.kv.data();
  linear(w.kv_a, a.normed.data(), n, kv, step.inputs);
  const auto eps = static_cast<float>(step.config.rms_norm_eps);
  for (std::int64_t t = 0; t < n; ++t) {
    float* entry = a.tokens[t].sequence->entry(layer, a.tokens[t].position);
    kernels::rms_norm(kv + t * m.entry, w.kv_a_norm.data(), eps, m.latent, entry);
    std::copy_n(kv + t * m.entry + m.latent, m.rope_dim, entry + m.latent);
    rope.apply(entry + m.latent, a.rotations.data() + t * m.rope_dim);
  }
}

// q_latent [n, H, latent | rope_dim]: each head's q_nope absorbed into the latent space, W_UK_hᵀ q_nope, beside its
// q_rope. Laid out like a cache entry, so that one product scores a key's latent and rope parts together.
void absorb_queries(const StepContext& step, const AttentionWeights& w, Activations& a) {
  const Mla m(step.config);
  const std::int64_t n = a.token_count();
  const float* q = a.q.data();
  float* q_latent = a.q_latent.data();
  kernels::for_each_index(m.heads, step.plan.heads_in_parallel, [&](std::int64_t h) {
    kernels::matmul_transposed({.w = &w.kv_b,
                                .x = q + h * m.qk,
                                .m = n,
                                .ldx = m.heads * m.qk,
                                .y = q_latent + h * m.entry,
                                .ldy = m.heads * m.entry,
                                .row_begin = m.kv_b_band(h),
                                .row_end = m.kv_b_band(h) + m.nope});
  });
  for (std::int64_t th = 0; th < n * m.heads; ++th) {
    std::copy_n(q + th * m.qk + m.nope, m.rope_dim, q_latent + th * m.entry + m.latent);
  }
}

// context [n, H, entry] = softmax(scale · q_latent · cacheᵀ) · cache for each token and head, over the cache rows
// 0..position of the token's sequence (causal). The context's rope columns are computed and ignored.
void attend(const StepContext& step, const Rope& rope, std::int64_t layer, Activations& a) {
  const Mla m(step.config);
  const auto scale = static_cast<float>(rope.softmax_scale());
  for_each_task(a.token_count(), [&](std::int64_t t) {
    const StepToken& token = a.tokens[t];
    kernels::latent_attention({.queries = a.q_latent.data() + t * m.heads * m.entry,
                               .heads = m.heads,
                               .cache = token.sequence->entry(layer, 0),
                               .positions = token.position + 1,
                               .width = m.entry,
                               .scale = scale,
                               .scratch = a.attention_scratch.data() + a.attention_scratch_floats * thread_slot(),
                               .out = a.context.data() + t * m.heads * m.entry,
                               .scratch_floats = a.attention_scratch_floats});
  });
}

// block_out [n, d] = o_proj(values), where values [n, H, v] = W_UV_h context for each head.
void project_out(const StepContext& step, const AttentionWeights& w, Activations& a) {
  const Mla m(step.config);
  const std::int64_t n = a.token_count();
  float* values = a.values.data();
  kernels::for_each_index(m.heads, step.plan.heads_in_parallel, [&](std::int64_t h) {
    kernels::matmul({.w = &w.kv_b,
                     .x = a.context.data() + h * m.entry,
                     .m = n,
                     .ldx = m.heads * m.entry,
                     .y = values + h * m.v,
                     .ldy = m.heads * m.v,
                     .row_begin = m.kv_b_band(h) + m.nope,
                     .row_end = m.kv_b_band(h) + m.nope + m.v,
                     .inputs = step.inputs});
  });
  linear(w.o, values, n, a.block_out.data(), step.inputs);
}

}  // namespace

void attention_block(const StepContext& step, const AttentionWeights& w, const Rope& rope, std::int64_t layer,
                     Activations& a) {
  project_queries(step, w, rope, a);           // q [n, H, qk]
  project_latent_kv(step, w, rope, layer, a);  // the step's cache entries of this layer
  absorb_queries(step, w, a);                  // q_latent [n, H, entry]
  attend(step, rope, layer, a);                // context [n, H, entry]
  project_out(step, w, a);                     // block_out [n, d]
}

}  // namespace r1eval::engine::model
