// Ceilings and CPU information: positive, finite, well formed (no timing assertions).
#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "perf/ceilings.h"
#include "perf/cpu_info.h"

namespace r1eval::perf {
namespace {

bool positive_finite(double v) { return v > 0.0 && std::isfinite(v); }

TEST(Ceilings, MeasuredFiguresArePositiveAndFinite) {
  CeilingOptions options;
  options.buffer_bytes = 8 << 20;  // small: this checks the plumbing, not the machine
  options.repetitions = 1;
  options.fma_seconds = 0.01;
  const MachineCeilings c = measure_ceilings(options);
  EXPECT_TRUE(positive_finite(c.read_gbps));
  EXPECT_TRUE(positive_finite(c.read_gbps_one_thread));
  EXPECT_GE(c.read_gbps, c.read_gbps_one_thread);
  EXPECT_TRUE(positive_finite(c.triad_gbps));
  EXPECT_TRUE(positive_finite(c.f32_gflops));
  EXPECT_TRUE(positive_finite(c.bf16_gflops));
  EXPECT_FALSE(c.f32_method.empty());
  EXPECT_NE(c.bf16_method.find(c.bf16_native ? "vdpbf16ps" : "emulated"), std::string::npos);
  EXPECT_GE(c.threads, 1);
  const nlohmann::json j = to_json(c);
  EXPECT_EQ(j.at("read_gbps").get<double>(), c.read_gbps);
  EXPECT_EQ(j.at("bf16_native").get<bool>(), c.bf16_native);
}

TEST(Ceilings, RooflineCeilingPerWeightType) {
  MachineCeilings c;
  c.read_gbps = 30;
  c.f32_gflops = 200;
  c.bf16_gflops = 150;
  c.bf16_native = false;  // emulated: BF16 weights are held to the f32 FMA peak
  EXPECT_EQ(ceiling_for(c, engine::weights::DType::BF16).gflops, 200);
  EXPECT_EQ(ceiling_for(c, engine::weights::DType::F8_E4M3).gflops, 200);
  c.bf16_native = true;
  c.bf16_gflops = 400;
  EXPECT_EQ(ceiling_for(c, engine::weights::DType::BF16).gflops, 400);
  EXPECT_EQ(ceiling_for(c, engine::weights::DType::F32).gflops, 200);
  EXPECT_EQ(ceiling_for(c, engine::weights::DType::BF16).gbps, 30);
}

TEST(Ceilings, RejectsBadOptions) {
  CeilingOptions options;
  options.repetitions = 0;
  EXPECT_THROW(measure_ceilings(options), std::invalid_argument);
  options.repetitions = 1;
  options.fma_seconds = 0;
  EXPECT_THROW(measure_ceilings(options), std::invalid_argument);
}

TEST(CpuInfo, ParsesModelCpusAndTheFeaturesThatMatter) {
  const std::string text =
      "processor\t: 0\nmodel name\t: AMD EPYC 9R14\nflags\t\t: fpu sse4_2 avx avx2 fma f16c avx512f avx512_bf16 ht\n\n"
      "processor\t: 1\nmodel name\t: AMD EPYC 9R14\nflags\t\t: fpu sse4_2 avx avx2 fma f16c avx512f avx512_bf16 ht\n";
  const CpuInfo info = parse_cpuinfo(text);
  EXPECT_EQ(info.model_name, "AMD EPYC 9R14");
  EXPECT_EQ(info.logical_cpus, 2);
  EXPECT_EQ(info.features,
            (std::vector<std::string>{"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512_bf16"}));
  EXPECT_EQ(parse_cpuinfo("").logical_cpus, 0);
}

TEST(CpuInfo, RunningMachineHasAtLeastOneThread) {
  const CpuInfo info = read_cpu_info();
  EXPECT_GE(info.threads, 1);
  EXPECT_GE(info.llc_bytes, 0);
}

}  // namespace
}  // namespace r1eval::perf
