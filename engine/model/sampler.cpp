#include "engine/model/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include "engine/model/philox.h"

namespace r1eval::engine::model {

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

namespace {

// The total order of candidates: higher logit first, then lower id.
template <class C>
bool ranks_before(const C& a, const C& b) {
  return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
}

}  // namespace

// Tokens whose scaled logit lies more than this below the maximum get weight 0 and are never candidates: each
// would have probability below e^-60 ≈ 1e-26, and all 129280 of them together less than 1e-21, far below what a
// double sum of weights (the maximum alone weighs 1) can even register.
constexpr int kNegligibleScaledLogit = 60;

// Sorts ranked[lo, hi) just enough to find the nucleus end: the smallest prefix whose mass, added to `mass` (the
// mass of everything ranked before `lo`), reaches `target`. Halves the range holding the end with nth_element
// (linear time overall) and sorts only the last few. Returns the index of the last kept candidate.
std::int64_t Sampler::nucleus_end(std::int64_t lo, std::int64_t hi, double mass, double target) {
  const auto before = [](const Candidate& a, const Candidate& b) { return ranks_before(a, b); };
  const std::int64_t first = lo;
  while (hi - lo > 64) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    std::nth_element(ranked_.begin() + lo, ranked_.begin() + mid, ranked_.begin() + hi, before);
    double left = 0.0;
    for (std::int64_t i = lo; i < mid; ++i) left += ranked_[i].weight;
    if (mass + left >= target) {
      hi = mid;
    } else {
      mass += left;
      lo = mid;
    }
  }
  std::sort(ranked_.begin() + lo, ranked_.begin() + hi, before);
  std::int64_t end = lo;
  while (end < hi && (end == first || mass < target)) mass += ranked_[end++].weight;
  return end - 1;
}

// Candidates (tokens of non-negligible weight) are collected in id order, each in a bucket of its scaled logit's
// distance below the maximum (bucket b: [b, b+1)). Buckets follow the rank order, so the top-p nucleus is whole
// buckets plus a prefix of one: only that bucket is ever ranked — on a peaked distribution a handful of tokens
// instead of the vocabulary. The kept set is described by its last member; the draw walks the id-ordered
// candidates, and every sum is taken in a fixed order, so equal inputs give equal tokens.
std::int32_t Sampler::sample(const float* logits, std::int64_t vocab, const SamplingParams& params,
                             std::uint64_t stream, std::uint64_t step) {
  check_sampling_params(params);
  for (std::int64_t i = 0; i < vocab; ++i) {
    if (std::isnan(logits[i]) || logits[i] == std::numeric_limits<float>::infinity()) return kNonFiniteLogits;
  }
  if (params.temperature == 0.0 || params.top_k == 1) return argmax_token(logits, vocab);

  float max_logit = logits[0];
  for (std::int64_t i = 1; i < vocab; ++i) max_logit = std::max(max_logit, logits[i]);
  candidates_.clear();
  bucket_mass_.assign(kNegligibleScaledLogit, 0.0);
  double total = 0.0;
  float previous_logit = max_logit;
  double previous_weight = 1.0;
  for (std::int64_t i = 0; i < vocab; ++i) {
    const double below = (static_cast<double>(max_logit) - logits[i]) / params.temperature;
    if (!(below < kNegligibleScaledLogit)) continue;
    // Logits often repeat (untrained rows of a vocabulary are all 0): reuse the last exp when they do.
    if (logits[i] != previous_logit) {
      previous_logit = logits[i];
      previous_weight = std::exp(-below);
    }
    candidates_.push_back(Candidate{logits[i], static_cast<std::int32_t>(i), previous_weight});
    bucket_mass_[static_cast<std::size_t>(below)] += previous_weight;
    total += previous_weight;
  }
  const auto n = static_cast<std::int64_t>(candidates_.size());

  const bool limit_k = params.top_k > 0 && params.top_k < n;
  const bool limit_p = params.top_p < 1.0;
  std::optional<Candidate> last;  // the last kept candidate in rank order; none: every candidate is kept
  if (limit_k) {
    const auto before = [](const Candidate& a, const Candidate& b) { return ranks_before(a, b); };
    ranked_.assign(candidates_.begin(), candidates_.end());
    std::nth_element(ranked_.begin(), ranked_.begin() + (params.top_k - 1), ranked_.end(), before);
    last = ranked_[params.top_k - 1];
    if (limit_p) {
      double top_k_mass = 0.0;  // summed in id order
      for (const Candidate& c : candidates_) {
        if (!ranks_before(*last, c)) top_k_mass += c.weight;
      }
      last = ranked_[nucleus_end(0, params.top_k, 0.0, params.top_p * top_k_mass)];
    }
  } else if (limit_p) {
    const double target = params.top_p * total;
    std::size_t bucket = 0;
    double mass = 0.0;  // of the buckets before `bucket`
    while (bucket + 1 < bucket_mass_.size() && mass + bucket_mass_[bucket] < target) mass += bucket_mass_[bucket++];
    ranked_.clear();
    for (const Candidate& c : candidates_) {
      if (static_cast<std::size_t>((static_cast<double>(max_logit) - c.logit) / params.temperature) == bucket) {
        ranked_.push_back(c);
      }
    }
    if (!ranked_.empty()) last = ranked_[nucleus_end(0, static_cast<std::int64_t>(ranked_.size()), mass, target)];
  }
  // Draw over the kept candidates in id order.
  const auto kept = [&](const Candidate& c) { return !last || !ranks_before(*last, c); };
  double kept_mass = 0.0;
  for (const Candidate& c : candidates_) {
    if (kept(c)) kept_mass += c.weight;
  }
  const double u = philox_uniform(params.seed, stream, step) * kept_mass;
  double acc = 0.0;
  std::int32_t chosen = -1;
  for (const Candidate& c : candidates_) {
    if (!kept(c)) continue;
    chosen = c.id;
    acc += c.weight;
    if (u < acc) break;
  }
  return chosen;
}

}  // namespace r1eval::engine::model
