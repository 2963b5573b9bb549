// The dataset loaders: one per data format, chosen by name. Each turns the bundled files of one benchmark into an
// ordered list of problems; the content hash covers the bytes of every file read, in the order given.
//
//   Dataset math500 = load_dataset("math500", {"math/math500/test.jsonl"}, repository / "datasets");
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "datasets/problem.h"

namespace r1eval::datasets {

// Reads `files` (relative to `datasets_dir`) with the named loader. Throws std::invalid_argument for an unknown
// loader ("unknown dataset loader 'x'; did you mean 'y'?") or bad data (naming the file and line), and
// std::runtime_error for a file that cannot be read. Dataset::name is the loader's name.
Dataset load_dataset(std::string_view loader, const std::vector<std::string>& files,
                     const std::filesystem::path& datasets_dir);

// Every loader's name, sorted.
std::vector<std::string> loader_names();
bool has_loader(std::string_view name);
// One line saying which files and fields the loader reads (for help texts and errors).
std::string loader_description(std::string_view name);

// Problem generators, by name ("arith": see datasets/arith.h). Unknown names throw with "did you mean".
Dataset generate_dataset(std::string_view generator, std::int64_t count, std::uint64_t seed);
std::vector<std::string> generator_names();

}  // namespace r1eval::datasets
