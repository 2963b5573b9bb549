// The AVX-512 variant: the shared kernels of simd_kernels_impl.h over the Avx512 traits. Compiled with
// R1EVAL_AVX512_FLAGS; selected only on CPUs that have them. Its bf16 dot-product matmul lives in
// avx512_bf16_kernels.cpp, compiled with the extra instruction sets it needs.
#include "engine/kernels/cpu/avx512_traits.h"
#include "engine/kernels/cpu/simd_kernels_impl.h"

namespace r1eval::engine::kernels::cpu {
// dispatch.cpp calls matmul_rows_bf16_dot only where bf16_dot_products_supported (kernel_variants.h) holds.
constinit const KernelTable kAvx512Table = [] {
  KernelTable table = make_table<Avx512>();
  table.matmul_rows_bf16_dot = avx512_matmul_rows_bf16_dot;
  table.matmul_rows_bf16_pairs = avx512_matmul_rows_bf16_pairs;
  return table;
}();
}  // namespace r1eval::engine::kernels::cpu
