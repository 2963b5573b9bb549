// The arithmetic family of the bundled toy model (models/toy-arith-r1zero): "What is 47 + 38?" with two-digit
// operands (10-99), addition, or subtraction whose result is not negative. generate_arith makes more problems of
// that family from a seed, for the `arith` suite's --generate option.
#pragma once

#include <cstdint>

#include "datasets/problem.h"

namespace r1eval::datasets {

// Bumped whenever the same (count, seed) could produce different problems.
inline constexpr const char* kArithGeneratorVersion = "v1";
inline constexpr std::int64_t kMaxArithProblems = 1'000'000;

// `count` problems (1 ≤ count ≤ kMaxArithProblems, else std::invalid_argument), half addition and half subtraction
// on average. Deterministic on every platform: a std::mt19937_64 stream (its output is fixed by the C++ standard)
// mapped to ranges by rejection sampling, not by the implementation-defined std::uniform_int_distribution.
// Problem i depends only on the seed and i, so a larger count extends a smaller one. Ids are "arith-s<seed>-<i>"
// (distinct per seed, so runs on different seeds never pair up in a comparison); records have the held-out
// file's shape {id, question, answer}; content_hash is "generator:arith:v1:seed=S:count=N".
Dataset generate_arith(std::int64_t count, std::uint64_t seed);

}  // namespace r1eval::datasets
