// Runs a test once per kernel variant; variants this CPU lacks are skipped with a message.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "engine/kernels/kernel_variants.h"

namespace r1eval::engine::kernels {
// Lets GoogleTest print a Variant by name.
inline void PrintTo(Variant variant, std::ostream* os) { *os << variant_name(variant); }
}  // namespace r1eval::engine::kernels

namespace r1eval::engine::kernels::testing {

class PerVariant : public ::testing::TestWithParam<Variant> {
 protected:
  void SetUp() override {
    if (!variant_supported(GetParam())) {
      GTEST_SKIP() << "this CPU cannot run the " << variant_name(GetParam()) << " kernels";
    }
  }
  Variant variant() const { return GetParam(); }
};

inline std::string variant_test_name(const ::testing::TestParamInfo<Variant>& info) {
  return std::string(variant_name(info.param));
}

}  // namespace r1eval::engine::kernels::testing

#define R1EVAL_INSTANTIATE_PER_VARIANT(suite)                                                                \
  INSTANTIATE_TEST_SUITE_P(AllVariants, suite, ::testing::ValuesIn(::r1eval::engine::kernels::kAllVariants), \
                           ::r1eval::engine::kernels::testing::variant_test_name)

#define R1EVAL_INSTANTIATE_PER_SIMD_VARIANT(suite)                                                             \
  INSTANTIATE_TEST_SUITE_P(                                                                                    \
      SimdVariants, suite,                                                                                     \
      ::testing::Values(::r1eval::engine::kernels::Variant::Avx2, ::r1eval::engine::kernels::Variant::Avx512), \
      ::r1eval::engine::kernels::testing::variant_test_name)
