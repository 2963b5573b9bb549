#include "perf/bench_tables.h"

#include <iterator>

#include <fmt/format.h>

#include "engine/kernels/kernel_variants.h"

namespace r1eval::perf {

std::string format_ceilings(const CpuInfo& cpu, const MachineCeilings& c) {
  std::string out = fmt::format("Machine: {}, {} logical CPUs, {} threads, kernels {}, features:",
                                cpu.model_name.empty() ? "(unknown CPU)" : cpu.model_name, cpu.logical_cpus,
                                cpu.threads, engine::kernels::variant_name(engine::kernels::active_variant()));
  for (const auto& feature : cpu.features) out += " " + feature;
  fmt::format_to(std::back_inserter(out),
                 "\nCeilings (best of {}, {} MiB buffer): read {:.1f} GB/s (one thread {:.1f}), triad {:.1f} GB/s, "
                 "f32 FMA {:.1f} GFLOP/s, bf16 {:.1f} GFLOP/s ({})\n\n",
                 c.repetitions, c.buffer_bytes >> 20, c.read_gbps, c.read_gbps_one_thread, c.triad_gbps, c.f32_gflops,
                 c.bf16_gflops, c.bf16_native ? "native vdpbf16ps" : "emulated via f32; engine BF16 matmul peak");
  return out;
}

std::string format_kernel_table(const std::vector<KernelMeasurement>& measurements) {
  std::string out = fmt::format("{:<20} {:<44} {:<5} {:>11} {:>9} {:>8} {:>9}  {}\n", "kernel", "shape", "dtype",
                                "time/call", "GFLOP/s", "GB/s", "roofline", "bound");
  auto line = std::back_inserter(out);
  for (const auto& m : measurements) {
    if (m.skipped) {
      fmt::format_to(line, "{:<20} {:<44} {:<5} {}\n", m.kernel, m.shape, m.dtype, m.note);
      continue;
    }
    fmt::format_to(line, "{:<20} {:<44} {:<5} {:9.1f} us {:9.2f} {:8.2f} {:8.1f}%  {}\n", m.kernel, m.shape, m.dtype,
                   m.timing.seconds * 1e6, m.gflops, m.gbps, m.roofline_pct, m.note);
  }
  return out + "\n";
}

std::string format_throughput_table(const std::vector<reports::db::ThroughputRow>& rows) {
  std::string out = fmt::format("{:<34} {:<8} {:>6} {:>8} {:>12} {:>12}  {}\n", "model", "phase", "batch", "context",
                                "tokens/s", "$/M tokens", "price basis");
  for (const auto& r : rows) {
    const std::string rate = r.tokens_per_s > 0 ? fmt::format("{:.1f}", r.tokens_per_s) : "-";
    fmt::format_to(std::back_inserter(out), "{:<34} {:<8} {:6} {:8} {:>12} {:12.4f}  {}\n", r.model, r.phase, r.batch,
                   r.context, rate, r.cost_per_mtok_usd, r.price_basis);
  }
  return out;
}

std::string format_bench_comparison(const BenchComparison& c) {
  std::string out = fmt::format("{:<20} {:<44} {:<5} {:>12} {:>12} {:>7} {:>8}  {}\n", "kernel", "shape", "dtype",
                                "baseline us", "run us", "ratio", "p", "verdict");
  auto line = std::back_inserter(out);
  for (const KernelComparisonRow& r : c.kernels) {
    const bool tested = r.verdict != KernelVerdict::kNotTested;
    fmt::format_to(line, "{:<20} {:<44} {:<5} {:12.3f} {:12.3f} {:7.3f} {:>8}  {}\n", r.kernel, r.shape, r.dtype,
                   r.baseline_seconds * 1e6, r.run_seconds * 1e6, r.ratio,
                   tested ? fmt::format("{:.2g}", r.test.p_value) : "-", verdict_name(r.verdict));
  }
  if (!c.throughput.empty()) {
    fmt::format_to(line,
                   "\nthroughput (one measurement each: shown, not tested)\n"
                   "{:<8} {:>6} {:>8} {:>14} {:>14} {:>7}  {}\n",
                   "phase", "batch", "context", "baseline tok/s", "run tok/s", "ratio", "model");
    for (const ThroughputComparisonRow& r : c.throughput) {
      fmt::format_to(line, "{:<8} {:6} {:8} {:14.1f} {:14.1f} {:>7}  {}\n", r.phase, r.batch, r.context,
                     r.baseline_tokens_per_s, r.run_tokens_per_s,
                     r.baseline_tokens_per_s > 0.0 ? fmt::format("{:.3f}", r.ratio) : "-", r.model);
    }
  }
  for (const std::string& row : c.only_in_baseline) fmt::format_to(line, "only in the baseline: {}\n", row);
  for (const std::string& row : c.only_in_run) fmt::format_to(line, "only in the run: {}\n", row);
  return out;
}

}  // namespace r1eval::perf
