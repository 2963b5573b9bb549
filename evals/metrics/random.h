// The random numbers behind every bootstrap: common::SplitMix64 (common/hash.h), since std::*_distribution results
// differ between standard libraries and a seeded interval must be the same on every machine. Each resample draws
// from its own stream (stream_seed), so results do not depend on the order or the thread in which resamples are
// computed.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/hash.h"

namespace r1eval::evals::metrics {

using common::SplitMix64;

// The seed of stream `stream` (e.g. one bootstrap resample) under the user's seed.
constexpr std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t stream) {
  return common::splitmix64_mix(seed ^ common::splitmix64(stream));
}

// A stable 64-bit hash of a name, to give each suite and metric its own seed.
constexpr std::uint64_t name_hash(std::string_view name) { return common::fnv1a(name); }

}  // namespace r1eval::evals::metrics
