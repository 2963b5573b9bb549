// Shared helpers for the kernel tests: random weight matrices in every stored dtype, their exact float64 values
// (computed from the format definitions independently of the kernels' decoders), error bounds, and the bit
// comparison and thread-count guard of the determinism checks.
#pragma once

#include <gtest/gtest.h>
#include <omp.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "engine/kernels/kernel_variants.h"

namespace r1eval::engine::kernels::testing {

using weights::DType;

// Unit roundoff of float32.
inline constexpr double kU = 1.0 / 16777216.0;

// A fresh seed per run (the inputs are random every time), printed with any failure so it can be replayed.
inline std::uint64_t fresh_seed() {
  static const std::uint64_t seed = [] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }();
  return seed;
}

inline std::string dtype_label(DType dtype) {
  switch (dtype) {
    case DType::F32: return "F32";
    case DType::BF16: return "BF16";
    case DType::F16: return "F16";
    case DType::F8_E4M3: return "F8_E4M3";
  }
  return "?";
}

// E4M3FN and binary16 by their definitions (MODEL.md §4, IEEE 754), in float64.
inline double fp8_value(std::uint8_t code) {
  const int sign = (code & 0x80) != 0 ? -1 : 1;
  const int exponent = (code >> 3) & 0xF;
  const int mantissa = code & 0x7;
  if (exponent == 15 && mantissa == 7) return std::nan("");
  if (exponent == 0) return sign * std::ldexp(mantissa / 8.0, -6);
  return sign * std::ldexp(1.0 + mantissa / 8.0, exponent - 7);
}

inline double f16_value(std::uint16_t bits) {
  const int sign = (bits & 0x8000) != 0 ? -1 : 1;
  const int exponent = (bits >> 10) & 0x1F;
  const int mantissa = bits & 0x3FF;
  if (exponent == 31) return mantissa == 0 ? sign * std::numeric_limits<double>::infinity() : std::nan("");
  if (exponent == 0) return sign * std::ldexp(mantissa / 1024.0, -14);
  return sign * std::ldexp(1.0 + mantissa / 1024.0, exponent - 15);
}

inline double bf16_value(std::uint16_t bits) {
  return static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16));
}

inline std::int64_t element_bytes(DType dtype) {
  return dtype == DType::F32 ? 4 : dtype == DType::F8_E4M3 ? 1 : 2;
}

// How values are drawn: Random spreads them over a range of magnitudes; SmallIntegers makes every product and
// partial sum exactly representable, so every correct kernel must agree with float64 to the last bit.
enum class Values { Random, SmallIntegers };

struct TestMatrix {
  DType dtype = DType::F32;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t block = 128;
  std::vector<std::uint8_t> data;
  std::vector<float> scales;
  std::vector<double> exact;  // every element dequantized in float64 (filled by make_matrix)

  WeightMatrix view() const {
    return WeightMatrix{.dtype = dtype,
                        .data = data.data(),
                        .rows = rows,
                        .cols = cols,
                        .scale_inv = dtype == DType::F8_E4M3 ? scales.data() : nullptr,
                        .block = block};
  }
  std::int64_t scale_cols() const { return (cols + block - 1) / block; }
  double scale(std::int64_t r, std::int64_t c) const {
    return dtype == DType::F8_E4M3 ? scales[(r / block) * scale_cols() + c / block] : 1.0;
  }
  double value(std::int64_t r, std::int64_t c) const { return exact[static_cast<std::size_t>(r * cols + c)]; }
  // The exact dequantized element, from the format definitions.
  double definition_value(std::int64_t r, std::int64_t c) const {
    const std::size_t index = static_cast<std::size_t>(r * cols + c);
    switch (dtype) {
      case DType::F32: {
        float v = 0.0f;
        std::memcpy(&v, data.data() + index * 4, 4);
        return v;
      }
      case DType::BF16:
      case DType::F16: {
        std::uint16_t bits = 0;
        std::memcpy(&bits, data.data() + index * 2, 2);
        return dtype == DType::BF16 ? bf16_value(bits) : f16_value(bits);
      }
      case DType::F8_E4M3: return fp8_value(data[index]) * scale(r, c);
    }
    return 0.0;
  }
};

// The E4M3 code of a small integer (-8..8), found by searching the definition.
inline std::uint8_t fp8_code_for(float integer) {
  static const std::vector<std::uint8_t> codes = [] {
    std::vector<std::uint8_t> table(17);
    for (int k = -8; k <= 8; ++k) {
      for (int code = 0; code < 256; ++code) {
        if (fp8_value(static_cast<std::uint8_t>(code)) == k) {
          table[static_cast<std::size_t>(k + 8)] = static_cast<std::uint8_t>(code);
          break;
        }
      }
    }
    return table;
  }();
  return codes[static_cast<std::size_t>(static_cast<int>(integer) + 8)];
}

// The binary16 code of a small integer (-8..8), found by searching the definition.
inline std::uint16_t f16_code_for(float integer) {
  static const std::vector<std::uint16_t> codes = [] {
    std::vector<std::uint16_t> table(17);
    for (int k = -8; k <= 8; ++k) {
      for (int b = 0; b < 0x10000; ++b) {
        if (f16_value(static_cast<std::uint16_t>(b)) == k) {
          table[static_cast<std::size_t>(k + 8)] = static_cast<std::uint16_t>(b);
          break;
        }
      }
    }
    return table;
  }();
  return codes[static_cast<std::size_t>(static_cast<int>(integer) + 8)];
}

inline TestMatrix make_matrix(DType dtype, std::int64_t rows, std::int64_t cols, std::int64_t block, Values values,
                              std::mt19937_64& rng) {
  TestMatrix m{.dtype = dtype, .rows = rows, .cols = cols, .block = block, .data = {}, .scales = {}, .exact = {}};
  const std::size_t count = static_cast<std::size_t>(rows * cols);
  m.data.resize(count * static_cast<std::size_t>(element_bytes(dtype)));
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::uniform_int_distribution<int> small_int(-8, 8);
  std::uniform_int_distribution<int> byte(0, 255);
  for (std::size_t i = 0; i < count; ++i) {
    const float f = values == Values::SmallIntegers ? static_cast<float>(small_int(rng)) : uniform(rng);
    switch (dtype) {
      case DType::F32: std::memcpy(m.data.data() + i * 4, &f, 4); break;
      case DType::BF16: {  // truncation keeps the value exactly representable
        const auto bits = static_cast<std::uint16_t>(std::bit_cast<std::uint32_t>(f) >> 16);
        std::memcpy(m.data.data() + i * 2, &bits, 2);
        break;
      }
      case DType::F16: {  // random sign, exponent 0..17 (subnormals included), mantissa; integers when exact
        std::uint16_t bits = 0;
        if (values == Values::SmallIntegers) {
          bits = f16_code_for(f);
        } else {
          bits = static_cast<std::uint16_t>((byte(rng) & 1) << 15 | (byte(rng) % 18) << 10 |
                                            (byte(rng) << 2 | (byte(rng) & 3)));
        }
        std::memcpy(m.data.data() + i * 2, &bits, 2);
        break;
      }
      case DType::F8_E4M3: {
        int code = byte(rng);
        if ((code & 0x7F) == 0x7F) code ^= 1;  // never a NaN code
        m.data[i] = values == Values::SmallIntegers ? fp8_code_for(f) : static_cast<std::uint8_t>(code);
        break;
      }
    }
  }
  if (dtype == DType::F8_E4M3) {
    const std::int64_t scale_rows = (rows + block - 1) / block;
    m.scales.resize(static_cast<std::size_t>(scale_rows * m.scale_cols()));
    std::uniform_int_distribution<int> power(values == Values::SmallIntegers ? -3 : -14,
                                             values == Values::SmallIntegers ? 3 : -4);
    for (float& s : m.scales) {
      const float mantissa = values == Values::SmallIntegers ? 1.0f : 1.0f + 0.5f * (uniform(rng) + 1.0f);
      s = std::ldexp(mantissa, power(rng));
    }
  }
  m.exact.resize(count);
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < cols; ++c) m.exact[static_cast<std::size_t>(r * cols + c)] = m.definition_value(r, c);
  }
  return m;
}

inline std::vector<float> random_vector(std::size_t n, Values values, std::mt19937_64& rng, float range = 2.0f) {
  std::vector<float> v(n);
  std::uniform_real_distribution<float> uniform(-range, range);
  std::uniform_int_distribution<int> small_int(-8, 8);
  for (float& x : v) x = values == Values::SmallIntegers ? static_cast<float>(small_int(rng)) : uniform(rng);
  return v;
}

// float64 matmul over rows [row_begin, row_end): exact[i][r - row_begin] and magnitude (sum of |terms|).
struct Exact {
  std::vector<double> value;
  std::vector<double> magnitude;
};

inline Exact exact_matmul(const TestMatrix& w, const std::vector<float>& x, std::int64_t m, std::int64_t ldx,
                          std::int64_t row_begin, std::int64_t row_end) {
  const std::int64_t out = row_end - row_begin;
  Exact e{std::vector<double>(static_cast<std::size_t>(m * out)),
          std::vector<double>(static_cast<std::size_t>(m * out))};
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t r = row_begin; r < row_end; ++r) {
      double sum = 0.0, magnitude = 0.0;
      for (std::int64_t c = 0; c < w.cols; ++c) {
        const double t = w.value(r, c) * x[static_cast<std::size_t>(i * ldx + c)];
        sum += t;
        magnitude += std::fabs(t);
      }
      e.value[static_cast<std::size_t>(i * out + r - row_begin)] = sum;
      e.magnitude[static_cast<std::size_t>(i * out + r - row_begin)] = magnitude;
    }
  }
  return e;
}

inline Exact exact_transposed(const TestMatrix& w, const std::vector<float>& x, std::int64_t m, std::int64_t ldx,
                              std::int64_t band_begin, std::int64_t band_end) {
  Exact e{std::vector<double>(static_cast<std::size_t>(m * w.cols)),
          std::vector<double>(static_cast<std::size_t>(m * w.cols))};
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t c = 0; c < w.cols; ++c) {
      double sum = 0.0, magnitude = 0.0;
      for (std::int64_t r = band_begin; r < band_end; ++r) {
        const double t = w.value(r, c) * x[static_cast<std::size_t>(i * ldx + r - band_begin)];
        sum += t;
        magnitude += std::fabs(t);
      }
      e.value[static_cast<std::size_t>(i * w.cols + c)] = sum;
      e.magnitude[static_cast<std::size_t>(i * w.cols + c)] = magnitude;
    }
  }
  return e;
}

// Worst-case error of a float32 sum of n rounded products (with block scales: two more roundings per term):
// |computed - exact| <= (n + 4) u sum|terms|. Holds for any summation order, so it bounds every variant.
inline double sum_error_bound(std::int64_t n, double magnitude) {
  return static_cast<double>(n + 4) * kU * magnitude + 1e-37;
}

// Variants the CPU supports other than the scalar reference; the tests for the others are skipped with a message.
inline bool same_bits(const float* a, const float* b, std::int64_t n) {
  return std::memcmp(a, b, static_cast<std::size_t>(n) * sizeof(float)) == 0;
}

// Restores the OpenMP thread count after a test changes it.
class ThreadCount {
 public:
  ThreadCount() : saved_(omp_get_max_threads()) {}
  ~ThreadCount() { omp_set_num_threads(saved_); }
  ThreadCount(const ThreadCount&) = delete;
  ThreadCount& operator=(const ThreadCount&) = delete;

 private:
  int saved_;
};

inline std::vector<Variant> simd_variants() { return {Variant::Avx2, Variant::Avx512}; }

}  // namespace r1eval::engine::kernels::testing
