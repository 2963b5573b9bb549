// The one table of kernel benchmark cases: each engine kernel at DeepSeek-R1's real shapes and the `small`
// synthetic preset's, with its FLOP and byte counts worked out analytically. The same table drives the Google
// Benchmark suite (benchmarks/engine_kernels) and `r1eval bench`.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "perf/roofline.h"
#include "engine/weights/config.h"
#include "engine/weights/dtype.h"

namespace r1eval::perf {

// engine::kernels::matmul: y[m, out] = x[m, in] · Wᵀ with W [out, in] stored as `dtype`.
struct MatmulCase {
  std::string label;  // the projection it stands for: "q_a", "expert_down", "head"...
  std::int64_t in = 0, out = 0, m = 1;
  engine::weights::DType dtype = engine::weights::DType::BF16;
};

// One SwiGLU expert over m tokens, as the engine's MoE runs it: gate and up [width, hidden], silu_mul, down
// [hidden, width].
struct ExpertFfnCase {
  std::int64_t hidden = 0, width = 0, m = 1;
  engine::weights::DType dtype = engine::weights::DType::BF16;
};

// engine::kernels::rms_norm over `rows` rows of `width` floats.
struct RmsNormCase {
  std::int64_t width = 0, rows = 1;
};

// engine::model::Rope::apply to every head's rope part of q plus the shared rope key: tokens × (heads + 1) vectors.
struct RopeCase {
  engine::weights::ModelConfig config;  // rope dimension, theta, YaRN
  std::int64_t tokens = 1;
};

// engine::model::route_token (noaux_tc: sigmoid, bias, group-limited top-k) for `tokens` tokens' router logits.
struct MoeRoutingCase {
  engine::weights::ModelConfig config;  // experts, groups, top-k
  std::int64_t tokens = 1;
};

// engine::model::Sampler::sample with temperature and top-p over `vocab` logits.
struct TopPSamplingCase {
  std::int64_t vocab = 0;
  double temperature = 0.6;
  double top_p = 0.95;
};

// engine::tokenizer::Tokenizer::encode of a fixed mixed text (prose, code, math, CJK) of `text_bytes` bytes.
struct TokenizerEncodeCase {
  std::int64_t text_bytes = 0;
};

// MLA decode attention for one token over `context` cached positions, one layer (absorbed weights):
// engine::kernels::latent_attention, as Model::step calls it for every token and layer.
struct MlaDecodeAttentionCase {
  engine::weights::ModelConfig config;
  std::int64_t context = 0;
};

using CaseParams = std::variant<MatmulCase, ExpertFfnCase, RmsNormCase, RopeCase, MoeRoutingCase, TopPSamplingCase,
                                TokenizerEncodeCase, MlaDecodeAttentionCase>;

struct KernelCase {
  std::string preset;  // "real" (DeepSeek-R1) or "small" (the synthetic preset); "any" for shape-free kernels
  CaseParams params;
  bool quick = false;  // part of `r1eval bench --quick`
};

// "matmul", "expert_ffn", "rms_norm", "rope", "moe_routing", "top_p_sampling", "tokenizer_encode",
// "mla_decode_attention".
std::string kernel_name(const KernelCase& c);
// e.g. "real q_a m=1,k=7168,n=1536" (k: input width, n: output width).
std::string shape_name(const KernelCase& c);
// The weights' dtype ("bf16", "fp8", "f32"); "f32" for kernels that only touch float32 activations, "bytes" for
// the tokenizer.
std::string dtype_name(const KernelCase& c);
// The weight dtype the roofline's compute ceiling depends on (F32 for kernels without weights).
engine::weights::DType weight_dtype(const KernelCase& c);
// kernel/shape/dtype with spaces as '_': a Google Benchmark name.
std::string benchmark_name(const KernelCase& c);

// FLOPs (a multiply-add is 2) and the bytes moved at least once per call. Conventions, stated once here:
//  - matmul: 2·m·in·out FLOPs; weight bytes (FP8 scales included) + 4·m·in (x) + 4·m·out (y).
//  - expert_ffn: three matmuls + silu_mul (4 FLOPs per element: exp, add, divide, multiply); bytes: the three
//    weight matrices + x and y (the [m, width] intermediates stay in cache).
//  - rms_norm: 4 FLOPs per element (square-add, then scale and weight); bytes: x, out, and the weight once.
//  - rope: 6 FLOPs per rotated pair (complex multiply) = 3 per element; bytes: each vector read and written
//    (float32) + the token's cos/sin table (float64).
//  - moe_routing: 4 FLOPs per expert (sigmoid counted as 3, bias add) + 3 per chosen expert (normalize, scale);
//    comparisons are not FLOPs; bytes: logits and bias read, ids and weights written.
//  - top_p_sampling: 4 FLOPs per logit (max-subtract, temperature scale, exp, sum); bytes: the logits once.
//  - tokenizer_encode: no FLOPs; bytes: the text (its floor is the memory floor, so its roofline share is tiny).
//  - mla_decode_attention: per head and position 2·(kv_lora_rank + rope) (scores) + 2·kv_lora_rank (context)
//    FLOPs; bytes: the cached latents (float32) of every position.
Work work_of(const KernelCase& c);

enum class CaseSet { Full, Quick };
// Full: every kernel at the real and small shapes (matmul m = 1, 8, 32 for BF16, FP8 and F32; attention contexts
// 1K..32K). Quick: the cases marked quick (small shapes, a handful of each kernel).
std::vector<KernelCase> kernel_cases(CaseSet set);

}  // namespace r1eval::perf
