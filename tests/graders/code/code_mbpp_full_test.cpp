// Every MBPP row (974 reference programs): the long version of MbppSuite.ReferenceCodePassesTheTestSplit.
#include <gtest/gtest.h>

#include "tests/graders/code/code_test_support.h"

namespace r1eval::graders::code::testing {
namespace {

TEST(MbppSuiteFull, ReferenceCodePassesEveryRow) { check_mbpp_reference_code(1, 1000); }

}  // namespace
}  // namespace r1eval::graders::code::testing
