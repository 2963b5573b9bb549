#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "common/did_you_mean.h"
#include "common/repo_paths.h"
#include "evals/suites/suite.h"

namespace r1eval::evals::suites {

std::vector<Suite> read_suites(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::directory_iterator entries(dir, error);
  if (error)
    throw std::invalid_argument("cannot read the suites folder " + dir.string() + " (" + error.message() + ")");
  std::vector<std::filesystem::path> files;
  for (const std::filesystem::directory_entry& entry : entries) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (files.empty()) throw std::invalid_argument("no suite files (*.json) in " + dir.string());
  std::vector<Suite> suites;
  for (const std::filesystem::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::invalid_argument("cannot read suite file " + file.string());
    suites.push_back(
        parse_suite(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()), file));
  }
  // Names equal file names, so they are unique; sorting makes every listing stable.
  std::sort(suites.begin(), suites.end(), [](const Suite& a, const Suite& b) { return a.name < b.name; });
  return suites;
}

const std::vector<Suite>& all_suites() {
  // Read once, on first use (thread-safe static initialisation); fixed afterwards.
  static const std::vector<Suite> suites = read_suites(common::suites_dir());
  return suites;
}

std::vector<std::string> suite_names() {
  std::vector<std::string> names;
  for (const Suite& suite : all_suites()) names.push_back(suite.name);
  return names;
}

const Suite& find_suite(std::string_view name) {
  for (const Suite& suite : all_suites()) {
    if (suite.name == name) return suite;
  }
  throw std::invalid_argument("unknown suite '" + std::string(name) + "'" + common::did_you_mean(name, suite_names()));
}

}  // namespace r1eval::evals::suites
