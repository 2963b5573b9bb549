// The roofline model: the least time a piece of work can take on a machine, from its memory traffic and its
// arithmetic, and how close a measurement comes to that floor.
#pragma once

namespace r1eval::perf {

// What one call of a kernel does, counted analytically (never measured): floating-point operations (a multiply-add
// is 2) and the bytes it must move between memory and the core at least once.
struct Work {
  double flops = 0.0;
  double bytes = 0.0;
};

// The two ceilings the floor is taken against: peak arithmetic rate and memory bandwidth.
struct Ceiling {
  double gflops = 0.0;  // 1e9 FLOP/s
  double gbps = 0.0;    // 1e9 bytes/s
};

// max(bytes / bandwidth, flops / peak), in seconds. Throws std::invalid_argument for a non-positive ceiling or
// negative work.
double floor_seconds(const Work& work, const Ceiling& ceiling);

// floor / measured × 100: 100 means the measurement reached the floor. Throws std::invalid_argument for a
// non-positive measured time or a negative floor.
double roofline_pct(double floor_s, double measured_s);

}  // namespace r1eval::perf
