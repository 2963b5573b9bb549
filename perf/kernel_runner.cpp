#include "perf/kernel_runner.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <utility>

#include <fmt/format.h>

#include "perf/cpu_info.h"
#include "engine/kernels/kernel_variants.h"

namespace r1eval::perf {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

constexpr std::int64_t kDefaultLlcBytes = std::int64_t{32} << 20;

}  // namespace

std::int64_t CacheFlusher::effective_llc_bytes(std::int64_t reported) {
  return reported > 0 ? reported : kDefaultLlcBytes;
}

CacheFlusher::CacheFlusher(std::int64_t llc_bytes)
    : llc_bytes_(effective_llc_bytes(llc_bytes)),
      buffer_(static_cast<std::size_t>(3 * llc_bytes_ / 8), 1) {}

void CacheFlusher::flush() {
  std::uint64_t sum = 0;
  const std::uint64_t* data = buffer_.data();
  const auto words = static_cast<std::int64_t>(buffer_.size());
  // All threads take part, so the kernel's parallel region right after finds them awake (a single-threaded flush
  // lets the OpenMP workers fall asleep, and waking them would be timed as part of the call).
#pragma omp parallel for schedule(static) reduction(+ : sum)
  for (std::int64_t i = 0; i < words; i += 8) sum += data[i];  // one word per 64-byte line loads the line
  sink_ += sum;
}

Timing time_case(PreparedCase& prepared, const Work& work, const TimingOptions& options, CacheFlusher& flusher) {
  prepared.run();  // warm-up: first-touch pages, lazy initialisation, variant selection
  Timing timing;
  timing.rotated = prepared.weights_rotate();
  timing.cold = !timing.rotated && work.bytes < 2.0 * static_cast<double>(flusher.llc_bytes());
  const auto min_repetitions = static_cast<std::size_t>(std::max(1, options.min_repetitions));
  if (timing.cold) {
    std::vector<double> calls;
    double timed = 0.0;
    while ((timed < options.target_seconds && static_cast<std::int64_t>(calls.size()) < options.max_cold_calls) ||
           calls.size() < min_repetitions) {
      flusher.flush();
      const auto start = Clock::now();
      prepared.run();
      calls.push_back(seconds_since(start));
      timed += calls.back();
    }
    timing.seconds = median(calls);
    timing.samples = static_cast<std::int64_t>(calls.size());
    timing.repetition_seconds = std::move(calls);
    return timing;
  }
  // Warm: batches of back-to-back calls, each about target / batches long.
  const int batches = std::max({1, options.batches, options.min_repetitions});
  const auto probe = Clock::now();
  prepared.run();
  const double one = std::max(seconds_since(probe), 1e-9);
  const auto calls = std::max<std::int64_t>(1, static_cast<std::int64_t>(options.target_seconds / batches / one));
  std::vector<double> per_call;
  for (int b = 0; b < batches; ++b) {
    const auto start = Clock::now();
    for (std::int64_t i = 0; i < calls; ++i) prepared.run();
    per_call.push_back(seconds_since(start) / static_cast<double>(calls));
  }
  timing.seconds = median(per_call);
  timing.samples = batches;
  timing.repetition_seconds = std::move(per_call);
  return timing;
}

std::vector<KernelMeasurement> run_kernel_cases(const std::vector<KernelCase>& cases, const MachineCeilings& ceilings,
                                                const CaseResources& resources, const TimingOptions& options,
                                                const std::function<void(const std::string&)>& progress) {
  CacheFlusher flusher(options.llc_bytes > 0 ? options.llc_bytes : read_cpu_info().llc_bytes);
  CaseResources resources_here = resources;
  resources_here.llc_bytes = flusher.llc_bytes();
  const std::string backend(engine::kernels::variant_name(engine::kernels::active_variant()));
  std::vector<KernelMeasurement> results;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const KernelCase& c = cases[i];
    KernelMeasurement m;
    m.kernel = kernel_name(c);
    m.shape = shape_name(c);
    m.dtype = dtype_name(c);
    m.backend = backend;
    m.work = work_of(c);
    if (progress) progress(fmt::format("[{}/{}] {} {} {}", i + 1, cases.size(), m.kernel, m.shape, m.dtype));
    try {
      if (resources_here.weights) {
        const std::vector<WeightPool::Key> keys = weight_keys(c, resources_here.llc_bytes);
        resources_here.weights->retain_only(keys);  // free the previous shape's matrices before filling new ones
      }
      const std::unique_ptr<PreparedCase> prepared = prepare_case(c, resources_here);
      m.timing = time_case(*prepared, m.work, options, flusher);
    } catch (const std::exception& e) {
      m.skipped = true;
      m.note = std::string("skipped: ") + e.what();
      results.push_back(std::move(m));
      continue;
    }
    const Ceiling ceiling = ceiling_for(ceilings, weight_dtype(c));
    m.gflops = m.work.flops / m.timing.seconds / 1e9;
    m.gbps = m.work.bytes / m.timing.seconds / 1e9;
    m.floor_seconds = floor_seconds(m.work, ceiling);
    m.roofline_pct = roofline_pct(m.floor_seconds, m.timing.seconds);
    const bool memory_bound = m.work.bytes / ceiling.gbps >= m.work.flops / ceiling.gflops;
    m.note = std::string(memory_bound ? "memory" : "compute") + (m.timing.cold ? ", cold cache" : "") +
             (m.timing.rotated ? ", rotated weights" : "");
    results.push_back(std::move(m));
  }
  if (resources.weights) resources.weights->retain_only({});
  return results;
}

}  // namespace r1eval::perf
