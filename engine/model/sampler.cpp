#include "engine/model/sampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/model/philox.h"

namespace r1eval::model {

std::int32_t argmax_token(const float* logits, std::int64_t vocab) {
  std::int64_t best = 0;
  for (std::int64_t i = 1; i < vocab; ++i) {
    if (logits[i] > logits[best]) best = i;
  }
  return static_cast<std::int32_t>(best);
}

void check_sampling_params(const SamplingParams& params) {
  if (!(params.temperature >= 0.0) || !(params.top_p > 0.0 && params.top_p <= 1.0) || params.top_k < 0) {
    throw std::invalid_argument("sampling needs temperature >= 0, 0 < top_p <= 1 and top_k >= 0");
  }
}

std::int32_t Sampler::sample(const float* logits, std::int64_t vocab, const SamplingParams& params,
                             std::uint64_t stream, std::uint64_t step) {
  check_sampling_params(params);
  if (params.temperature == 0.0 || params.top_k == 1) return argmax_token(logits, vocab);

  // Candidates in a total order: higher logit first, then lower id.
  const auto before = [](const Candidate& a, const Candidate& b) {
    return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
  };
  candidates_.resize(static_cast<std::size_t>(vocab));
  for (std::int64_t i = 0; i < vocab; ++i) candidates_[i] = Candidate{logits[i], static_cast<std::int32_t>(i), 0.0};
  auto count = static_cast<std::int64_t>(vocab);
  if (params.top_k > 0 && params.top_k < count) {
    std::nth_element(candidates_.begin(), candidates_.begin() + params.top_k, candidates_.end(), before);
    count = params.top_k;
  }

  // Each candidate's unnormalized probability, computed once in double (temperature applied, maximum first).
  float max_logit = candidates_[0].logit;
  for (std::int64_t i = 1; i < count; ++i) max_logit = std::max(max_logit, candidates_[i].logit);
  for (std::int64_t i = 0; i < count; ++i) {
    candidates_[i].weight = std::exp((static_cast<double>(candidates_[i].logit) - max_logit) / params.temperature);
  }

  std::int64_t kept = count;
  if (params.top_p < 1.0) {
    double total = 0.0;
    for (std::int64_t i = 0; i < count; ++i) total += candidates_[i].weight;
    // Nucleus: sort a growing prefix until it holds top_p of the mass (a full sort of 129280 logits per token
    // would dominate decoding).
    const double target = params.top_p * total;
    for (std::int64_t prefix = std::min<std::int64_t>(64, count);; prefix = std::min(prefix * 8, count)) {
      std::partial_sort(candidates_.begin(), candidates_.begin() + prefix, candidates_.begin() + count, before);
      double mass = 0.0;
      std::int64_t i = 0;
      for (; i < prefix && mass < target; ++i) mass += candidates_[i].weight;
      if (mass >= target || prefix == count) {
        kept = std::max<std::int64_t>(i, 1);
        break;
      }
    }
  } else if (count < vocab) {
    std::sort(candidates_.begin(), candidates_.begin() + count, before);  // the top-k, in a fixed order
  }
  // Otherwise the candidates are all tokens in id order: a fixed order too, and no sort needed.
  double kept_mass = 0.0;
  for (std::int64_t i = 0; i < kept; ++i) kept_mass += candidates_[i].weight;
  const double u = philox_uniform(params.seed, stream, step) * kept_mass;
  double acc = 0.0;
  for (std::int64_t i = 0; i < kept; ++i) {
    acc += candidates_[i].weight;
    if (u < acc) return candidates_[i].id;
  }
  return candidates_[kept - 1].id;
}

}  // namespace r1eval::model

