#include "perf/ceilings.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "perf/cpu_info.h"
#include "perf/fma_loops.h"
#include "perf/synthetic_weights.h"
#include "engine/kernels/kernel_variants.h"
#include "engine/kernels/kernels.h"

namespace r1eval::perf {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Keeps results the probes compute alive so the compiler cannot remove the loops.
volatile double g_sink = 0.0;

// Each thread reads its share of the buffer as 8 interleaved streams, as a GEMV reads 8 weight rows at once: on
// virtualised hosts one sequential stream per core leaves bandwidth unused.
double measure_read_gbps(std::int64_t buffer_bytes, int repetitions, int threads) {
  constexpr std::int64_t kStreams = 8;
  const std::int64_t words = buffer_bytes / 8 / (kStreams * threads) * (kStreams * threads);
  std::vector<std::uint64_t> buffer(static_cast<std::size_t>(words));
  std::uint64_t* data = buffer.data();
  // First touch with the same static split as the reads, so each thread's pages are local to it.
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::int64_t i = 0; i < words; ++i) data[i] = static_cast<std::uint64_t>(i);
  const std::int64_t per_thread = words / threads, stream = per_thread / kStreams;
  double best = 0.0;
  for (int r = 0; r < repetitions; ++r) {
    const auto start = Clock::now();
    std::uint64_t sum = 0;
#pragma omp parallel num_threads(threads) reduction(+ : sum)
    {
      const std::uint64_t* base = data + per_thread * omp_get_thread_num();
      std::uint64_t acc[kStreams] = {};
      for (std::int64_t i = 0; i < stream; ++i) {
        for (std::int64_t s = 0; s < kStreams; ++s) acc[s] += base[s * stream + i];
      }
      for (const std::uint64_t a : acc) sum += a;
    }
    const double seconds = seconds_since(start);
    g_sink = g_sink + static_cast<double>(sum);
    best = std::max(best, static_cast<double>(words * 8) / seconds / 1e9);
  }
  return best;
}

double measure_triad_gbps(std::int64_t buffer_bytes, int repetitions) {
  const std::int64_t n = buffer_bytes / 12;  // three float arrays share the buffer budget
  std::vector<float> a(static_cast<std::size_t>(n)), b(static_cast<std::size_t>(n)), c(static_cast<std::size_t>(n));
  float* pa = a.data();
  float* pb = b.data();
  float* pc = c.data();
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < n; ++i) {
    pa[i] = 0.0f;
    pb[i] = 1.0f;
    pc[i] = 2.0f;
  }
  double best = 0.0;
  const float s = 0.5f;
  for (int r = 0; r < repetitions; ++r) {
    const auto start = Clock::now();
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < n; ++i) pa[i] = pb[i] + s * pc[i];
    const double seconds = seconds_since(start);
    g_sink = g_sink + pa[n / 2];
    best = std::max(best, static_cast<double>(n) * 12.0 / seconds / 1e9);
  }
  return best;
}

using PeakLoop = float (*)(std::int64_t, double*);

// Every thread runs the loop for about `seconds`; best aggregate GFLOP/s of `repetitions` runs.
double measure_peak_gflops(PeakLoop loop, double seconds, int repetitions) {
  // Calibrate the iteration count on one thread.
  std::int64_t iterations = 1 << 16;
  double flops = 0.0;
  for (;;) {
    const auto start = Clock::now();
    g_sink = g_sink + loop(iterations, &flops);
    const double elapsed = seconds_since(start);
    if (elapsed >= seconds / 8 || iterations > (std::int64_t{1} << 40)) {
      iterations =
          std::max<std::int64_t>(1, static_cast<std::int64_t>(static_cast<double>(iterations) * seconds / elapsed));
      break;
    }
    iterations *= 4;
  }
  double best = 0.0;
  for (int r = 0; r < repetitions; ++r) {
    double total = 0.0;
    float sink = 0.0f;
    const auto start = Clock::now();
#pragma omp parallel reduction(+ : total, sink)
    {
      double done = 0.0;
      sink += loop(iterations, &done);
      total += done;
    }
    const double elapsed = seconds_since(start);
    g_sink = g_sink + sink;
    best = std::max(best, total / elapsed / 1e9);
  }
  return best;
}

// The engine's BF16 weight path at a compute-bound, cache-resident shape: m = 64 rows through a 1024 × 1024 BF16
// matrix (2 MiB), best GFLOP/s over `repetitions` runs of about `seconds` each.
double measure_engine_bf16_gflops(double seconds, int repetitions) {
  constexpr std::int64_t kDim = 1024, kRows = 64;
  const SyntheticMatrix w(engine::weights::DType::BF16, kDim, kDim, 7);
  const std::vector<float> x = synthetic_floats(kRows * kDim, 11);
  std::vector<float> y(static_cast<std::size_t>(kRows * kDim));
  engine::kernels::MatmulArgs args;
  args.w = &w.view();
  args.x = x.data();
  args.m = kRows;
  args.y = y.data();
  const double flops_per_call = 2.0 * kRows * kDim * kDim;
  engine::kernels::matmul(args);  // warm-up: pages, caches, variant selection
  double best = 0.0;
  for (int r = 0; r < repetitions; ++r) {
    std::int64_t calls = 0;
    const auto start = Clock::now();
    double elapsed = 0.0;
    do {
      engine::kernels::matmul(args);
      ++calls;
      elapsed = seconds_since(start);
    } while (elapsed < seconds);
    best = std::max(best, flops_per_call * static_cast<double>(calls) / elapsed / 1e9);
  }
  g_sink = g_sink + y[0];
  return best;
}

bool cpu_has_avx512_bf16() {
  return engine::kernels::variant_supported(engine::kernels::Variant::Avx512) && __builtin_cpu_supports("avx512bf16");
}

}  // namespace

MachineCeilings measure_ceilings(const CeilingOptions& options) {
  if (options.repetitions < 1) throw std::invalid_argument("ceilings: repetitions must be at least 1");
  if (!(options.fma_seconds > 0.0)) throw std::invalid_argument("ceilings: the FMA run length must be positive");
  if (options.buffer_bytes < 0) throw std::invalid_argument("ceilings: the buffer size must not be negative");
  MachineCeilings c;
  c.threads = omp_get_max_threads();
  c.repetitions = options.repetitions;
  c.buffer_bytes = options.buffer_bytes;
  if (c.buffer_bytes == 0)
    c.buffer_bytes = std::max<std::int64_t>(std::int64_t{256} << 20, 8 * read_cpu_info().llc_bytes);

  // The ceiling is the most any configuration reaches: on a shared host one descheduled thread stalls a static
  // all-thread loop, and a single thread can then out-read it.
  c.read_gbps_one_thread = measure_read_gbps(c.buffer_bytes, options.repetitions, 1);
  c.read_gbps = std::max(c.read_gbps_one_thread, measure_read_gbps(c.buffer_bytes, options.repetitions, c.threads));
  c.triad_gbps = measure_triad_gbps(c.buffer_bytes, options.repetitions);

  if (engine::kernels::variant_supported(engine::kernels::Variant::Avx512)) {
    c.f32_gflops = measure_peak_gflops(detail::fma_f32_avx512, options.fma_seconds, options.repetitions);
    c.f32_method = "vfmadd231ps zmm (AVX-512), 16 independent accumulators per thread";
  } else if (engine::kernels::variant_supported(engine::kernels::Variant::Avx2)) {
    c.f32_gflops = measure_peak_gflops(detail::fma_f32_avx2, options.fma_seconds, options.repetitions);
    c.f32_method = "vfmadd231ps ymm (AVX2+FMA), 12 independent accumulators per thread";
  } else {
    c.f32_gflops = measure_peak_gflops(detail::fma_f32_generic, options.fma_seconds, options.repetitions);
    c.f32_method = "baseline x86-64 multiply + add (no FMA), 16 independent accumulators per thread";
  }

  if (cpu_has_avx512_bf16()) {
    c.bf16_native = true;
    c.bf16_gflops = measure_peak_gflops(detail::dot_bf16_avx512, options.fma_seconds, options.repetitions);
    c.bf16_method = "vdpbf16ps zmm (AVX512_BF16), 16 independent accumulators per thread";
  } else {
    c.bf16_native = false;
    c.bf16_gflops = measure_engine_bf16_gflops(options.fma_seconds, options.repetitions);
    c.bf16_method =
        "emulated: this CPU has no AVX512_BF16, so bf16 is widened to f32 and multiplied with f32 FMA; the figure is "
        "the engine's own BF16 matmul peak (m=64, 1024x1024, cache-resident), and BF16 rooflines use the f32 FMA peak";
  }
  return c;
}

Ceiling ceiling_for(const MachineCeilings& ceilings, engine::weights::DType weight_dtype) {
  const bool native_bf16 = weight_dtype == engine::weights::DType::BF16 && ceilings.bf16_native;
  return Ceiling{.gflops = native_bf16 ? ceilings.bf16_gflops : ceilings.f32_gflops, .gbps = ceilings.read_gbps};
}

nlohmann::json to_json(const MachineCeilings& c) {
  return nlohmann::json{{"read_gbps", c.read_gbps},         {"read_gbps_one_thread", c.read_gbps_one_thread},
                        {"triad_gbps", c.triad_gbps},
                        {"f32_gflops", c.f32_gflops},       {"f32_method", c.f32_method},
                        {"bf16_gflops", c.bf16_gflops},     {"bf16_native", c.bf16_native},
                        {"bf16_method", c.bf16_method},     {"threads", c.threads},
                        {"buffer_bytes", c.buffer_bytes},   {"repetitions", c.repetitions}};
}

}  // namespace r1eval::perf
