#include "cli/output_path.h"

#include <array>
#include <stdexcept>
#include <string>
#include <system_error>

#include <fmt/format.h>

namespace r1eval::cli {
namespace {

namespace fs = std::filesystem;

// Same file when both resolve to one canonical path (symlinks, "..", relative spellings), or, when both exist, to
// one inode (hard links, bind mounts).
bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code error;
  const fs::path canonical_a = fs::weakly_canonical(a, error);
  if (error) return false;
  const fs::path canonical_b = fs::weakly_canonical(b, error);
  if (error) return false;
  if (canonical_a == canonical_b) return true;
  const bool equivalent = fs::equivalent(a, b, error);
  return !error && equivalent;
}

}  // namespace

void refuse_database_target(const fs::path& out, const fs::path& db) {
  if (out == "-") return;
  constexpr std::array<const char*, 4> kSuffixes = {"", "-wal", "-shm", "-journal"};
  for (const char* suffix : kSuffixes) {
    const fs::path file = db.string() + suffix;
    if (same_file(out, file)) {
      throw std::invalid_argument(
          fmt::format("--out {} is the results database file {}; refusing to overwrite it, "
                      "give another output path",
                      out.string(), file.string()));
    }
  }
}

}  // namespace r1eval::cli
