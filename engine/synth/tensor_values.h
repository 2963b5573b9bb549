// The random values of one synthetic tensor, chosen so a forward pass on random weights stays well scaled.
#pragma once

#include <cstdint>
#include <span>

#include "engine/weights/config.h"
#include "engine/weights/inventory.h"

namespace r1eval::engine::synth {

// Writes elements [first, first + out.size()) (row-major) of `tensor`'s float32 values for `seed`:
// embeddings ~ std 1; norm weights uniform in [0.8, 1.2); the router's correction bias uniform in [0, 0.3)
// (non-negative, so every biased score is > 0 as MODEL.md §5.6 requires); output heads std 2/sqrt(d) so the
// argmax varies; every other matrix std 1/sqrt(fan_in). Pure function of its arguments.
void fill_tensor_values(const weights::ExpectedTensor& tensor, std::uint64_t seed, std::uint64_t first,
                        std::span<float> out);

}  // namespace r1eval::engine::synth
