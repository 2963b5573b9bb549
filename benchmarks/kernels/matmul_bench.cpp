// Google Benchmark suite for the matmul kernels: BF16 and FP8-block weights against float32 activations (and the
// same rounded to bf16: the cases ending in /bf16-inputs, MatmulInputs::Bfloat16), GEMV (m = 1) and small-M GEMM
// (m = 6, 8, 32, 64), at DeepSeek-V3's real shapes and the `small` synthetic preset's, plus
// the MLA absorption product (matmul_transposed over one head's band of kv_b_proj) and a plain memory-read
// bandwidth baseline to compare GB/s against.
//
// Counters: GFLOP/s (2·m·in·out per call) and GB/s (weight bytes incl. FP8 scales read per call / wall time).
// Only one weight matrix is alive at a time (the largest, the real LM head in BF16, is 1.85 GB); it is kept while
// consecutive benchmarks share it. R1EVAL_KERNELS=scalar|avx2|avx512 forces a variant; the label names it.
// Run e.g.: r1eval_bench_kernels --benchmark_filter='small/'   ('real/.*m:1$': the real-shape GEMVs;
// 'bf16-inputs': the bf16 cases; 'bf16-pairs': BF16 weights repacked by Bf16Pairs).
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/hash.h"
#include "engine/kernels/bf16_pairs.h"
#include "engine/kernels/kernel_variants.h"

namespace {

using r1eval::engine::kernels::MatmulInputs;
using r1eval::engine::kernels::WeightMatrix;
using r1eval::engine::weights::DType;

struct Shape {
  const char* name;
  std::int64_t in;
  std::int64_t out;
};

// DeepSeek-V3/R1 (hidden 7168) and the `small` preset (hidden 1024), in -> out.
constexpr Shape kRealShapes[] = {
    {"q_a", 7168, 1536},     {"q_b", 1536, 24576},       {"kv_a", 7168, 576},         {"kv_b", 512, 32768},
    {"o", 16384, 7168},      {"expert_up", 7168, 2048},  {"expert_down", 2048, 7168}, {"head", 7168, 129280},
};
constexpr Shape kSmallShapes[] = {
    {"q_a", 1024, 384},     {"q_b", 384, 1536},        {"kv_a", 1024, 288},         {"kv_b", 256, 2048},
    {"o", 1024, 1024},      {"expert_up", 1024, 512},  {"expert_down", 512, 1024},  {"head", 1024, 129280},
};
// 6: the rows each expert gets on average when 64 sequences decode together in the small preset (64 x 6 / 64).
constexpr std::int64_t kBatchSizes[] = {1, 6, 8, 32, 64};

// The one live weight matrix, with its storage.
struct BenchWeights {
  DType dtype = DType::BF16;
  std::int64_t rows = 0, cols = 0;
  std::vector<std::uint8_t> data;
  std::vector<float> scales;
  WeightMatrix view{};

  std::int64_t bytes() const { return static_cast<std::int64_t>(data.size() + scales.size() * sizeof(float)); }
};

const BenchWeights& weights_for(DType dtype, std::int64_t rows, std::int64_t cols) {
  static std::unique_ptr<BenchWeights> live;
  if (live && live->dtype == dtype && live->rows == rows && live->cols == cols) return *live;
  live.reset();  // free the previous matrix before allocating the next
  auto w = std::make_unique<BenchWeights>();
  w->dtype = dtype;
  w->rows = rows;
  w->cols = cols;
  const std::int64_t count = rows * cols;
  w->data.resize(static_cast<std::size_t>(count * (dtype == DType::BF16 ? 2 : 1)));
  std::uint8_t* data = w->data.data();
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < count; ++i) {
    const std::uint64_t h = r1eval::common::splitmix64_mix(static_cast<std::uint64_t>(i));
    if (dtype == DType::BF16) {  // |value| in [2^-7, 1): sign, exponent 120..126, random mantissa
      const auto bits = static_cast<std::uint16_t>((h & 0x8000u) | ((120u + (h >> 16) % 7u) << 7) | (h & 0x7Fu));
      data[2 * i] = static_cast<std::uint8_t>(bits & 0xFFu);
      data[2 * i + 1] = static_cast<std::uint8_t>(bits >> 8);
    } else {
      std::uint8_t code = static_cast<std::uint8_t>(h & 0xFFu);
      if ((code & 0x7Fu) == 0x7Fu) code ^= 1u;  // no NaN codes
      data[i] = code;
    }
  }
  if (dtype == DType::F8_E4M3) {
    w->scales.resize(static_cast<std::size_t>(((rows + 127) / 128) * ((cols + 127) / 128)));
    for (std::size_t k = 0; k < w->scales.size(); ++k)
      w->scales[k] = 1.0f / 448.0f * (1.0f + static_cast<float>(k % 7) / 8.0f);
  }
  w->view = WeightMatrix{.dtype = dtype,
                         .data = w->data.data(),
                         .rows = rows,
                         .cols = cols,
                         .scale_inv = w->scales.empty() ? nullptr : w->scales.data(),
                         .block = 128};
  live = std::move(w);
  return *live;
}

std::vector<float> activations(std::int64_t count) {
  std::vector<float> x(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = static_cast<float>(static_cast<std::int64_t>(r1eval::common::splitmix64_mix(i) % 2001) - 1000) / 1000.0f;
  }
  return x;
}

void set_counters(benchmark::State& state, double flops, double bytes) {
  state.counters["GFLOP/s"] = benchmark::Counter(flops / 1e9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["GB/s"] = benchmark::Counter(bytes / 1e9, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(std::string(r1eval::engine::kernels::variant_name(r1eval::engine::kernels::active_variant())) + ", " +
                 std::to_string(omp_get_max_threads()) + " threads");
}

// `pairs`: multiply from the BF16 matrix repacked by Bf16Pairs (bf16_pairs.h), as the model does for its LM head.
void matmul_benchmark(benchmark::State& state, Shape shape, DType dtype, std::int64_t m,
                      r1eval::engine::kernels::MatmulInputs inputs, bool pairs) {
  const BenchWeights& w = weights_for(dtype, shape.out, shape.in);
  const std::vector<float> x = activations(m * shape.in);
  std::vector<float> y(static_cast<std::size_t>(m * shape.out));
  std::optional<r1eval::engine::kernels::Bf16Pairs> repacked;
  WeightMatrix view = w.view;
  if (pairs) view.bf16_pairs = repacked.emplace(w.view).data();
  const r1eval::engine::kernels::MatmulArgs args{.w = &view, .x = x.data(), .m = m, .y = y.data(), .inputs = inputs};
  for (auto _ : state) {
    r1eval::engine::kernels::matmul(args);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, 2.0 * static_cast<double>(m * shape.in * shape.out), static_cast<double>(w.bytes()));
}

// q_nope (one head, 128 values) through that head's 128-row band of kv_b_proj: y[m, kv_lora_rank].
void absorption_benchmark(benchmark::State& state, std::int64_t kv_rank, std::int64_t kv_b_rows, DType dtype,
                          std::int64_t m) {
  const BenchWeights& w = weights_for(dtype, kv_b_rows, kv_rank);
  const std::int64_t band = 128, band_begin = 5 * 256;  // head 5's W_UK rows (qk_nope 128 + v 128 per head)
  const std::vector<float> x = activations(m * band);
  std::vector<float> y(static_cast<std::size_t>(m * kv_rank));
  const r1eval::engine::kernels::MatmulTransposedArgs args{
      .w = &w.view, .x = x.data(), .m = m, .y = y.data(), .row_begin = band_begin, .row_end = band_begin + band};
  for (auto _ : state) {
    r1eval::engine::kernels::matmul_transposed(args);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const double band_bytes = static_cast<double>(band * kv_rank * (dtype == DType::BF16 ? 2 : 1));
  set_counters(state, 2.0 * static_cast<double>(m * band * kv_rank), band_bytes);
}

// Memory-read baseline: sum a 1 GiB buffer with every thread (integer adds, so the compiler vectorizes freely).
void stream_read_benchmark(benchmark::State& state) {
  const std::int64_t words = (std::int64_t{1} << 30) / 8;
  std::vector<std::uint64_t> buffer(static_cast<std::size_t>(words));
  const std::uint64_t* data = buffer.data();
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < words; ++i) buffer[static_cast<std::size_t>(i)] = static_cast<std::uint64_t>(i);
  for (auto _ : state) {
    std::uint64_t sum = 0;
#pragma omp parallel for schedule(static) reduction(+ : sum)
    for (std::int64_t i = 0; i < words; ++i) sum += data[i];
    benchmark::DoNotOptimize(sum);
  }
  state.counters["GB/s"] =
      benchmark::Counter(static_cast<double>(words * 8) / 1e9, benchmark::Counter::kIsIterationInvariantRate);
}

std::string dtype_tag(DType dtype) { return dtype == DType::BF16 ? "bf16" : "fp8"; }

[[maybe_unused]] const bool kRegistered = [] {
  benchmark::RegisterBenchmark("stream_read/1GiB", stream_read_benchmark)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond)
      ->MinTime(0.5);
  for (const auto& [preset, shapes] :
       {std::pair{"small", std::vector<Shape>(std::begin(kSmallShapes), std::end(kSmallShapes))},
        std::pair{"real", std::vector<Shape>(std::begin(kRealShapes), std::end(kRealShapes))}}) {
    for (const Shape& shape : shapes) {
      for (DType dtype : {DType::BF16, DType::F8_E4M3}) {
        for (std::int64_t m : kBatchSizes) {
          for (const auto inputs : {MatmulInputs::Float32, MatmulInputs::Bfloat16}) {
            for (const bool pairs : {false, true}) {
              if (pairs && (inputs != MatmulInputs::Bfloat16 || dtype != DType::BF16)) continue;
              const std::string name = std::string("matmul/") + preset + "/" + shape.name + "_" +
                                       std::to_string(shape.in) + "x" + std::to_string(shape.out) + "/" +
                                       dtype_tag(dtype) + "/m:" + std::to_string(m) +
                                       (inputs == MatmulInputs::Bfloat16 ? "/bf16-inputs" : "") +
                                       (pairs ? "/bf16-pairs" : "");
              benchmark::RegisterBenchmark(name.c_str(), matmul_benchmark, shape, dtype, m, inputs, pairs)
                  ->UseRealTime()
                  ->Unit(benchmark::kMicrosecond)
                  ->MinTime(0.1);
            }
          }
        }
      }
    }
  }
  for (const auto& [preset, kv_rank, kv_b_rows] : {std::tuple{"small", std::int64_t{256}, std::int64_t{2048}},
                                                    std::tuple{"real", std::int64_t{512}, std::int64_t{32768}}}) {
    for (DType dtype : {DType::BF16, DType::F8_E4M3}) {
      for (std::int64_t m : kBatchSizes) {
        const std::string name = std::string("matmul_transposed/") + preset + "/kv_b_head_band_128x" +
                                 std::to_string(kv_rank) + "/" + dtype_tag(dtype) + "/m:" + std::to_string(m);
        benchmark::RegisterBenchmark(name.c_str(), absorption_benchmark, kv_rank, kv_b_rows, dtype, m)
            ->UseRealTime()
            ->Unit(benchmark::kMicrosecond)
            ->MinTime(0.05);
      }
    }
  }
  return true;
}();

}  // namespace
