// A counter-based random source: every value is a pure function of (seed, stream, index), so tensors can be
// generated in any order, on any number of threads, and give the same bytes on every platform (no std::
// distributions, whose output differs between standard libraries, and no transcendental functions).
#pragma once

#include <cstdint>
#include <string_view>

#include "common/hash.h"

namespace r1eval::engine::synth {

class CounterRandom {
 public:
  // Each stream (a tensor's name) is keyed by its FNV-1a hash.
  CounterRandom(std::uint64_t seed, std::string_view stream)
      : key_(common::splitmix64(seed ^ common::splitmix64(common::fnv1a(stream)))) {}

  std::uint64_t bits(std::uint64_t index) const { return common::splitmix64(key_ ^ common::splitmix64(index)); }

  // Uniform in [0, 1) with 53 random bits.
  double uniform(std::uint64_t index) const { return static_cast<double>(bits(index) >> 11) * 0x1.0p-53; }

  // Mean 0, standard deviation 1, bounded to ±2·sqrt(3): the sum of four uniform 16-bit draws (Irwin-Hall),
  // close to a normal distribution and computed with exact integer arithmetic.
  double standard(std::uint64_t index) const {
    const std::uint64_t b = bits(index);
    const std::uint64_t sum = (b & 0xFFFF) + ((b >> 16) & 0xFFFF) + ((b >> 32) & 0xFFFF) + (b >> 48);
    // Each draw is (k + 0.5) / 65536 in (0, 1); their sum has mean 2 and variance 4/12.
    const double centered = (static_cast<double>(sum) + 2.0) * 0x1.0p-16 - 2.0;
    return centered * 1.7320508075688772;  // sqrt(3)
  }

 private:
  std::uint64_t key_;
};

}  // namespace r1eval::engine::synth
