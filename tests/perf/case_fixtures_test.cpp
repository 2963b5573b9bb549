// Every kind of case can be prepared and run through the runner, and the runner scores it against the ceilings.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>

#include "common/repo_paths.h"
#include "perf/case_fixtures.h"
#include "perf/kernel_runner.h"
#include "perf/synthetic_weights.h"
#include "engine/synth/presets.h"
#include "engine/synth/synthetic_checkpoint.h"
#include "engine/tokenizer/tokenizer.h"

namespace r1eval::perf {
namespace {

using engine::weights::DType;

std::vector<KernelCase> one_of_each() {
  const auto tiny = engine::synth::preset_config(engine::synth::Preset::Tiny, false);
  return {
      {"small", MatmulCase{.label = "t", .in = 256, .out = 130, .m = 3, .dtype = DType::F8_E4M3}, true},
      {"small", MatmulCase{.label = "t", .in = 64, .out = 32, .m = 1, .dtype = DType::BF16}, true},
      {"small", ExpertFfnCase{.hidden = 64, .width = 32, .m = 2, .dtype = DType::F32}, true},
      {"small", RmsNormCase{.width = 64, .rows = 2}, true},
      {"small", RopeCase{.config = tiny, .tokens = 2}, true},
      {"small", MoeRoutingCase{.config = tiny, .tokens = 2}, true},
      {"any", TopPSamplingCase{.vocab = 1000, .temperature = 0.6, .top_p = 0.95}, true},
      {"any", TokenizerEncodeCase{.text_bytes = 300}, true},
      {"small", MlaDecodeAttentionCase{.config = tiny, .context = 1024}, false},
  };
}

TEST(CaseFixtures, RunnerTimesEveryKind) {
  // One thread: this checks the plumbing, and on a busy machine waking OpenMP workers per call dominates.
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto tok = engine::tokenizer::Tokenizer::load(common::default_tokenizer_dir());
  ASSERT_TRUE(tok.has_value());
  WeightPool pool;
  MachineCeilings ceilings;
  ceilings.read_gbps = 20;
  ceilings.f32_gflops = 100;
  ceilings.bf16_gflops = 100;
  TimingOptions timing;
  timing.target_seconds = 0.002;
  timing.batches = 1;
  timing.max_cold_calls = 5;
  timing.llc_bytes = 1 << 20;
  const auto cases = one_of_each();
  const auto results = run_kernel_cases(cases, ceilings, {.weights = &pool, .tokenizer = &*tok}, timing);
  ASSERT_EQ(results.size(), cases.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    const KernelMeasurement& m = results[i];
    EXPECT_FALSE(m.skipped) << m.kernel << ": " << m.note;
    EXPECT_GT(m.timing.seconds, 0.0) << m.kernel;
    EXPECT_GE(m.timing.samples, 1) << m.kernel;
    EXPECT_TRUE(m.roofline_pct > 0.0 && std::isfinite(m.roofline_pct)) << m.kernel;
    EXPECT_DOUBLE_EQ(m.gbps, m.work.bytes / m.timing.seconds / 1e9) << m.kernel;
  }
  EXPECT_EQ(results.back().kernel, "mla_decode_attention");
  EXPECT_TRUE(results[0].timing.rotated);  // a 33 KB matrix cycles through copies larger than the 1 MiB "cache"
  EXPECT_TRUE(results[3].timing.cold);     // RMSNorm's few KB are flushed before each call instead
  omp_set_num_threads(threads);
}

TEST(CaseFixtures, TokenizerCaseWithoutTokenizerIsReportedSkipped) {
  MachineCeilings ceilings;
  ceilings.read_gbps = 20;
  ceilings.f32_gflops = 100;
  const std::vector<KernelCase> cases = {{"any", TokenizerEncodeCase{.text_bytes = 100}, true}};
  const auto results = run_kernel_cases(cases, ceilings, {}, TimingOptions{.target_seconds = 0.001});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].skipped);
  EXPECT_NE(results[0].note.find("tokenizer"), std::string::npos);
}

TEST(CaseFixtures, SampleTextEndsOnACharacterBoundary) {
  for (const std::int64_t bytes : {0, 1, 100, 237, 238, 239, 240, 4096}) {
    const std::string text = sample_text(bytes);
    EXPECT_LE(static_cast<std::int64_t>(text.size()), bytes);
    EXPECT_GE(static_cast<std::int64_t>(text.size()), bytes - 3);
    if (!text.empty()) {
      // The last character is complete: no lead byte without all its continuation bytes.
      std::size_t start = text.size() - 1;
      while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0u) == 0x80u) --start;
      const auto lead = static_cast<unsigned char>(text[start]);
      const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
      EXPECT_EQ(text.size() - start, length) << bytes;
    }
  }
}

TEST(CaseFixtures, WeightCopiesSpanThreeCaches) {
  const KernelCase small{"small", MatmulCase{.label = "t", .in = 1024, .out = 384, .m = 1, .dtype = DType::BF16}, true};
  // 1024 · 384 · 2 = 786,432 bytes; 3 · 32 MiB = 100,663,296 bytes → 128 copies.
  EXPECT_EQ(weight_copies(small, 32 << 20), 128);
  EXPECT_EQ(weight_keys(small, 32 << 20).size(), 128u);
  const KernelCase ffn{"small", ExpertFfnCase{.hidden = 1024, .width = 512, .m = 1, .dtype = DType::BF16}, true};
  // Three 1 MiB matrices per copy: 96 MiB / 3 MiB = 32 copies, 96 keys.
  EXPECT_EQ(weight_copies(ffn, 32 << 20), 32);
  EXPECT_EQ(weight_keys(ffn, 32 << 20).size(), 96u);
  const KernelCase head{"real", MatmulCase{.label = "head", .in = 7168, .out = 129280, .m = 1, .dtype = DType::F8_E4M3},
                        false};
  EXPECT_EQ(weight_copies(head, 32 << 20), 1);
  const KernelCase norm{"real", RmsNormCase{.width = 7168, .rows = 1}, false};
  EXPECT_TRUE(weight_keys(norm, 32 << 20).empty());
}

TEST(SyntheticWeights, BytesIncludeFp8BlockScales) {
  // 576 × 7168 FP8: 4,128,768 codes + 4 · ceil(576/128) · ceil(7168/128) = 4 · 5 · 56 = 1,120 bytes of scales.
  EXPECT_DOUBLE_EQ(weight_bytes(DType::F8_E4M3, 576, 7168), 4'129'888.0);
  EXPECT_DOUBLE_EQ(weight_bytes(DType::BF16, 3, 5), 30.0);
  EXPECT_DOUBLE_EQ(weight_bytes(DType::F32, 3, 5), 60.0);
  EXPECT_THROW(weight_bytes(DType::F16, 3, 5), std::invalid_argument);
}

}  // namespace
}  // namespace r1eval::perf
