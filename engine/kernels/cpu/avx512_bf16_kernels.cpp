// The AVX-512 variant's matmuls on bf16 dot products (simd_bf16_dot_impl.h, simd_bf16_pairs_impl.h). Compiled with
// R1EVAL_AVX512_BF16_FLAGS (the AVX-512 set plus AVX512_BF16 and AVX512_VBMI) in a unit of its own, so that no other
// AVX-512 kernel can pick up those instructions: these run only where bf16_dot_products_supported holds.
#include "engine/kernels/cpu/avx512_traits.h"
#include "engine/kernels/cpu/simd_bf16_dot_impl.h"
#include "engine/kernels/cpu/simd_bf16_pairs_impl.h"

namespace r1eval::engine::kernels::cpu {
void avx512_matmul_rows_bf16_dot(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end) {
  matmul_rows_bf16_dot<Avx512>(job, r_begin, r_end);
}
void avx512_matmul_rows_bf16_pairs(const MatmulJob& job, std::int64_t r_begin, std::int64_t r_end) {
  matmul_rows_bf16_pairs(job, r_begin, r_end);
}
}  // namespace r1eval::engine::kernels::cpu
