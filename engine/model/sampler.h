// Token sampling: greedy, temperature, top-k and top-p, driven by a counter-based RNG keyed by (seed, stream, step).
#pragma once

#include <cstdint>
#include <vector>

namespace r1eval::engine::model {

struct SamplingParams {
  double temperature = 0.0;  // 0: greedy (argmax, ties to the lowest id)
  double top_p = 1.0;        // keep the smallest prefix of tokens by probability whose mass reaches top_p
  std::int64_t top_k = 0;    // 0: no limit
  std::uint64_t seed = 0;
};

// Throws std::invalid_argument unless temperature >= 0, 0 < top_p <= 1 and top_k >= 0.
void check_sampling_params(const SamplingParams& params);

class Sampler {
 public:
  // Draw number `step` of stream `stream` (e.g. one stream per sample of a problem). Equal inputs give equal tokens.
  // Throws only what check_sampling_params throws. Returns kNonFiniteLogits when a logit is NaN or +infinity.
  std::int32_t sample(const float* logits, std::int64_t vocab, const SamplingParams& params, std::uint64_t stream,
                      std::uint64_t step);

 private:
  struct Candidate {
    float logit;
    std::int32_t id;
    double weight;  // exp((logit - max) / temperature)
  };
  std::int64_t nucleus_end(std::int64_t lo, std::int64_t hi, double mass, double target);

  // Buffers reused between calls.
  std::vector<Candidate> candidates_;  // tokens of non-negligible weight, in id order
  std::vector<Candidate> ranked_;      // some of them, partially ordered by rank to find the top-k / top-p set
  std::vector<double> bucket_mass_;    // mass per unit of scaled-logit distance below the maximum
};

std::int32_t argmax_token(const float* logits, std::int64_t vocab);

// What Sampler::sample returns when the logits hold a NaN or +infinity: the forward pass went wrong (corrupt
// weights, an overflow) and any token drawn from them would be garbage (NaN compares false, so argmax gave id 0).
inline constexpr std::int32_t kNonFiniteLogits = -1;

}  // namespace r1eval::engine::model
