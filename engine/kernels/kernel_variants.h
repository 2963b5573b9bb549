// The kernel variants behind kernels.h, exposed one by one for tests, benchmarks and debugging.
//
// kernels.h dispatches to active_variant(): the best variant this CPU supports, or the one named by the
// environment variable R1EVAL_KERNELS=scalar|avx2|avx512 (read once, at the first kernel call).
// The functions below take the variant explicitly and otherwise follow kernels.h's contract exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/kernels/kernels.h"

namespace r1eval::engine::kernels {

enum class Variant : std::uint8_t { Scalar, Avx2, Avx512 };

inline constexpr Variant kAllVariants[] = {Variant::Scalar, Variant::Avx2, Variant::Avx512};

// "scalar", "avx2", "avx512".
std::string_view variant_name(Variant variant);
std::optional<Variant> parse_variant(std::string_view name);

// Whether this CPU (and OS) can run the variant: AVX2 needs avx2+fma+f16c; AVX-512 needs avx512f/bw/vl/dq+fma+f16c.
bool variant_supported(Variant variant);
// Whether MatmulInputs::Bfloat16 runs on bf16 dot-product instructions under this variant on this CPU: AVX-512 with
// AVX512_BF16 (vdpbf16ps) and AVX512_VBMI (the byte-table FP8 decoding); elsewhere the inputs are rounded and
// multiplied in float32.
bool bf16_dot_products_supported(Variant variant);
// The variant kernels.h uses. Throws std::runtime_error naming the problem when R1EVAL_KERNELS is set to an
// unknown name or to a variant this CPU lacks; call it once at start-up to report that early.
Variant active_variant();
// The variant R1EVAL_KERNELS selects given its value (nullptr: unset), with the same errors as active_variant().
Variant select_variant(const char* env_value);

// kernels.h's functions run by one named variant. Throw std::invalid_argument when the CPU lacks the variant or
// the arguments are inconsistent (null pointers, ranges outside the matrix, strides too small).
void matmul(const MatmulArgs& args, Variant variant);
void matmul_transposed(const MatmulTransposedArgs& args, Variant variant);
void dequantize_row(const WeightMatrix& w, std::int64_t row, float* out, Variant variant);
float dot(const float* a, const float* b, std::int64_t n, Variant variant);
void axpy(float alpha, const float* x, float* y, std::int64_t n, Variant variant);
void rms_norm(const float* x, const float* weight, float eps, std::int64_t n, float* out, Variant variant);
void silu_mul(const float* gate, const float* up, std::int64_t n, float* out, Variant variant);
SoftmaxNumerators softmax_numerators(float* x, std::int64_t n, Variant variant);

}  // namespace r1eval::engine::kernels
