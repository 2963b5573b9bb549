#include "perf/kernel_cases.h"

#include <algorithm>

#include <fmt/format.h>

#include "perf/r1_config.h"
#include "perf/synthetic_weights.h"
#include "engine/synth/presets.h"

namespace r1eval::perf {
namespace {

using engine::weights::DType;
using engine::weights::ModelConfig;

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

double d(std::int64_t v) { return static_cast<double>(v); }

constexpr double kSiluMulFlops = 4.0;     // exp, add, divide, multiply per element
constexpr double kRmsNormFlops = 4.0;     // square-add; scale, weight
constexpr double kRopeFlopsPerValue = 3.0;
constexpr double kRoutingFlopsPerExpert = 4.0;
constexpr double kRoutingFlopsPerChoice = 3.0;
constexpr double kSamplingFlopsPerLogit = 4.0;

std::string dtype_tag(DType dtype) {
  switch (dtype) {
    case DType::BF16: return "bf16";
    case DType::F8_E4M3: return "fp8";
    case DType::F32: return "f32";
    case DType::F16: return "f16";
  }
  return "?";
}

double matmul_bytes(DType dtype, std::int64_t in, std::int64_t out, std::int64_t m) {
  return weight_bytes(dtype, out, in) + 4.0 * d(m) * d(in) + 4.0 * d(m) * d(out);
}

// The model's matmul shapes (label, in, out), derived from its configuration: the same formulas give R1's real
// shapes (7168→1536 q_a ... 7168→129280 head) and the small preset's.
std::vector<MatmulCase> projection_shapes(const ModelConfig& c) {
  const std::int64_t dm = c.hidden_size, h = c.num_attention_heads;
  return {
      {.label = "q_a", .in = dm, .out = c.q_lora_rank},
      {.label = "q_b", .in = c.q_lora_rank, .out = h * c.qk_head_dim()},
      {.label = "kv_a", .in = dm, .out = c.kv_lora_rank + c.qk_rope_head_dim},
      {.label = "kv_b", .in = c.kv_lora_rank, .out = h * (c.qk_nope_head_dim + c.v_head_dim)},
      {.label = "o", .in = h * c.v_head_dim, .out = dm},
      {.label = "expert_up", .in = dm, .out = c.moe_intermediate_size},
      {.label = "expert_down", .in = c.moe_intermediate_size, .out = dm},
      {.label = "head", .in = dm, .out = c.vocab_size},
  };
}

void add_model_cases(std::vector<KernelCase>& cases, const std::string& preset, const ModelConfig& config,
                     bool small) {
  // Matmul: every projection × dtype × m. Quick keeps the small preset's GEMVs in BF16 and FP8, two small-M GEMMs
  // and one F32 shape.
  for (const MatmulCase& shape : projection_shapes(config)) {
    for (const DType dtype : {DType::BF16, DType::F8_E4M3, DType::F32}) {
      for (const std::int64_t m : {1, 8, 32}) {
        MatmulCase mc = shape;
        mc.dtype = dtype;
        mc.m = m;
        const bool quick = small && ((m == 1 && dtype != DType::F32) ||
                                     (shape.label == "q_b" && dtype == DType::BF16 && m > 1) ||
                                     (shape.label == "expert_up" && dtype == DType::F32 && m == 1));
        cases.push_back({preset, mc, quick});
      }
    }
  }
  for (const DType dtype : {DType::BF16, DType::F8_E4M3}) {
    for (const std::int64_t m : {1, 8, 32}) {
      const bool quick = small && ((dtype == DType::BF16 && m == 1) || (dtype == DType::F8_E4M3 && m == 8));
      cases.push_back({preset,
                       ExpertFfnCase{.hidden = config.hidden_size, .width = config.moe_intermediate_size, .m = m,
                                     .dtype = dtype},
                       quick});
    }
  }
  for (const std::int64_t rows : {1, 32}) {
    cases.push_back({preset, RmsNormCase{.width = config.hidden_size, .rows = rows}, small && rows == 1});
  }
  for (const std::int64_t tokens : {1, 32}) {
    cases.push_back({preset, RopeCase{.config = config, .tokens = tokens}, small && tokens == 1});
  }
  for (const std::int64_t tokens : {1, 32}) {
    cases.push_back({preset, MoeRoutingCase{.config = config, .tokens = tokens}, tokens == 1});
  }
  for (const std::int64_t context : {1024, 2048, 4096, 8192, 16384, 32768}) {
    cases.push_back({preset, MlaDecodeAttentionCase{.config = config, .context = context}, small && context == 1024});
  }
}

}  // namespace

std::string kernel_name(const KernelCase& c) {
  return std::visit(Overloaded{[](const MatmulCase&) { return "matmul"; },
                               [](const ExpertFfnCase&) { return "expert_ffn"; },
                               [](const RmsNormCase&) { return "rms_norm"; },
                               [](const RopeCase&) { return "rope"; },
                               [](const MoeRoutingCase&) { return "moe_routing"; },
                               [](const TopPSamplingCase&) { return "top_p_sampling"; },
                               [](const TokenizerEncodeCase&) { return "tokenizer_encode"; },
                               [](const MlaDecodeAttentionCase&) { return "mla_decode_attention"; }},
                    c.params);
}

std::string shape_name(const KernelCase& c) {
  const std::string shape = std::visit(
      Overloaded{
          [](const MatmulCase& p) { return fmt::format("{} m={},k={},n={}", p.label, p.m, p.in, p.out); },
          [](const ExpertFfnCase& p) { return fmt::format("m={},d={},width={}", p.m, p.hidden, p.width); },
          [](const RmsNormCase& p) { return fmt::format("rows={},n={}", p.rows, p.width); },
          [](const RopeCase& p) {
            return fmt::format("tokens={},heads={},dim={}", p.tokens, p.config.num_attention_heads,
                               p.config.qk_rope_head_dim);
          },
          [](const MoeRoutingCase& p) {
            return fmt::format("tokens={},experts={},groups={}/{},top_k={}", p.tokens, p.config.n_routed_experts,
                               p.config.topk_group, p.config.n_group, p.config.num_experts_per_tok);
          },
          [](const TopPSamplingCase& p) {
            return fmt::format("vocab={},t={},top_p={}", p.vocab, p.temperature, p.top_p);
          },
          [](const TokenizerEncodeCase& p) { return fmt::format("bytes={}", p.text_bytes); },
          [](const MlaDecodeAttentionCase& p) {
            return fmt::format("context={},heads={},latent={}+{}", p.context, p.config.num_attention_heads,
                               p.config.kv_lora_rank, p.config.qk_rope_head_dim);
          }},
      c.params);
  return c.preset == "any" ? shape : c.preset + " " + shape;
}

engine::weights::DType weight_dtype(const KernelCase& c) {
  if (const auto* p = std::get_if<MatmulCase>(&c.params)) return p->dtype;
  if (const auto* p = std::get_if<ExpertFfnCase>(&c.params)) return p->dtype;
  return DType::F32;
}

std::string dtype_name(const KernelCase& c) {
  if (std::holds_alternative<TokenizerEncodeCase>(c.params)) return "bytes";
  return dtype_tag(weight_dtype(c));
}

std::string benchmark_name(const KernelCase& c) {
  std::string name = kernel_name(c) + "/" + shape_name(c) + "/" + dtype_name(c);
  std::replace(name.begin(), name.end(), ' ', '_');
  return name;
}

Work work_of(const KernelCase& c) {
  return std::visit(
      Overloaded{
          [](const MatmulCase& p) {
            return Work{2.0 * d(p.m) * d(p.in) * d(p.out), matmul_bytes(p.dtype, p.in, p.out, p.m)};
          },
          [](const ExpertFfnCase& p) {
            const double matmul_flops = 3.0 * 2.0 * d(p.m) * d(p.hidden) * d(p.width);
            const double bytes = 2.0 * weight_bytes(p.dtype, p.width, p.hidden) +
                                 weight_bytes(p.dtype, p.hidden, p.width) + 2.0 * 4.0 * d(p.m) * d(p.hidden);
            return Work{matmul_flops + kSiluMulFlops * d(p.m) * d(p.width), bytes};
          },
          [](const RmsNormCase& p) {
            return Work{kRmsNormFlops * d(p.rows) * d(p.width), 4.0 * d(p.width) * d(2 * p.rows + 1)};
          },
          [](const RopeCase& p) {
            const double dim = d(p.config.qk_rope_head_dim);
            const double vectors = d(p.tokens) * d(p.config.num_attention_heads + 1);
            return Work{kRopeFlopsPerValue * dim * vectors, 8.0 * dim * vectors + 8.0 * dim * d(p.tokens)};
          },
          [](const MoeRoutingCase& p) {
            const double e = d(p.config.n_routed_experts), k = d(p.config.num_experts_per_tok);
            return Work{d(p.tokens) * (kRoutingFlopsPerExpert * e + kRoutingFlopsPerChoice * k),
                        d(p.tokens) * (8.0 * e + 8.0 * k)};
          },
          [](const TopPSamplingCase& p) { return Work{kSamplingFlopsPerLogit * d(p.vocab), 4.0 * d(p.vocab)}; },
          [](const TokenizerEncodeCase& p) { return Work{0.0, d(p.text_bytes)}; },
          [](const MlaDecodeAttentionCase& p) {
            const ModelConfig& m = p.config;
            const double per_position = 2.0 * d(m.kv_lora_rank + m.qk_rope_head_dim) + 2.0 * d(m.kv_lora_rank);
            return Work{d(m.num_attention_heads) * per_position * d(p.context),
                        4.0 * d(m.kv_lora_rank + m.qk_rope_head_dim) * d(p.context)};
          }},
      c.params);
}


std::vector<KernelCase> kernel_cases(CaseSet set) {
  std::vector<KernelCase> cases;
  add_model_cases(cases, "small", engine::synth::preset_config(engine::synth::Preset::Small, false), true);
  add_model_cases(cases, "real", deepseek_r1_config(), false);
  cases.push_back({"any", TopPSamplingCase{.vocab = 129280, .temperature = 0.6, .top_p = 0.95}, true});
  cases.push_back({"any", TokenizerEncodeCase{.text_bytes = 4096}, true});
  cases.push_back({"any", TokenizerEncodeCase{.text_bytes = 65536}, false});
  if (set == CaseSet::Quick) std::erase_if(cases, [](const KernelCase& c) { return !c.quick; });
  return cases;
}

}  // namespace r1eval::perf
