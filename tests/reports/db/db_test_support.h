// Helpers for the results-database tests: a fresh scratch folder per test under the build tree, and raw SQLite
// access that bypasses ResultsDb (so what the tests read back does not depend on the code under test).
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace r1eval::reports::db::testing {

// An empty folder named after the running test, removed and recreated on each run.
inline std::filesystem::path scratch_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir = std::filesystem::path(R1EVAL_BINARY_DIR) / "test-tmp" / "reports_db" /
                                    (std::string(info->test_suite_name()) + "." + info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// A plain sqlite3 connection. Cells are read as text; NULL becomes std::nullopt.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) ADD_FAILURE() << "cannot open " << path;
    sqlite3_busy_timeout(db_, 5000);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb() { sqlite3_close(db_); }

  using Row = std::vector<std::optional<std::string>>;

  std::vector<Row> query(const std::string& sql) {
    std::vector<Row> rows;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot prepare '" << sql << "': " << sqlite3_errmsg(db_);
      return rows;
    }
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      Row row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        if (sqlite3_column_type(stmt, i) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
        } else {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
          row.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i))));
        }
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << "'" << sql << "' failed: " << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return rows;
  }

  std::string scalar(const std::string& sql) {
    const auto rows = query(sql);
    if (rows.size() != 1 || rows[0].size() != 1 || !rows[0][0]) {
      ADD_FAILURE() << "'" << sql << "' did not return one non-NULL value";
      return {};
    }
    return *rows[0][0];
  }

  // The column names a SELECT over `relation` returns, in order.
  std::vector<std::string> columns(const std::string& relation) {
    std::vector<std::string> names;
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "SELECT * FROM " + relation;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot prepare '" << sql << "': " << sqlite3_errmsg(db_);
      return names;
    }
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) names.emplace_back(sqlite3_column_name(stmt, i));
    sqlite3_finalize(stmt);
    return names;
  }

  void exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      ADD_FAILURE() << "'" << sql.substr(0, 200) << "' failed: " << (message != nullptr ? message : "?");
    }
    sqlite3_free(message);
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace r1eval::reports::db::testing
