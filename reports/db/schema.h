// The results database's schema: an ordered list of migrations, each taking PRAGMA user_version from N-1 to N in
// one transaction, and the check that a file is ours before anything is written to it.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "reports/db/sqlite_handle.h"

namespace r1eval::reports::db::schema {

// PRAGMA application_id of every results database ("R1EV"): tells our files from other SQLite databases.
inline constexpr std::int32_t kApplicationId = 0x52314556;

struct Migration {
  int version;           // user_version after this step
  std::string_view sql;  // the statements of the step
};

// The steps in order; the last one's version is the current schema.
std::span<const Migration> migrations();
int current_version();

// Throws DbError naming the file unless it is an empty database or one of ours no newer than this build. Only
// reads, so nothing is written to a file that is not ours. Returns true when it needs no migration or update.
bool verify(sqlite::Connection& db);

// For a reader that must not write: throws DbError naming the file unless it is ours, non-empty and exactly at the
// current schema version (an older file is migrated by the next command that writes to it). Only reads.
void verify_readable(sqlite::Connection& db);

// Migrates a verified file to the current version, each step in its own IMMEDIATE transaction that re-checks the
// version under the write lock (two processes opening one file at once migrate it once), and brings the outcome
// names up to date. Returns the schema version now in the file.
int migrate(sqlite::Connection& db);

}  // namespace r1eval::reports::db::schema
