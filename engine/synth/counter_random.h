// A counter-based random source: every value is a pure function of (seed, stream, index), so tensors can be
// generated in any order, on any number of threads, and give the same bytes on every platform (no std::
// distributions, whose output differs between standard libraries, and no transcendental functions).
#pragma once

#include <cstdint>
#include <string_view>

namespace r1eval::synth {

// SplitMix64's finalizer: a bijective 64-bit mix with good avalanche.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// FNV-1a of a name, to give each tensor its own stream.
constexpr std::uint64_t hash_name(std::string_view name) {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (const char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ull;
  }
  return h;
}

class CounterRandom {
 public:
  CounterRandom(std::uint64_t seed, std::string_view stream) : key_(mix64(seed ^ mix64(hash_name(stream)))) {}

  std::uint64_t bits(std::uint64_t index) const { return mix64(key_ ^ mix64(index)); }

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

}  // namespace r1eval::synth
