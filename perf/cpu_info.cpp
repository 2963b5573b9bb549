#include "perf/cpu_info.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace r1eval::perf {
namespace {

// The /proc/cpuinfo flags that decide the kernels' variants and the ceilings' methods.
constexpr std::array<std::string_view, 13> kInterestingFlags = {
    "sse4_2",     "avx",       "avx2",     "fma",         "f16c",     "avx512f",  "avx512dq",
    "avx512bw",   "avx512vl",  "avx512_bf16", "avx512_vnni", "amx_bf16", "amx_int8"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "32768K" / "1024 KiB" / "32M" -> bytes; 0 when unreadable.
std::int64_t parse_cache_size(std::string_view text) {
  text = trim(text);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc()) return 0;
  const std::string_view unit = trim(std::string_view(end, static_cast<std::size_t>(text.data() + text.size() - end)));
  if (unit.empty()) return value;
  if (unit.front() == 'K') return value << 10;
  if (unit.front() == 'M') return value << 20;
  if (unit.front() == 'G') return value << 30;
  return 0;
}

std::int64_t read_llc_bytes() {
  std::int64_t largest = 0;
  for (int index = 0; index < 8; ++index) {
    std::ifstream file("/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/size");
    if (!file) continue;
    std::string line;
    std::getline(file, line);
    largest = std::max(largest, parse_cache_size(line));
  }
  return largest;
}

}  // namespace

CpuInfo parse_cpuinfo(std::string_view text) {
  CpuInfo info;
  std::vector<std::string_view> flags;
  bool have_flags = false;
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (key == "processor") {
      ++info.logical_cpus;
    } else if (key == "model name" && info.model_name.empty()) {
      info.model_name = std::string(value);
    } else if (key == "flags" && !have_flags) {
      have_flags = true;
      std::string_view rest = value;
      while (!rest.empty()) {
        const std::size_t space = rest.find(' ');
        const std::string_view flag = rest.substr(0, space);
        if (!flag.empty()) flags.push_back(flag);
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
      }
    }
  }
  for (const std::string_view wanted : kInterestingFlags) {
    if (std::find(flags.begin(), flags.end(), wanted) != flags.end()) info.features.emplace_back(wanted);
  }
  return info;
}

CpuInfo read_cpu_info() {
  std::ifstream file("/proc/cpuinfo");
  std::stringstream text;
  if (file) text << file.rdbuf();
  CpuInfo info = parse_cpuinfo(text.str());
  info.threads = omp_get_max_threads();
  info.llc_bytes = read_llc_bytes();
  return info;
}

nlohmann::json to_json(const CpuInfo& info) {
  return nlohmann::json{{"model_name", info.model_name},
                        {"logical_cpus", info.logical_cpus},
                        {"threads", info.threads},
                        {"features", info.features},
                        {"llc_bytes", info.llc_bytes}};
}

}  // namespace r1eval::perf
