// What this build of r1eval is: the version from CMake's project(VERSION), and the commit and flags it was
// configured from. `r1eval --version` prints the first; every run and bench records all of it as provenance.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace r1eval::common {

// "0.1.0": CMakeLists.txt's project(VERSION).
std::string version();

// r1eval version, git commit (as of the build's configure step), build type, compiler and flags.
nlohmann::json build_info();

}  // namespace r1eval::common
