// The case table: shapes, names and analytic FLOP/byte counts checked by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "perf/kernel_cases.h"

namespace r1eval::perf {
namespace {

using engine::weights::DType;

const KernelCase& find_case(const std::vector<KernelCase>& cases, const std::string& kernel, const std::string& shape,
                            const std::string& dtype) {
  const auto it = std::find_if(cases.begin(), cases.end(), [&](const KernelCase& c) {
    return kernel_name(c) == kernel && shape_name(c) == shape && dtype_name(c) == dtype;
  });
  if (it == cases.end()) throw std::runtime_error("no case " + kernel + " " + shape + " " + dtype);
  return *it;
}

TEST(KernelCases, RealMatmulShapesAreDeepSeekV3s) {
  std::set<std::tuple<std::string, std::int64_t, std::int64_t>> real;
  for (const KernelCase& c : kernel_cases(CaseSet::Full)) {
    if (const auto* m = std::get_if<MatmulCase>(&c.params); m && c.preset == "real")
      real.insert({m->label, m->in, m->out});
  }
  const std::set<std::tuple<std::string, std::int64_t, std::int64_t>> expected = {
      {"q_a", 7168, 1536},  {"q_b", 1536, 24576},      {"kv_a", 7168, 576},         {"kv_b", 512, 32768},
      {"o", 16384, 7168},   {"expert_up", 7168, 2048}, {"expert_down", 2048, 7168}, {"head", 7168, 129280}};
  EXPECT_EQ(real, expected);
}

TEST(KernelCases, MatmulCountsByHand) {
  const auto cases = kernel_cases(CaseSet::Full);
  // BF16 q_a GEMV: 2·7168·1536 = 22,020,096 FLOPs; bytes = 2·7168·1536 (weights) + 4·7168 (x) + 4·1536 (y)
  // = 22,020,096 + 28,672 + 6,144 = 22,054,912.
  const Work q_a = work_of(find_case(cases, "matmul", "real q_a m=1,k=7168,n=1536", "bf16"));
  EXPECT_DOUBLE_EQ(q_a.flops, 22'020'096.0);
  EXPECT_DOUBLE_EQ(q_a.bytes, 22'054'912.0);
  // FP8 kv_a at m = 8: 2·8·7168·576 = 66,060,288 FLOPs; bytes = 576·7168 = 4,128,768 codes + 4·(5·56) = 1,120 scale
  // bytes (576 rows = 4.5 blocks → 5) + 4·8·7168 = 229,376 (x) + 4·8·576 = 18,432 (y) = 4,377,696.
  const Work kv_a = work_of(find_case(cases, "matmul", "real kv_a m=8,k=7168,n=576", "fp8"));
  EXPECT_DOUBLE_EQ(kv_a.flops, 66'060'288.0);
  EXPECT_DOUBLE_EQ(kv_a.bytes, 4'377'696.0);
  // F32 small expert_up (1024 → 512) at m = 32: 2·32·1024·512 = 33,554,432 FLOPs;
  // bytes = 4·512·1024 + 4·32·1024 + 4·32·512 = 2,097,152 + 131,072 + 65,536 = 2,293,760.
  const Work up = work_of(find_case(cases, "matmul", "small expert_up m=32,k=1024,n=512", "f32"));
  EXPECT_DOUBLE_EQ(up.flops, 33'554'432.0);
  EXPECT_DOUBLE_EQ(up.bytes, 2'293'760.0);
}

TEST(KernelCases, OtherKernelCountsByHand) {
  const auto cases = kernel_cases(CaseSet::Full);
  // Expert FFN, real, BF16, one token: 3 matmuls of 2·7168·2048 = 88,080,384 FLOPs + silu_mul 4·2048 = 8,192;
  // bytes = 3 matrices · 2·7168·2048 = 88,080,384 + x and y 2·4·7168 = 57,344.
  const Work ffn = work_of(find_case(cases, "expert_ffn", "real m=1,d=7168,width=2048", "bf16"));
  EXPECT_DOUBLE_EQ(ffn.flops, 88'088'576.0);
  EXPECT_DOUBLE_EQ(ffn.bytes, 88'137'728.0);
  // RMSNorm over 32 rows of 7168: 4·32·7168 = 917,504 FLOPs; bytes 4·7168·(2·32 + 1) = 1,863,680.
  const Work norm = work_of(find_case(cases, "rms_norm", "real rows=32,n=7168", "f32"));
  EXPECT_DOUBLE_EQ(norm.flops, 917'504.0);
  EXPECT_DOUBLE_EQ(norm.bytes, 1'863'680.0);
  // RoPE, one token, 128 heads + the shared key = 129 vectors of 64: 3·64·129 = 24,768 FLOPs;
  // bytes 8·64·129 + 8·64 (cos/sin as doubles) = 66,048 + 512 = 66,560.
  const Work rope = work_of(find_case(cases, "rope", "real tokens=1,heads=128,dim=64", "f32"));
  EXPECT_DOUBLE_EQ(rope.flops, 24'768.0);
  EXPECT_DOUBLE_EQ(rope.bytes, 66'560.0);
  // Routing one token over 256 experts, top-8: 4·256 + 3·8 = 1,048 FLOPs; bytes 8·256 + 8·8 = 2,112.
  const Work route = work_of(find_case(cases, "moe_routing", "real tokens=1,experts=256,groups=4/8,top_k=8", "f32"));
  EXPECT_DOUBLE_EQ(route.flops, 1'048.0);
  EXPECT_DOUBLE_EQ(route.bytes, 2'112.0);
  // Top-p over 129280 logits: 4 FLOPs and 4 bytes per logit = 517,120 each.
  const Work topp = work_of(find_case(cases, "top_p_sampling", "vocab=129280,t=0.6,top_p=0.95", "f32"));
  EXPECT_DOUBLE_EQ(topp.flops, 517'120.0);
  EXPECT_DOUBLE_EQ(topp.bytes, 517'120.0);
  // MLA decode, one layer, 4096 positions: 128 heads · (2·576 + 2·512) · 4096 = 1,140,850,688 FLOPs;
  // bytes 4·576·4096 = 9,437,184.
  const KernelCase& mla = find_case(cases, "mla_decode_attention", "real context=4096,heads=128,latent=512+64", "f32");
  EXPECT_DOUBLE_EQ(work_of(mla).flops, 1'140'850'688.0);
  EXPECT_DOUBLE_EQ(work_of(mla).bytes, 9'437'184.0);
}

TEST(KernelCases, NamesAreUniqueAndQuickIsASmallSubset) {
  const auto full = kernel_cases(CaseSet::Full);
  std::set<std::string> names;
  for (const KernelCase& c : full) EXPECT_TRUE(names.insert(benchmark_name(c)).second) << benchmark_name(c);
  EXPECT_EQ(names.count("matmul/small_q_a_m=1,k=1024,n=384/bf16"), 1u);

  const auto quick = kernel_cases(CaseSet::Quick);
  std::set<std::string> kernels;
  for (const KernelCase& c : quick) {
    kernels.insert(kernel_name(c));
    if (std::holds_alternative<MatmulCase>(c.params) || std::holds_alternative<ExpertFfnCase>(c.params)) {
      EXPECT_EQ(c.preset, "small") << benchmark_name(c);  // no multi-GB real matrices in --quick
    }
  }
  EXPECT_GE(kernels.size(), 7u);
  EXPECT_LT(quick.size(), full.size() / 4);
}

}  // namespace
}  // namespace r1eval::perf
