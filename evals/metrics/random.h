// The random numbers behind every bootstrap: SplitMix64 (Steele, Lea and Flood 2014), written out here because
// std::*_distribution results differ between standard libraries, and a seeded interval must be the same on every
// machine. Each resample draws from its own stream (stream_seed), so results do not depend on the order or the
// thread in which resamples are computed.
#pragma once

#include <cstdint>
#include <string_view>

namespace r1eval::evals::metrics {

// SplitMix64's output function: a bijective 64-bit mix.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return mix64(state_);
  }

  // Uniform in [0, n) for n >= 1, without bias: Lemire's multiply-shift ("Fast Random Integer Generation in an
  // Interval", 2019), which divides only in the rare case that a draw may need rejecting.
  std::uint64_t below(std::uint64_t n) {
    __extension__ typedef unsigned __int128 u128;  // GCC and Clang; __extension__ keeps -Wpedantic quiet
    u128 product = static_cast<u128>(next()) * n;
    auto low = static_cast<std::uint64_t>(product);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n: low parts below it are over-represented
      while (low < threshold) {
        product = static_cast<u128>(next()) * n;
        low = static_cast<std::uint64_t>(product);
      }
    }
    return static_cast<std::uint64_t>(product >> 64);
  }

  // Uniform in [0, 1) with 53 random bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

// The seed of stream `stream` (e.g. one bootstrap resample) under the user's seed.
constexpr std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t stream) {
  return mix64(seed ^ mix64(stream + 0x9E3779B97F4A7C15ULL));
}

// A stable 64-bit hash of a name (FNV-1a), to give each suite and metric its own seed; std::hash is not stable
// across standard libraries.
constexpr std::uint64_t name_hash(std::string_view name) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (const char ch : name) {
    h ^= static_cast<unsigned char>(ch);
    h *= 0x100000001B3ULL;
  }
  return h;
}

}  // namespace r1eval::evals::metrics
