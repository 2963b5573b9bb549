// Google Benchmark suite over the engine's kernel cases (perf/kernel_cases.h: the same table `r1eval bench`
// runs): matmul (BF16, FP8-block, F32; m = 1, 8, 32) at DeepSeek-R1's real shapes and the small preset's, expert
// FFN, RMSNorm, RoPE, MoE routing, MLA decode attention over 1K-32K cached positions, top-p sampling over 129280
// logits and tokenizer encode.
//
// Counters: FLOP/s and bytes/s from the cases' analytic counts, and roofline_% against this machine's ceilings
// (measured once, at the first benchmark). As in `r1eval bench` (kernel_runner.h), small weights rotate through
// copies larger than the cache, and other cases whose bytes fit in cache are timed call by call with the cache
// flushed first (manual time). Only one case's weights are alive at a time (the largest,
// the real LM head in F32, is 3.7 GB). Filter e.g. --benchmark_filter='^matmul/small' or '/real_head'.
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <optional>

#include "common/repo_paths.h"
#include "perf/case_fixtures.h"
#include "perf/ceilings.h"
#include "perf/cpu_info.h"
#include "perf/kernel_cases.h"
#include "perf/kernel_runner.h"
#include "engine/kernels/kernel_variants.h"
#include "engine/synth/synthetic_checkpoint.h"
#include "engine/tokenizer/tokenizer.h"

namespace {

using namespace r1eval::perf;

struct SuiteState {
  WeightPool pool;
  std::unique_ptr<PreparedCase> current;
  std::optional<r1eval::engine::tokenizer::Tokenizer> tokenizer;
  bool tokenizer_tried = false;
  std::optional<MachineCeilings> ceilings;
  std::unique_ptr<CacheFlusher> flusher;
};

SuiteState& suite() {
  static SuiteState state;
  return state;
}

const MachineCeilings& ceilings() {
  SuiteState& s = suite();
  if (!s.ceilings)
    s.ceilings = measure_ceilings(CeilingOptions{.buffer_bytes = 0, .repetitions = 3, .fma_seconds = 0.1});
  return *s.ceilings;
}

void run_case(benchmark::State& state, const KernelCase& c) {
  SuiteState& s = suite();
  const MachineCeilings& ceiling = ceilings();
  if (!s.flusher) s.flusher = std::make_unique<CacheFlusher>(read_cpu_info().llc_bytes);
  if (std::holds_alternative<TokenizerEncodeCase>(c.params) && !s.tokenizer_tried) {
    s.tokenizer_tried = true;
    s.tokenizer = r1eval::engine::tokenizer::Tokenizer::load(r1eval::common::default_tokenizer_dir());
  }
  s.current.reset();  // free the previous case's inputs before allocating this one's
  const std::int64_t llc = s.flusher->llc_bytes();
  const std::vector<WeightPool::Key> keys = weight_keys(c, llc);
  s.pool.retain_only(keys);
  try {
    s.current = prepare_case(
        c, CaseResources{.weights = &s.pool, .tokenizer = s.tokenizer ? &*s.tokenizer : nullptr, .llc_bytes = llc});
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const Work work = work_of(c);
  const bool cold = !s.current->weights_rotate() && work.bytes < 2.0 * static_cast<double>(llc);
  s.current->run();  // warm-up
  double timed = 0.0;
  for (auto _ : state) {
    if (cold) s.flusher->flush();
    const auto start = std::chrono::steady_clock::now();
    s.current->run();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.SetIterationTime(seconds);
    timed += seconds;
  }
  state.counters["FLOP/s"] = benchmark::Counter(work.flops, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes/s"] = benchmark::Counter(work.bytes, benchmark::Counter::kIsIterationInvariantRate);
  // The floor per call against the mean timed call.
  const double floor = floor_seconds(work, ceiling_for(ceiling, weight_dtype(c)));
  const double mean = timed / static_cast<double>(state.iterations());
  if (mean > 0.0) state.counters["roofline_%"] = roofline_pct(floor, mean);
  state.SetLabel(std::string(r1eval::engine::kernels::variant_name(r1eval::engine::kernels::active_variant())) +
                 (cold ? ", cold cache" : "") + (s.current->weights_rotate() ? ", rotated weights" : ""));
}

[[maybe_unused]] const bool kRegistered = [] {
  const std::int64_t llc = CacheFlusher::effective_llc_bytes(read_cpu_info().llc_bytes);
  for (const KernelCase& c : kernel_cases(CaseSet::Full)) {
    auto* b = benchmark::RegisterBenchmark(benchmark_name(c).c_str(), run_case, c)
                  ->UseManualTime()
                  ->Unit(benchmark::kMicrosecond);
    // A cold case pays a cache flush per iteration outside the timed region; a minimum *timed* span would take
    // ~10⁵ flushes for a microsecond kernel, so these get a fixed count instead.
    const bool may_be_cold = weight_keys(c, llc).empty() && work_of(c).bytes < 2.0 * static_cast<double>(llc);
    if (may_be_cold) {
      b->Iterations(50);
    } else {
      b->MinTime(0.1);
    }
  }
  return true;
}();

}  // namespace
