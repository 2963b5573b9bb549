#include "reports/db/sqlite_handle.h"

#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

namespace r1eval::reports::db::sqlite {

namespace {

constexpr int kBusyTimeoutMs = 5000;

std::string describe(const std::filesystem::path& path, std::string_view what, std::string_view message) {
  std::string text = "results database ";
  text += path.string();
  text += ": ";
  text += what;
  text += " failed: ";
  text += message;
  return text;
}

// SQLite reports a file that is not a database only when it first reads it, whatever the statement; say so plainly.
DbError make_error(const std::filesystem::path& path, std::string_view what, int rc, std::string_view message) {
  if ((rc & 0xff) == SQLITE_NOTADB) {
    return DbError("results database " + path.string() + " is not an SQLite database (" + std::string(message) +
                   "); choose another --db path.");
  }
  if ((rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR) {
    return DbError(
        describe(path, what, std::string(message) + "; check that the disk has room and the file is writable"));
  }
  return DbError(describe(path, what, message));
}

int checked_length(std::string_view text, const std::filesystem::path& path) {
  if (text.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw DbError(describe(path, "binding a value", "text longer than 2 GiB"));
  }
  return static_cast<int>(text.size());
}

}  // namespace

Connection Connection::open(const std::filesystem::path& path) {
  return open_with_flags(path, path.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
}

Connection Connection::open_read_only(const std::filesystem::path& path) {
  constexpr int kFlags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
  Connection connection = open_with_flags(path, path.string(), kFlags);
  const int rc = sqlite3_exec(connection.db_, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
  if ((rc & 0xff) != SQLITE_READONLY && (rc & 0xff) != SQLITE_CANTOPEN) return connection;
  // A WAL file needs its -shm index, which a reader cannot create in a folder it may not write. Without a -wal file
  // every committed row is in the main file, so it is read as immutable: no locks, no -shm.
  std::error_code ignored;
  if (std::filesystem::exists(path.string() + "-wal", ignored)) throw connection.error("opening read-only", rc);
  std::string uri = "file:";
  for (const char c : path.string()) {
    if (c == '%' || c == '?' || c == '#') {
      constexpr std::string_view kHex = "0123456789ABCDEF";
      const auto byte = static_cast<unsigned char>(c);
      uri += '%';
      uri += kHex[byte >> 4];
      uri += kHex[byte & 0xF];
    } else {
      uri += c;
    }
  }
  return open_with_flags(path, uri + "?immutable=1", kFlags | SQLITE_OPEN_URI);
}

Connection Connection::open_with_flags(const std::filesystem::path& path, const std::string& name, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    // SQLite says only "unable to open database file"; name the usual causes.
    std::error_code ignored;
    const auto folder = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    if (std::filesystem::is_directory(path, ignored)) {
      message = "it is a folder, not a file";
    } else if (!std::filesystem::is_directory(folder, ignored)) {
      message = "its folder " + folder.string() + " does not exist";
    }
    throw DbError(describe(path, "opening", message));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return Connection(db, path);
}

Connection::Connection(Connection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

Connection::~Connection() { sqlite3_close_v2(db_); }

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }

void Connection::exec(std::string_view sql, std::string_view what) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string reason = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw make_error(path_, what, rc, reason);
  }
}

DbError Connection::error(std::string_view what) const {
  return make_error(path_, what, sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
}

DbError Connection::error(std::string_view what, int rc) const {
  // The connection's message describes the latest failure; fall back to the code's text when it is stale.
  const int latest = sqlite3_extended_errcode(db_);
  return make_error(path_, what, rc, latest == rc ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
}

Statement::Statement(Connection& connection, std::string_view sql) : connection_(&connection) {
  const int rc = sqlite3_prepare_v3(connection.get(), sql.data(), checked_length(sql, connection.path()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) throw connection.error("preparing a statement", rc);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::check_bind(int rc, int index) {
  if (rc != SQLITE_OK) throw connection_->error("binding parameter " + std::to_string(index), rc);
}

void Statement::bind_int(int index, std::int64_t value) { check_bind(sqlite3_bind_int64(stmt_, index, value), index); }

void Statement::bind_real(int index, double value) {
  if (std::isnan(value)) {
    bind_null(index);
    return;
  }
  check_bind(sqlite3_bind_double(stmt_, index, value), index);
}

void Statement::bind_text(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies the bytes, so the caller's buffer may go away before the step.
  check_bind(
      sqlite3_bind_text(stmt_, index, value.data(), checked_length(value, connection_->path()), SQLITE_TRANSIENT),
      index);
}

void Statement::bind_null(int index) { check_bind(sqlite3_bind_null(stmt_, index), index); }

int Statement::try_step() { return sqlite3_step(stmt_); }

bool Statement::step(std::string_view what) {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw connection_->error(what, rc);
}

void Statement::reset() {
  // The return value repeats the last step's error, which step() has already reported.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::column_real(int column) const {
  if (is_null(column)) return std::numeric_limits<double>::quiet_NaN();
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::column_text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);  // after column_text, as SQLite requires
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(size));
}

StatementUse StatementCache::use(std::string_view sql) {
  auto found = statements_.find(std::string(sql));
  if (found == statements_.end()) {
    found = statements_.emplace(std::string(sql), std::make_unique<Statement>(*connection_, sql)).first;
  }
  return StatementUse(*found->second);
}

Transaction::Transaction(Connection& connection, Kind kind) : connection_(connection) {
  connection_.exec(kind == Kind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", "starting a transaction");
}

Transaction::~Transaction() {
  if (open_) {
    // Nothing useful can be done with a failed rollback in a destructor; SQLite rolls back on close anyway.
    sqlite3_exec(connection_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  connection_.exec("COMMIT", "committing a transaction");
  open_ = false;
}

}  // namespace r1eval::reports::db::sqlite
