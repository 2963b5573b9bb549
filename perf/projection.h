// A projection — not a measurement — of the real DeepSeek-R1's throughput and cost per token on N GPUs, from the
// configuration's analytic FLOPs and bytes (model_arithmetic.h), each GPU's datasheet bandwidth and dense FP8
// peak, and a stated efficiency: tokens/s = efficiency × the roofline bound.
//
// One step runs T new tokens (decode: T = batch sequences, one token each; prefill: T = prompt tokens of one
// sequence) and takes at least max(bytes / (N × bandwidth), FLOPs / (N × peak)). All FLOPs are taken at the
// dense FP8 peak (R1's matrices are FP8; attention in BF16 would be slower), so the bound is optimistic.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "perf/cost.h"
#include "engine/weights/config.h"

namespace r1eval::perf {

struct ProjectionRow {
  std::string gpu;              // "H200"
  std::int64_t gpus = 0;        // N
  std::string phase;            // "prefill" or "decode"
  std::int64_t batch = 1;       // sequences per step
  std::int64_t context = 0;     // prefill: prompt length; decode: positions attended
  double step_seconds = 0.0;    // the roofline floor of one step
  double bound_tokens_per_s = 0.0;
  double tokens_per_s = 0.0;    // efficiency × bound
  double usd_per_mtok = 0.0;    // N × GPU-hour price at tokens_per_s
  std::string basis;            // the price, the efficiency and the word "projection"
};

// The fewest GPUs, in whole 8-GPU nodes, whose memory × headroom holds the stored weights.
std::int64_t gpus_needed(const engine::weights::ModelConfig& config, const GpuSpec& spec, double memory_headroom);

// Floor of one step of `tokens` new tokens that read `kv_positions` cached positions in total, on n GPUs.
double step_floor_seconds(const engine::weights::ModelConfig& config, const GpuSpec& spec, std::int64_t n,
                          std::int64_t tokens, double flops, std::int64_t kv_positions);

// For every GPU of the table: one prefill row (a prompt of projection.prompt_tokens) and a decode row per batch
// of projection.decode_batches at projection.context.
std::vector<ProjectionRow> project_throughput(const engine::weights::ModelConfig& config, const PriceTable& prices);

}  // namespace r1eval::perf
