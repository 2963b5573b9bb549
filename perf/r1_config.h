// The configuration of the real DeepSeek-R1 (= DeepSeek-V3 architecture, 671B), for the kernel cases' real shapes
// and the cost projection. Values from the released config.json (MODEL.md §1).
#pragma once

#include "engine/weights/config.h"

namespace r1eval::perf {

engine::weights::ModelConfig deepseek_r1_config();

}  // namespace r1eval::perf
