// Which kernel variant runs: CPU feature detection (CPUID + XGETBV, so the OS must also save the vector state) and
// the R1EVAL_KERNELS override.
#include <cpuid.h>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "engine/kernels/kernel_variants.h"

namespace r1eval::engine::kernels {
namespace {

struct CpuFeatures {
  bool avx2 = false;    // avx2 + fma + f16c, with the OS saving ymm state
  bool avx512 = false;  // avx512f/bw/vl/dq on top of that, with the OS saving zmm and opmask state
  bool avx512_bf16 = false;  // and AVX512_BF16 (vdpbf16ps, vcvtne2ps2bf16)
  bool avx512_vbmi = false;  // and AVX512_VBMI (vpermi2b: the bf16 matmul's FP8 decoding table)
};

std::uint64_t read_xcr0() {
  std::uint32_t eax = 0, edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<std::uint64_t>(edx) << 32) | eax;
}

CpuFeatures detect_features() {
  CpuFeatures features;
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return features;
  const bool fma = (ecx >> 12) & 1u;
  const bool osxsave = (ecx >> 27) & 1u;
  const bool avx = (ecx >> 28) & 1u;
  const bool f16c = (ecx >> 29) & 1u;
  if (!osxsave || !avx) return features;
  const std::uint64_t xcr0 = read_xcr0();
  const bool os_ymm = (xcr0 & 0x6u) == 0x6u;     // SSE and AVX state
  const bool os_zmm = (xcr0 & 0xE0u) == 0xE0u;   // opmask, ZMM_Hi256, Hi16_ZMM state
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return features;
  const bool avx2 = (ebx >> 5) & 1u;
  const bool avx512f = (ebx >> 16) & 1u;
  const bool avx512dq = (ebx >> 17) & 1u;
  const bool avx512bw = (ebx >> 30) & 1u;
  const bool avx512vl = (ebx >> 31) & 1u;
  features.avx2 = os_ymm && avx2 && fma && f16c;
  features.avx512 = features.avx2 && os_zmm && avx512f && avx512dq && avx512bw && avx512vl;
  features.avx512_vbmi = features.avx512 && ((ecx >> 1) & 1u);
  if (features.avx512 && __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) != 0) features.avx512_bf16 = (eax >> 5) & 1u;
  return features;
}

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect_features();
  return features;
}

Variant best_supported() {
  if (variant_supported(Variant::Avx512)) return Variant::Avx512;
  if (variant_supported(Variant::Avx2)) return Variant::Avx2;
  return Variant::Scalar;
}

}  // namespace

std::string_view variant_name(Variant variant) {
  switch (variant) {
    case Variant::Scalar: return "scalar";
    case Variant::Avx2: return "avx2";
    case Variant::Avx512: return "avx512";
  }
  return "unknown";
}

std::optional<Variant> parse_variant(std::string_view name) {
  for (Variant variant : kAllVariants) {
    if (variant_name(variant) == name) return variant;
  }
  return std::nullopt;
}

bool variant_supported(Variant variant) {
  switch (variant) {
    case Variant::Scalar: return true;
    case Variant::Avx2: return cpu_features().avx2;
    case Variant::Avx512: return cpu_features().avx512;
  }
  return false;
}

bool bf16_dot_products_supported(Variant variant) {
  return variant == Variant::Avx512 && cpu_features().avx512_bf16 && cpu_features().avx512_vbmi;
}

Variant select_variant(const char* env_value) {
  if (env_value == nullptr || *env_value == '\0') return best_supported();
  const std::optional<Variant> requested = parse_variant(env_value);
  if (!requested) {
    throw std::runtime_error("R1EVAL_KERNELS='" + std::string(env_value) +
                             "' is not a kernel variant (expected scalar, avx2 or avx512).");
  }
  if (!variant_supported(*requested)) {
    throw std::runtime_error("R1EVAL_KERNELS=" + std::string(env_value) + " asks for kernels this CPU cannot run (" +
                             (*requested == Variant::Avx2 ? "needs avx2, fma and f16c" : "needs avx512f/bw/vl/dq") +
                             ").");
  }
  return *requested;
}

Variant active_variant() {
  static const Variant variant = select_variant(std::getenv("R1EVAL_KERNELS"));
  return variant;
}

}  // namespace r1eval::engine::kernels
