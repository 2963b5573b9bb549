// What the benchmark ran on: CPU model, how many CPUs and threads, and the instruction-set features that decide
// which kernel variants and ceilings apply.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace r1eval::perf {

struct CpuInfo {
  std::string model_name;              // /proc/cpuinfo "model name" (empty when absent)
  int logical_cpus = 0;                // "processor" entries in /proc/cpuinfo
  int threads = 0;                     // OpenMP threads the benchmark uses
  std::vector<std::string> features;   // the SIMD features that matter here, in a fixed order
  std::int64_t llc_bytes = 0;          // last-level cache size from sysfs (0 when unknown)
};

// Reads the fields above from the text of /proc/cpuinfo (threads and llc_bytes are left 0).
CpuInfo parse_cpuinfo(std::string_view text);
// The running machine: /proc/cpuinfo, sysfs cache sizes, omp_get_max_threads(). Never throws; unknown fields stay
// empty or 0.
CpuInfo read_cpu_info();

nlohmann::json to_json(const CpuInfo& info);

}  // namespace r1eval::perf
