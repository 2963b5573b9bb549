#include "perf/roofline.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace r1eval::perf {

double floor_seconds(const Work& work, const Ceiling& ceiling) {
  if (!(ceiling.gflops > 0.0) || !(ceiling.gbps > 0.0) || !std::isfinite(ceiling.gflops) ||
      !std::isfinite(ceiling.gbps)) {
    throw std::invalid_argument("roofline: the compute and bandwidth ceilings must be positive and finite");
  }
  if (work.flops < 0.0 || work.bytes < 0.0) throw std::invalid_argument("roofline: work counts must not be negative");
  return std::max(work.bytes / (ceiling.gbps * 1e9), work.flops / (ceiling.gflops * 1e9));
}

double roofline_pct(double floor_s, double measured_s) {
  if (!(measured_s > 0.0) || !std::isfinite(measured_s)) {
    throw std::invalid_argument("roofline: the measured time must be positive and finite");
  }
  if (floor_s < 0.0) throw std::invalid_argument("roofline: the floor time must not be negative");
  return floor_s / measured_s * 100.0;
}

}  // namespace r1eval::perf
