#include "perf/projection.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "perf/model_arithmetic.h"

namespace r1eval::perf {
namespace {

double d(std::int64_t v) { return static_cast<double>(v); }

// FLOPs per cached position per token of attention (absorbed MLA): flops_per_token's slope in the context.
double attention_flops_per_position(const engine::weights::ModelConfig& c) {
  return flops_per_token(c, 1) - flops_per_token(c, 0);
}

}  // namespace

std::int64_t gpus_needed(const engine::weights::ModelConfig& config, const GpuSpec& spec, double memory_headroom) {
  if (!(memory_headroom > 0.0) || !(spec.memory_gb > 0.0))
    throw std::invalid_argument("gpus_needed: bad memory figures");
  const double per_node = 8.0 * spec.memory_gb * 1e9 * memory_headroom;
  return 8 * static_cast<std::int64_t>(std::ceil(weight_storage_bytes(config) / per_node));
}

double step_floor_seconds(const engine::weights::ModelConfig& config, const GpuSpec& spec, std::int64_t n,
                          std::int64_t tokens, double flops, std::int64_t kv_positions) {
  // decode_step_bytes(tokens, context) reads tokens × context positions; express kv_positions through it exactly:
  // weights and embedding rows for `tokens`, plus the KV bytes of kv_positions positions.
  const double weights_bytes = decode_step_bytes(config, tokens, 0);
  const double kv_bytes = decode_step_bytes(config, 1, 1) - decode_step_bytes(config, 1, 0);  // one position
  const double bytes = weights_bytes + kv_bytes * d(kv_positions);
  return std::max(bytes / (d(n) * spec.hbm_gbps * 1e9), flops / (d(n) * spec.dense_fp8_tflops * 1e12));
}

std::vector<ProjectionRow> project_throughput(const engine::weights::ModelConfig& config, const PriceTable& prices) {
  const ProjectionAssumptions& a = prices.projection;
  std::vector<ProjectionRow> rows;
  for (const GpuPrice& gpu : prices.gpus) {
    const std::int64_t n = gpus_needed(config, gpu.spec, a.memory_headroom);
    const std::string basis =
        fmt::format("projection: {} x {} at ${}/GPU-h ({}, {}, {}); {:.0f}% of the roofline bound from {} ({} GB/s, "
                    "{} dense FP8 TFLOPS per GPU)",
                    n, gpu.name, gpu.usd_per_gpu_hour, gpu.basis, gpu.source, gpu.as_of, a.efficiency * 100.0,
                    gpu.spec.source, gpu.spec.hbm_gbps, gpu.spec.dense_fp8_tflops);
    const auto add = [&](std::string phase, std::int64_t batch, std::int64_t context, double tokens, double step) {
      ProjectionRow r;
      r.gpu = gpu.name;
      r.gpus = n;
      r.phase = std::move(phase);
      r.batch = batch;
      r.context = context;
      r.step_seconds = step;
      r.bound_tokens_per_s = tokens / step;
      r.tokens_per_s = a.efficiency * r.bound_tokens_per_s;
      r.usd_per_mtok = cost_per_mtok_usd(d(n) * gpu.usd_per_gpu_hour, r.tokens_per_s);
      r.basis = basis;
      rows.push_back(std::move(r));
    };
    // Prefill: P tokens of one sequence; token i attends to i + 1 positions, P(P+1)/2 in all.
    const std::int64_t p = a.prompt_tokens;
    const double prefill_flops =
        d(p) * flops_per_token(config, 0) + attention_flops_per_position(config) * d(p) * d(p + 1) / 2.0;
    add("prefill", 1, p, d(p), step_floor_seconds(config, gpu.spec, n, p, prefill_flops, p));
    // Decode: B sequences, one token each, each attending to `context` positions.
    for (const std::int64_t b : a.decode_batches) {
      const double flops = d(b) * flops_per_token(config, a.context);
      add("decode", b, a.context, d(b), step_floor_seconds(config, gpu.spec, n, b, flops, b * a.context));
    }
  }
  return rows;
}

}  // namespace r1eval::perf
