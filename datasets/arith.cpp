#include "datasets/arith.h"

#include <limits>
#include <random>
#include <stdexcept>
#include <string>

namespace r1eval::datasets {
namespace {

// Uniform in [low, high] by rejection: only the standard-fixed engine output is used.
int draw(std::mt19937_64& engine, int low, int high) {
  const std::uint64_t span = static_cast<std::uint64_t>(high - low) + 1;
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % span;
  std::uint64_t value = engine();
  while (value >= limit) value = engine();
  return low + static_cast<int>(value % span);
}

}  // namespace

Dataset generate_arith(std::int64_t count, std::uint64_t seed) {
  if (count < 1 || count > kMaxArithProblems) {
    throw std::invalid_argument("arith generator: the problem count must be between 1 and " +
                                std::to_string(kMaxArithProblems) + ", got " + std::to_string(count));
  }
  Dataset dataset;
  dataset.name = "arith";
  dataset.content_hash = std::string("generator:arith:") + kArithGeneratorVersion + ":seed=" + std::to_string(seed) +
                         ":count=" + std::to_string(count);
  dataset.problems.reserve(static_cast<std::size_t>(count));
  std::mt19937_64 engine(seed);
  for (std::int64_t i = 0; i < count; ++i) {
    const bool subtract = draw(engine, 0, 1) == 1;
    int left = draw(engine, 10, 99);
    int right = draw(engine, 10, 99);
    if (subtract && left < right) std::swap(left, right);  // the family's results are never negative
    const int result = subtract ? left - right : left + right;
    Problem problem;
    problem.id = "arith-s" + std::to_string(seed) + "-" + std::to_string(i);
    problem.prompt = "What is " + std::to_string(left) + (subtract ? " - " : " + ") + std::to_string(right) + "?";
    problem.gold = std::to_string(result);
    problem.record = {{"id", problem.id}, {"question", problem.prompt}, {"answer", problem.gold}};
    dataset.problems.push_back(std::move(problem));
  }
  return dataset;
}

}  // namespace r1eval::datasets
