// The generator table behind generate_dataset: one row per procedural problem family.
#include <stdexcept>

#include "datasets/arith.h"
#include "common/did_you_mean.h"
#include "datasets/loaders.h"

namespace r1eval::datasets {
namespace {

struct GeneratorEntry {
  std::string_view name;
  Dataset (*generate)(std::int64_t count, std::uint64_t seed);
};

constexpr GeneratorEntry kGenerators[] = {
    {"arith", &generate_arith},
};

}  // namespace

Dataset generate_dataset(std::string_view generator, std::int64_t count, std::uint64_t seed) {
  for (const GeneratorEntry& entry : kGenerators) {
    if (entry.name == generator) return entry.generate(count, seed);
  }
  throw std::invalid_argument("unknown problem generator '" + std::string(generator) + "'" +
                              common::did_you_mean(generator, generator_names()));
}

std::vector<std::string> generator_names() {
  std::vector<std::string> names;
  for (const GeneratorEntry& entry : kGenerators) names.emplace_back(entry.name);
  return names;
}

}  // namespace r1eval::datasets
