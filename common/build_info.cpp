#include "common/build_info.h"

namespace r1eval::common {

std::string version() { return R1EVAL_VERSION; }

nlohmann::json build_info() {
  return {{"r1eval_version", version()},
          {"git_commit", R1EVAL_GIT_COMMIT},
          {"build_type", R1EVAL_BUILD_TYPE},
          {"compiler", R1EVAL_COMPILER},
          {"cxx_flags", R1EVAL_CXX_FLAGS}};
}

}  // namespace r1eval::common
