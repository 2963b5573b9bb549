// Peak-arithmetic probes, one per instruction set, each in its own translation unit compiled with that set's flags
// (like the kernels' variants); ceilings.cpp calls only the ones the CPU supports.
//
// Each runs `iterations` rounds of independent multiply-adds on the calling thread, with more accumulators than
// the FMA latency × throughput product so the units never wait, and returns a value computed from the
// accumulators so the compiler cannot drop the loop. *flops receives the FLOPs done (a multiply-add is 2).
#pragma once

#include <cstdint>

namespace r1eval::perf::detail {

float fma_f32_generic(std::int64_t iterations, double* flops);  // baseline x86-64: separate multiply and add
float fma_f32_avx2(std::int64_t iterations, double* flops);     // vfmadd231ps ymm
float fma_f32_avx512(std::int64_t iterations, double* flops);   // vfmadd231ps zmm
float dot_bf16_avx512(std::int64_t iterations, double* flops);  // vdpbf16ps zmm (AVX512_BF16)

}  // namespace r1eval::perf::detail
