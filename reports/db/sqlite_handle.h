// RAII wrappers for an SQLite connection, a prepared statement and a write transaction. Every call is checked:
// a failure throws db::DbError naming the database file, what was being done and SQLite's own message.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "reports/db/results_db.h"

struct sqlite3;
struct sqlite3_stmt;

namespace r1eval::reports::db::sqlite {

class Connection {
 public:
  // Opens (creating when absent) the file read-write. SQLite defers reading the file, so a file that is not a
  // database is only detected by the first statement.
  static Connection open(const std::filesystem::path& path);
  // Opens an existing file for reading only: nothing, not even a journal mode switch, can be written through it.
  static Connection open_read_only(const std::filesystem::path& path);
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  sqlite3* get() const { return db_; }
  std::int64_t changes() const;  // rows changed by the latest INSERT, UPDATE or DELETE
  const std::filesystem::path& path() const { return path_; }

  // Runs one or more SQL statements that return no rows we need.
  void exec(std::string_view sql, std::string_view what);
  // A DbError for the failure of `what`, with the connection's current error message.
  DbError error(std::string_view what) const;
  DbError error(std::string_view what, int rc) const;

 private:
  Connection(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  // `name` is what SQLite opens (the path, or a file: URI of it); `path` names the file in messages.
  static Connection open_with_flags(const std::filesystem::path& path, const std::string& name, int flags);
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

class Statement {
 public:
  Statement(Connection& connection, std::string_view sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQL's ?1, ?2...
  void bind_int(int index, std::int64_t value);
  void bind_real(int index, double value);  // NaN is stored as NULL (SQLite has no NaN)
  void bind_text(int index, std::string_view value);
  void bind_null(int index);

  // One step: true when a row is ready, false when done. Throws DbError on failure, naming `what`.
  bool step(std::string_view what);
  // The raw result code of one step (SQLITE_ROW, SQLITE_DONE or an error), for callers that explain errors.
  int try_step();
  // Ready for the next use: the previous result released (a finished read must not pin a WAL snapshot) and the
  // bindings cleared.
  void reset();

  bool is_null(int column) const;
  std::int64_t column_int(int column) const;
  double column_real(int column) const;       // NULL reads as NaN
  std::string column_text(int column) const;  // byte-exact, embedded NULs included

 private:
  void check_bind(int rc, int index);
  Connection* connection_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when a use of it ends, however it ends.
class StatementUse {
 public:
  explicit StatementUse(Statement& statement) : statement_(statement) { statement_.reset(); }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  ~StatementUse() { statement_.reset(); }
  Statement* operator->() { return &statement_; }
  Statement& operator*() { return statement_; }

 private:
  Statement& statement_;
};

// Prepared statements kept for the connection's lifetime, keyed by their SQL text. The connection must outlive
// the cache and stay where it is.
class StatementCache {
 public:
  explicit StatementCache(Connection& connection) : connection_(&connection) {}
  StatementUse use(std::string_view sql);

 private:
  Connection* connection_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

// BEGIN (IMMEDIATE for writes, so the write lock is taken up front and busy_timeout applies before any work);
// rolled back on destruction unless committed, so an exception never leaves a half-written batch.
class Transaction {
 public:
  enum class Kind { kRead, kWrite };
  Transaction(Connection& connection, Kind kind);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& connection_;
  bool open_ = true;
};

}  // namespace r1eval::reports::db::sqlite
