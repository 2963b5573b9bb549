#include "engine/model/moe.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "engine/kernels/index_loop.h"
#include "engine/kernels/kernels.h"
#include "engine/model/thread_plan.h"

namespace r1eval::engine::model {
namespace {

// The first `count` elements of a buffer that may be larger (Activations only grows).
template <typename T>
std::span<T> first(std::vector<T>& buffer, std::int64_t count) {
  return std::span<T>(buffer.data(), static_cast<std::size_t>(count));
}

// route_experts, route_weights [n, k]: each token's experts and their weights, from the router's logits [n, E].
void route_tokens(const StepContext& step, const MoeWeights& w, const RouterParams& router, Activations& a) {
  const std::int64_t n = a.token_count();
  const std::int64_t experts = step.config.n_routed_experts, k = step.config.num_experts_per_tok;
  float* logits = a.router_logits.data();
  // The router always multiplies in float32: its scores pick the experts, and its matrix is small.
  linear(w.router, a.normed.data(), n, logits, kernels::MatmulInputs::Float32);
  const std::int64_t scratch_floats = 2 * experts + step.config.n_group;
  kernels::for_each_index(n, step.plan.tokens_in_parallel, [&](std::int64_t t) {
    route_token(router, logits + t * experts, w.correction_bias.data(), a.route_experts.data() + t * k,
                a.route_weights.data() + t * k,
                std::span<float>(a.router_scratch.data() + scratch_floats * thread_slot(),
                                 static_cast<std::size_t>(scratch_floats)));
  });
}

// expert_in [n * k, d]: the token of each row, so that every expert's rows lie together.
void gather_expert_rows(const StepContext& step, Activations& a) {
  const std::int64_t d = step.config.hidden_size, k = step.config.num_experts_per_tok;
  const float* x = a.normed.data();
  const std::int64_t* pairs = a.expert_pairs.data();
  float* rows = a.expert_in.data();
  kernels::for_each_index(a.token_count() * k, step.plan.tokens_in_parallel,
                          [&](std::int64_t j) { std::copy_n(x + pairs[j] / k * d, d, rows + j * d); });
}

// expert_out [n * k, d] = each row through its expert; shared_out [n, d] = the shared expert over every token.
// One task per expert with rows, and the shared expert as task -1, each kernel on its task's thread: one parallel
// region per layer instead of three per expert.
void run_experts(const StepContext& step, const MoeWeights& w, Activations& a) {
  const std::int64_t d = step.config.hidden_size, width = step.config.moe_intermediate_size;
  const std::int64_t* begin = a.expert_begin.data();
  std::vector<std::int64_t>& tasks = a.expert_tasks;
  tasks.clear();
  if (w.shared) tasks.push_back(-1);  // the largest task first
  for (std::int64_t e = 0; e < step.config.n_routed_experts; ++e) {
    if (begin[e + 1] > begin[e]) tasks.push_back(e);
  }
  for_each_task(static_cast<std::int64_t>(tasks.size()), [&](std::int64_t i) {
    const std::int64_t e = tasks[i];
    if (e < 0) {
      return mlp(*w.shared, a.normed.data(), a.token_count(), a.shared_out.data(), a.shared_gate.data(),
                 a.shared_up.data(), step.inputs);
    }
    const std::int64_t row = begin[e], count = begin[e + 1] - begin[e];
    mlp(w.experts[e], a.expert_in.data() + row * d, count, a.expert_out.data() + row * d, a.gate.data() + row * width,
        a.up.data() + row * width, step.inputs);
  });
}

// block_out [n, d]: each token sums its experts' rows weighted, in its own routing order, then the shared expert's.
void combine_experts(const StepContext& step, const MoeWeights& w, Activations& a) {
  const std::int64_t d = step.config.hidden_size, k = step.config.num_experts_per_tok;
  const float* weight = a.route_weights.data();
  const std::int64_t* row = a.pair_rows.data();
  kernels::for_each_index(a.token_count(), step.plan.tokens_in_parallel, [&](std::int64_t t) {
    float* out = a.block_out.data() + t * d;
    std::fill_n(out, d, 0.0f);
    for (std::int64_t slot = 0; slot < k; ++slot) {
      kernels::axpy(weight[t * k + slot], a.expert_out.data() + row[t * k + slot] * d, out, d);
    }
    if (w.shared) kernels::axpy(1.0f, a.shared_out.data() + t * d, out, d);
  });
}

}  // namespace

void group_tokens_by_expert(std::span<const std::int32_t> chosen, std::span<std::int64_t> begin,
                            std::span<std::int64_t> pairs, std::span<std::int64_t> rows) {
  // A counting sort: count each expert's pairs, sum the counts into each expert's end (begin[E], which counts
  // nothing, becomes the total), then place the pairs from the last one back, moving each expert's end down to its
  // first row, so that an expert's pairs stay in ascending order.
  std::ranges::fill(begin, 0);
  for (const std::int32_t e : chosen) ++begin[e];
  std::partial_sum(begin.begin(), begin.end(), begin.begin());
  for (auto p = static_cast<std::int64_t>(chosen.size()) - 1; p >= 0; --p) pairs[--begin[chosen[p]]] = p;
  for (std::size_t j = 0; j < pairs.size(); ++j) rows[pairs[j]] = static_cast<std::int64_t>(j);
}

void moe_block(const StepContext& step, const MoeWeights& w, const RouterParams& router, Activations& a) {
  const std::int64_t pairs = a.token_count() * step.config.num_experts_per_tok;
  route_tokens(step, w, router, a);  // route_experts, route_weights [n, k]
  group_tokens_by_expert(first(a.route_experts, pairs), first(a.expert_begin, step.config.n_routed_experts + 1),
                         first(a.expert_pairs, pairs), first(a.pair_rows, pairs));
  gather_expert_rows(step, a);  // expert_in [n * k, d]
  run_experts(step, w, a);      // expert_out [n * k, d], shared_out [n, d]
  combine_experts(step, w, a);  // block_out [n, d]
}

}  // namespace r1eval::engine::model
