// dot, axpy, rms_norm, silu_mul, softmax_numerators: the scalar reference against float64 and every SIMD variant
// against the scalar reference, at ragged lengths. Tolerances (u = 2^-24), per element:
//   dot:      (n + 4)·u·Σ|a·b| against float64, twice that between variants (any summation order).
//   axpy:     4·u·(|y| + |αx|)  (one fused rounding against two separate ones).
//   rms_norm: (n + 12)·u·|out|  (sum of squares, then five roundings: mean, +eps, sqrt, reciprocal, two products).
//   silu_mul: 16·u·|out| + 1e-30 (exp within 2 ulp, then four roundings; below ~-87 exp(-g) overflows to inf and
//             the exact result, |g|·e^g < 1e-30, becomes -0).
//   softmax:  (2·|x - max| + 2n + 16)·u·p + 1e-37 (the rounding of x - max is amplified by exp), for the
//             numerators divided by the returned sum; the returned max is exact.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "tests/engine/kernels/kernel_test_support.h"
#include "tests/engine/kernels/variant_param.h"

namespace r1eval::engine::kernels::testing {
namespace {

constexpr std::int64_t kLengths[] = {1, 2, 7, 8, 15, 16, 31, 33, 63, 64, 65, 127, 129, 300, 1000};

void expect_close(float actual, double expected, double tolerance, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what << ": expected NaN, got " << actual;
    return;
  }
  EXPECT_LE(std::fabs(actual - expected), tolerance) << what << ": got " << actual << ", expected " << expected;
}

// ---- float64 references -----------------------------------------------------------------------------------------

double exact_dot(const std::vector<float>& a, const std::vector<float>& b, double* magnitude) {
  double sum = 0.0;
  *magnitude = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sum += static_cast<double>(a[i]) * b[i];
    *magnitude += std::fabs(static_cast<double>(a[i]) * b[i]);
  }
  return sum;
}

std::vector<double> exact_rms_norm(const std::vector<float>& x, const std::vector<float>& w, double eps) {
  double ss = 0.0;
  for (float v : x) ss += static_cast<double>(v) * v;
  const double inv = 1.0 / std::sqrt(ss / static_cast<double>(x.size()) + eps);
  std::vector<double> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = x[i] * inv * w[i];
  return out;
}

double exact_silu_mul(float g, float u) { return g / (1.0 + std::exp(-static_cast<double>(g))) * u; }

std::vector<double> exact_softmax(const std::vector<float>& x) {
  double max_value = -std::numeric_limits<double>::infinity();
  for (float v : x) max_value = v > max_value ? v : max_value;
  std::vector<double> out(x.size());
  double sum = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) sum += out[i] = std::exp(x[i] - max_value);
  for (double& v : out) v /= sum;
  return out;
}

// Gates spread over the interesting range of silu, plus extremes.
std::vector<float> gate_values(std::int64_t n, std::mt19937_64& rng) {
  std::vector<float> g = random_vector(static_cast<std::size_t>(n), Values::Random, rng, 12.0f);
  const float extremes[] = {0.0f,   -0.0f, 1e-30f, -1e-30f, 30.0f,   -30.0f, 87.0f,
                            -87.0f, 89.0f, -89.0f, 100.0f,  -100.0f, 1e30f,  -1e30f};
  for (std::size_t i = 0; i < g.size() && i < std::size(extremes); ++i) g[i * 7 % g.size()] = extremes[i];
  return g;
}

// Softmax inputs: random, with some -inf entries (masked positions) and, in 'large', values around 1e4.
std::vector<float> softmax_input(std::int64_t n, bool large, std::mt19937_64& rng) {
  std::vector<float> x = random_vector(static_cast<std::size_t>(n), Values::Random, rng, large ? 50.0f : 8.0f);
  if (large) {
    for (float& v : x) v += 10000.0f;
  }
  for (std::size_t i = 1; i < x.size(); i += 5) x[i] = -std::numeric_limits<float>::infinity();
  return x;
}

// ---- the scalar reference against float64 ----------------------------------------------------------------------

TEST(ScalarReference, VectorHelpersMatchFloat64) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (std::int64_t n : kLengths) {
    const std::string at = "n " + std::to_string(n);
    const std::size_t size = static_cast<std::size_t>(n);
    const std::vector<float> a = random_vector(size, Values::Random, rng);
    const std::vector<float> b = random_vector(size, Values::Random, rng);
    double magnitude = 0.0;
    const double exact = exact_dot(a, b, &magnitude);
    expect_close(dot(a.data(), b.data(), n, Variant::Scalar), exact, sum_error_bound(n, magnitude), "dot " + at);

    std::vector<float> y = b;
    axpy(0.37f, a.data(), y.data(), n, Variant::Scalar);
    for (std::size_t i = 0; i < size; ++i) {
      const double e = b[i] + 0.37 * a[i];
      expect_close(y[i], e, 2 * kU * (std::fabs(b[i]) + std::fabs(0.37 * a[i])) + 1e-37, "axpy " + at);
    }

    std::vector<float> out(size);
    rms_norm(a.data(), b.data(), 1e-6f, n, out.data(), Variant::Scalar);
    const std::vector<double> norm = exact_rms_norm(a, b, static_cast<double>(1e-6f));
    for (std::size_t i = 0; i < size; ++i) {
      expect_close(out[i], norm[i], (static_cast<double>(n) / 2 + 6) * kU * std::fabs(norm[i]) + 1e-37,
                   "rms_norm " + at);
    }

    const std::vector<float> gate = gate_values(n, rng);
    silu_mul(gate.data(), b.data(), n, out.data(), Variant::Scalar);
    for (std::size_t i = 0; i < size; ++i) {
      const double e = exact_silu_mul(gate[i], b[i]);
      expect_close(out[i], e, 8 * kU * std::fabs(e) + 1e-30, "silu_mul " + at + " gate " + std::to_string(gate[i]));
    }

    for (bool large : {false, true}) {
      std::vector<float> x = softmax_input(n, large, rng);
      if (n > 1) x[0] = 1.0f + (large ? 10000.0f : 0.0f);  // at least one finite entry
      const std::vector<double> p = exact_softmax(x);
      std::vector<float> s = x;
      const SoftmaxNumerators parts = softmax_numerators(s.data(), n, Variant::Scalar);
      EXPECT_EQ(parts.max, *std::max_element(x.begin(), x.end())) << "softmax " << at;
      for (float& v : s) v /= parts.sum;
      for (std::size_t i = 0; i < size; ++i) {
        const double spread = std::isinf(x[i]) ? 0.0 : std::fabs(x[i] - *std::max_element(x.begin(), x.end()));
        expect_close(s[i], p[i], (spread + static_cast<double>(n) + 8) * kU * p[i] + 1e-37, "softmax " + at);
      }
    }
  }
}

// ---- every SIMD variant against the scalar reference --------------------------------------------------------

class SimdVectorHelpers : public PerVariant {};

TEST_P(SimdVectorHelpers, DotMatchesTheScalarReference) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (std::int64_t n : kLengths) {
    const std::vector<float> a = random_vector(static_cast<std::size_t>(n), Values::Random, rng);
    const std::vector<float> b = random_vector(static_cast<std::size_t>(n), Values::Random, rng);
    double magnitude = 0.0;
    exact_dot(a, b, &magnitude);
    expect_close(dot(a.data(), b.data(), n, variant()), dot(a.data(), b.data(), n, Variant::Scalar),
                 2 * sum_error_bound(n, magnitude), "dot n " + std::to_string(n));
    const std::vector<float> ia = random_vector(static_cast<std::size_t>(n), Values::SmallIntegers, rng);
    const std::vector<float> ib = random_vector(static_cast<std::size_t>(n), Values::SmallIntegers, rng);
    EXPECT_EQ(dot(ia.data(), ib.data(), n, variant()), exact_dot(ia, ib, &magnitude)) << "exact dot n " << n;
  }
}

TEST_P(SimdVectorHelpers, AxpyMatchesTheScalarReference) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (std::int64_t n : kLengths) {
    const std::vector<float> x = random_vector(static_cast<std::size_t>(n), Values::Random, rng);
    const std::vector<float> y0 = random_vector(static_cast<std::size_t>(n) + 1, Values::Random, rng);
    std::vector<float> simd = y0, scalar = y0;
    axpy(-1.7f, x.data(), simd.data(), n, variant());
    axpy(-1.7f, x.data(), scalar.data(), n, Variant::Scalar);
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      expect_close(simd[i], scalar[i], 4 * kU * (std::fabs(y0[i]) + std::fabs(1.7 * x[i])),
                   "axpy n " + std::to_string(n));
    }
    EXPECT_EQ(simd[static_cast<std::size_t>(n)], y0[static_cast<std::size_t>(n)]) << "axpy wrote past n = " << n;
  }
}

TEST_P(SimdVectorHelpers, RmsNormMatchesTheScalarReferenceAndMayWorkInPlace) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (std::int64_t n : kLengths) {
    const std::vector<float> x = random_vector(static_cast<std::size_t>(n), Values::Random, rng, 30.0f);
    const std::vector<float> w = random_vector(static_cast<std::size_t>(n), Values::Random, rng);
    std::vector<float> scalar(static_cast<std::size_t>(n));
    rms_norm(x.data(), w.data(), 1e-6f, n, scalar.data(), Variant::Scalar);
    std::vector<float> in_place = x;
    rms_norm(in_place.data(), w.data(), 1e-6f, n, in_place.data(), variant());
    const std::vector<double> exact = exact_rms_norm(x, w, static_cast<double>(1e-6f));
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      expect_close(in_place[i], scalar[i], (static_cast<double>(n) + 12) * kU * std::fabs(exact[i]) + 1e-37,
                   "rms_norm n " + std::to_string(n));
    }
  }
}

TEST_P(SimdVectorHelpers, SiluMulMatchesTheScalarReferenceAndMayWorkInPlace) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (std::int64_t n : kLengths) {
    const std::vector<float> gate = gate_values(n, rng);
    const std::vector<float> up = random_vector(static_cast<std::size_t>(n), Values::Random, rng);
    std::vector<float> scalar(static_cast<std::size_t>(n));
    silu_mul(gate.data(), up.data(), n, scalar.data(), Variant::Scalar);
    std::vector<float> in_place = gate;
    silu_mul(in_place.data(), up.data(), n, in_place.data(), variant());
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      const double exact = exact_silu_mul(gate[i], up[i]);
      expect_close(in_place[i], scalar[i], 16 * kU * std::fabs(exact) + 1e-30,
                   "silu_mul n " + std::to_string(n) + " gate " + std::to_string(gate[i]));
    }
  }
  // NaN propagates.
  std::vector<float> g(9, std::numeric_limits<float>::quiet_NaN()), u(9, 1.0f), out(9);
  silu_mul(g.data(), u.data(), 9, out.data(), variant());
  for (float v : out) EXPECT_TRUE(std::isnan(v));
}

TEST_P(SimdVectorHelpers, SoftmaxMatchesTheScalarReference) {
  std::mt19937_64 rng(fresh_seed());
  SCOPED_TRACE("seed " + std::to_string(fresh_seed()));
  for (std::int64_t n : kLengths) {
    for (bool large : {false, true}) {
      std::vector<float> x = softmax_input(n, large, rng);
      x[0] = large ? 10001.0f : 1.0f;
      const std::vector<double> p = exact_softmax(x);
      const float max_value = *std::max_element(x.begin(), x.end());
      std::vector<float> scalar = x, simd = x;
      const SoftmaxNumerators scalar_parts = softmax_numerators(scalar.data(), n, Variant::Scalar);
      const SoftmaxNumerators simd_parts = softmax_numerators(simd.data(), n, variant());
      EXPECT_EQ(simd_parts.max, max_value);
      EXPECT_EQ(scalar_parts.max, max_value);
      for (float& v : scalar) v /= scalar_parts.sum;
      for (float& v : simd) v /= simd_parts.sum;
      double total = 0.0;
      for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
        const double spread = std::isinf(x[i]) ? 0.0 : std::fabs(static_cast<double>(x[i]) - max_value);
        expect_close(simd[i], scalar[i], (2 * spread + 2 * static_cast<double>(n) + 16) * kU * p[i] + 1e-37,
                     "softmax n " + std::to_string(n) + (large ? " large" : ""));
        if (std::isinf(x[i])) {
          EXPECT_EQ(simd[i], 0.0f) << "a -inf entry must get probability 0";
        }
        total += simd[i];
      }
      EXPECT_NEAR(total, 1.0, 1e-5);
    }
  }
  // All entries -inf: no distribution exists; every variant yields NaN like the scalar reference.
  std::vector<float> masked(17, -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(softmax_numerators(masked.data(), 17, variant()).sum));
  for (float v : masked) EXPECT_TRUE(std::isnan(v));
}

R1EVAL_INSTANTIATE_PER_SIMD_VARIANT(SimdVectorHelpers);

}  // namespace
}  // namespace r1eval::engine::kernels::testing
