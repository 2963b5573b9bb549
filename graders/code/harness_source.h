// The Python test harness (graders/code/harness.py), embedded at build time so the binary needs no data files.
#pragma once

#include <string_view>

namespace r1eval::graders::code {

std::string_view harness_source();

}  // namespace r1eval::graders::code
