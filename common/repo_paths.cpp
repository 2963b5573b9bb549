#include "common/repo_paths.h"

#include <cstdlib>

namespace r1eval::common {

std::filesystem::path repository_root() {
  // An installed or copied program points at a checkout with R1EVAL_HOME; a build uses its own source tree.
  if (const char* home = std::getenv("R1EVAL_HOME"); home != nullptr && *home != '\0') return home;
  return R1EVAL_REPOSITORY_DIR;
}

std::filesystem::path datasets_dir() { return repository_root() / "datasets"; }
std::filesystem::path suites_dir() { return repository_root() / "evals" / "suites"; }
std::filesystem::path baselines_dir() { return repository_root() / "evals" / "baselines"; }
std::filesystem::path default_model_dir() { return repository_root() / "models" / "toy-arith-r1zero"; }
std::filesystem::path default_tokenizer_dir() { return datasets_dir() / "tokenizers" / "deepseek-r1"; }

}  // namespace r1eval::common
