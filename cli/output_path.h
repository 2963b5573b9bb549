// Where a command may write a file of its own (a report): never over the results database it reads, nor over the
// database's journal files, however the path is spelled (relative, through a symlink, a hard link).
#pragma once

#include <filesystem>

namespace r1eval::cli {

// Throws std::invalid_argument naming both paths when writing `out` would overwrite `db` or its -wal, -shm or
// -journal file. "-" (standard output) is always allowed.
void refuse_database_target(const std::filesystem::path& out, const std::filesystem::path& db);

}  // namespace r1eval::cli
