// Stored weight elements to float32 for the SIMD kernels: one Decoder per dtype over a traits type S (see
// simd_kernels_impl.h for what S provides), the dtype dispatch, and dequantize_row.
//
// Every kernel that multiplies by a weight uses the value dequantize_row produces: for F8_E4M3 the decoded
// value/256 times (block scale * 256), one float32 rounding; for other dtypes the decoded value, exact.
// Internal linkage throughout: see element_decode.h.
#pragma once

#include <cstdint>
#include <cstring>

#include "engine/kernels/cpu/element_decode.h"
#include "engine/kernels/cpu/kernel_table.h"

namespace r1eval::engine::kernels::cpu {
namespace {

using weights::DType;

inline std::int64_t min_i64(std::int64_t a, std::int64_t b) { return a < b ? a : b; }
inline float fma_f32(float a, float b, float c) { return __builtin_fmaf(a, b, c); }

// F8_E4M3 loads give value/256 (binary16 domain); scales are multiplied by this to compensate (exactly).
constexpr float kFp8ScaleFactor = 256.0f;

template <class S, DType kDType>
struct Decoder;

template <class S>
struct Decoder<S, DType::F32> {
  using V = typename S::V;
  static constexpr std::int64_t kSize = 4;
  static constexpr bool kBlockScaled = false;
  static V load(const std::uint8_t* p) { return S::load(reinterpret_cast<const float*>(p)); }
  static void load2(const std::uint8_t* p, V& lo, V& hi) {
    lo = load(p);
    hi = load(p + kSize * S::kLanes);
  }
  static float scalar(const std::uint8_t* p) {
    float value = 0.0f;
    std::memcpy(&value, p, sizeof value);
    return value;
  }
};

template <class S>
struct Decoder<S, DType::BF16> {
  using V = typename S::V;
  static constexpr std::int64_t kSize = 2;
  static constexpr bool kBlockScaled = false;
  static V load(const std::uint8_t* p) { return S::load_bf16(p); }
  static void load2(const std::uint8_t* p, V& lo, V& hi) {
    lo = S::load_bf16(p);
    hi = S::load_bf16(p + kSize * S::kLanes);
  }
  static float scalar(const std::uint8_t* p) {
    std::uint16_t bits = 0;
    std::memcpy(&bits, p, sizeof bits);
    return decode::bf16_to_f32(bits);
  }
};

template <class S>
struct Decoder<S, DType::F16> {
  using V = typename S::V;
  static constexpr std::int64_t kSize = 2;
  static constexpr bool kBlockScaled = false;
  static V load(const std::uint8_t* p) { return S::load_f16(p); }
  static void load2(const std::uint8_t* p, V& lo, V& hi) {
    lo = S::load_f16(p);
    hi = S::load_f16(p + kSize * S::kLanes);
  }
  static float scalar(const std::uint8_t* p) {
    std::uint16_t bits = 0;
    std::memcpy(&bits, p, sizeof bits);
    return decode::f16_to_f32(bits);
  }
};

template <class S>
struct Decoder<S, DType::F8_E4M3> {
  using V = typename S::V;
  static constexpr std::int64_t kSize = 1;
  static constexpr bool kBlockScaled = true;
  static V load(const std::uint8_t* p) { return S::load_fp8(p); }
  static void load2(const std::uint8_t* p, V& lo, V& hi) { S::load2_fp8(p, lo, hi); }
  // Same value as the vector lanes: value/256 is exact for every E4M3 code.
  static float scalar(const std::uint8_t* p) { return decode::fp8_e4m3_to_f32(*p) * (1.0f / kFp8ScaleFactor); }
};

template <class Fn>
void with_dtype(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::F32: fn.template operator()<DType::F32>(); return;
    case DType::BF16: fn.template operator()<DType::BF16>(); return;
    case DType::F16: fn.template operator()<DType::F16>(); return;
    case DType::F8_E4M3: fn.template operator()<DType::F8_E4M3>(); return;
  }
}

// Calls fn.template operator()<R, M>() with R = rb and M = mb as compile-time constants, for 1 <= rb <= RB and
// 1 <= mb <= MB: the tile shape of a ragged edge (fewer weight rows or input rows than a full register tile).
template <int RB, int MB, class Fn>
void with_tile_shape(std::int64_t rb, std::int64_t mb, Fn&& fn) {
  if constexpr (RB > 1) {
    if (rb < RB) return with_tile_shape<RB - 1, MB>(rb, mb, fn);
  }
  if constexpr (MB > 1) {
    if (mb < MB) return with_tile_shape<RB, MB - 1>(rb, mb, fn);
  }
  fn.template operator()<RB, MB>();
}

// Calls fn.template operator()<K>() with K = n as a compile-time constant, for 1 <= n <= N.
template <int N, class Fn>
void with_input_count(std::int64_t n, Fn&& fn) {
  if constexpr (N > 1) {
    if (n < N) return with_input_count<N - 1>(n, fn);
  }
  fn.template operator()<N>();
}

// Software prefetch for a register tile of RB contiguous weight rows whose successor tile (the next RB rows) starts
// right after it at `next_tile`. A step that consumes kStepBytes of each of its rows, at byte offset `offset` within
// them, requests as many bytes of the successor, at RB times that offset: by the tile's last step the whole successor
// has been asked for, one tile (a few KB) ahead of its loads. Several rows read side by side are streams the
// hardware prefetchers follow poorly; a single row is one they follow well on their own.
template <int RB, std::int64_t kStepBytes>
void prefetch_next_tile_share(const void* next_tile, std::int64_t offset) {
  const char* share = static_cast<const char*>(next_tile) + offset * RB;
#pragma GCC unroll 16
  for (std::int64_t line = 0; line < RB * kStepBytes; line += 64) __builtin_prefetch(share + line);
}

// The dtype known at compile time (D = Decoder<S, dtype>).
template <class S, class D>
void dequantize_row_as(const WeightView& w, std::int64_t row, float* out) {
  constexpr std::int64_t L = S::kLanes;
  const std::uint8_t* data = w.data + row * w.cols * D::kSize;
  const std::int64_t segment = D::kBlockScaled ? w.block : w.cols;
  for (std::int64_t c0 = 0; c0 < w.cols; c0 += segment) {
    const std::int64_t c1 = min_i64(w.cols, c0 + segment);
    float scale = 1.0f;
    if constexpr (D::kBlockScaled) scale = w.scale_inv[(row / w.block) * w.scale_cols + c0 / w.block] * kFp8ScaleFactor;
    const typename S::V scale_v = S::set1(scale);
    std::int64_t c = c0;
    for (; c + L <= c1; c += L) {
      typename S::V value = D::load(data + c * D::kSize);
      if constexpr (D::kBlockScaled) value = S::mul(value, scale_v);
      S::store(out + c, value);
    }
    for (; c < c1; ++c)
      out[c] = D::kBlockScaled ? D::scalar(data + c * D::kSize) * scale : D::scalar(data + c * D::kSize);
  }
}

template <class S>
void dequantize_row(const WeightView& w, std::int64_t row, float* out) {
  with_dtype(w.dtype, [&]<DType kDType>() { dequantize_row_as<S, Decoder<S, kDType>>(w, row, out); });
}

}  // namespace
}  // namespace r1eval::engine::kernels::cpu
