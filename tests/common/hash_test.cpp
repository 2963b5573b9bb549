// The shared hashes against published values: SplitMix64's first outputs from seed 0 (the reference C
// implementation's sequence) and FNV-1a's 64-bit test vectors.
#include "common/hash.h"

#include <gtest/gtest.h>

namespace r1eval::common {
namespace {

TEST(Hash, SplitMix64MatchesTheReferenceSequence) {
  SplitMix64 rng(0);
  EXPECT_EQ(rng.next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(rng.next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(rng.next(), 0x06C45D188009454FULL);
  // The stateless form gives the same values by index.
  EXPECT_EQ(splitmix64(0), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(splitmix64(kSplitMixGamma), 0x6E789E6AA1B965F4ULL);
}

TEST(Hash, Fnv1aMatchesTheTestVectors) {
  EXPECT_EQ(fnv1a(""), 0xCBF29CE484222325ULL);
  EXPECT_EQ(fnv1a("a"), 0xAF63DC4C8601EC8CULL);
  EXPECT_EQ(fnv1a("foobar"), 0x85944171F73967E8ULL);
  EXPECT_EQ(fnv1a("bar", fnv1a("foo")), fnv1a("foobar"));  // continuing a hash
}

TEST(Hash, BelowStaysInRangeAndUnitInZeroOne) {
  SplitMix64 rng(42);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_LT(rng.below(7), 7u);
    const double u = rng.unit();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}

}  // namespace
}  // namespace r1eval::common
