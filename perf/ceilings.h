// The machine's own limits, measured by the tool itself: memory bandwidth (stream-like kernels over a buffer much
// larger than the last-level cache) and peak arithmetic (FMA loops), all threads, best of N. Kernel roofline
// percentages are taken against these, so a report says how close each kernel comes to what this machine can do.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "perf/roofline.h"
#include "engine/weights/dtype.h"

namespace r1eval::perf {

struct CeilingOptions {
  std::int64_t buffer_bytes = 0;  // 0: max(256 MiB, 8 × last-level cache)
  int repetitions = 5;            // best of this many passes / runs
  double fma_seconds = 0.2;       // length of one peak-FLOP run
};

struct MachineCeilings {
  double read_gbps = 0.0;        // sum over the buffer, 8 interleaved streams per thread (GEMV-like): the
                                 // bandwidth a weight-streaming kernel can get (best of all threads and one thread)
  double read_gbps_one_thread = 0.0;
  double triad_gbps = 0.0;       // a = b + s·c, counted as STREAM does (3 × 4 bytes per element)
  double f32_gflops = 0.0;       // f32 FMA peak
  double bf16_gflops = 0.0;      // bf16 dot peak (see bf16_native / bf16_method)
  bool bf16_native = false;      // AVX512_BF16 present: bf16_gflops is the vdpbf16ps peak
  std::string f32_method;        // which instruction loop measured f32_gflops
  std::string bf16_method;       // how bf16_gflops was measured, stated plainly
  int threads = 0;
  std::int64_t buffer_bytes = 0;
  int repetitions = 0;
};

// Measures everything above. Takes about repetitions × (buffer passes) + 2 × repetitions × fma_seconds, plus the
// engine BF16 matmul probe when bf16 is emulated. Throws std::invalid_argument for bad options.
MachineCeilings measure_ceilings(const CeilingOptions& options);

// The ceiling a kernel whose weights are `weight_dtype` is held to: read bandwidth, and the arithmetic peak of the
// instructions it can use at best (native bf16 dot for BF16 weights when the CPU has it, else the f32 FMA peak:
// BF16 and FP8 weights are widened to f32 and multiplied there, so f32 FMA is the hardware limit for them).
Ceiling ceiling_for(const MachineCeilings& ceilings, engine::weights::DType weight_dtype);

nlohmann::json to_json(const MachineCeilings& ceilings);

}  // namespace r1eval::perf
