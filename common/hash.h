// The project's one family of stable hashes and seeded random numbers. std::hash and the std:: distributions differ
// between standard libraries; every figure r1eval derives from a seed (synthetic weights, sample streams, bootstrap
// resamples, the math grader's evaluation points) must be the same on every machine, so they all come from here.
#pragma once

#include <cstdint>
#include <string_view>

namespace r1eval::common {

// SplitMix64's increment (Steele, Lea and Flood 2014): 2^64 divided by the golden ratio, odd.
inline constexpr std::uint64_t kSplitMixGamma = 0x9E3779B97F4A7C15ULL;

// SplitMix64's output function: a bijective 64-bit mix with good avalanche.
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The value SplitMix64 outputs from state `z`: the state advanced by the gamma, then mixed. A pure function of its
// argument, so values can be drawn by index in any order.
constexpr std::uint64_t splitmix64(std::uint64_t z) { return splitmix64_mix(z + kSplitMixGamma); }

inline constexpr std::uint64_t kFnv1aOffset = 0xCBF29CE484222325ULL;
inline constexpr std::uint64_t kFnv1aPrime = 0x100000001B3ULL;

// FNV-1a over `bytes`, continuing from `h` (the offset basis starts a new hash).
constexpr std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = kFnv1aOffset) {
  for (const char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * kFnv1aPrime;
  return h;
}

// A sequential SplitMix64 generator.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    state_ += kSplitMixGamma;
    return splitmix64_mix(state_);
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

}  // namespace r1eval::common
