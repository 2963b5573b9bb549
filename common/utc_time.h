// Timestamps as runs and benches record their start and end.
#pragma once

#include <string>

namespace r1eval::common {

// Now, as ISO-8601 UTC ("2026-11-29T03:14:17Z").
std::string utc_timestamp();

}  // namespace r1eval::common
