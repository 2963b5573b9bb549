#include "engine/synth/tensor_values.h"

#include <cmath>
#include <string_view>

#include "engine/synth/counter_random.h"

namespace r1eval::engine::synth {
namespace {

// Below this many elements a parallel region costs more than it saves.
constexpr std::int64_t kParallelMinimum = std::int64_t{1} << 16;

enum class Kind { Embedding, Norm, RouterBias, Head, Matrix };

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

Kind kind_of(const weights::ExpectedTensor& tensor) {
  const std::string_view name = tensor.name;
  if (ends_with(name, "embed_tokens.weight")) return Kind::Embedding;
  if (ends_with(name, "norm.weight")) return Kind::Norm;  // every RMSNorm weight, including enorm/hnorm
  if (ends_with(name, "e_score_correction_bias")) return Kind::RouterBias;
  if (name == "lm_head.weight" || ends_with(name, "shared_head.head.weight")) return Kind::Head;
  return Kind::Matrix;
}

}  // namespace

void fill_tensor_values(const weights::ExpectedTensor& tensor, std::uint64_t seed, std::uint64_t first,
                        std::span<float> out) {
  const CounterRandom random(seed, tensor.name);
  const Kind kind = kind_of(tensor);
  const double fan_in = tensor.shape.size() >= 2 ? static_cast<double>(tensor.shape.back()) : 1.0;
  double std_dev = 1.0;
  if (kind == Kind::Head) std_dev = 2.0 / std::sqrt(fan_in);
  if (kind == Kind::Matrix) std_dev = 1.0 / std::sqrt(fan_in);
  const auto count = static_cast<std::int64_t>(out.size());
#pragma omp parallel for schedule(static) if (count >= kParallelMinimum)
  for (std::int64_t i = 0; i < count; ++i) {
    const std::uint64_t index = first + static_cast<std::uint64_t>(i);
    double value = 0.0;
    switch (kind) {
      case Kind::Norm:
        value = 0.8 + 0.4 * random.uniform(index);
        break;
      case Kind::RouterBias:
        value = 0.3 * random.uniform(index);
        break;
      default:
        value = std_dev * random.standard(index);
        break;
    }
    out[static_cast<std::size_t>(i)] = static_cast<float>(value);
  }
}

}  // namespace r1eval::engine::synth
