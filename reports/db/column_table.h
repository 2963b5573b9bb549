// A row type's columns listed once, each with how it is bound and read, so that an INSERT's column list, its
// placeholders and its binds and a SELECT's column list and its reads all come from one list in one order: a column
// cannot be bound at one index and read at another. The tables themselves are in reports/db/row_tables.h.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "reports/db/sqlite_handle.h"

namespace r1eval::reports::db::columns {

// One stored value being read. The connection names the file, and the noun the value, when it cannot be decoded.
struct StoredValue {
  const sqlite::Connection& db;
  const sqlite::Statement& row;
  int column;
  std::string_view noun;
};

// SQL around a column's placeholder or name; {} stands for it.
struct ColumnSql {
  std::string_view insert_value = "{}";  // e.g. "NULLIF({}, '')": an empty string is stored as NULL
  std::string_view select_value = "{}";  // e.g. "COALESCE({}, '')": NULL is read as an empty string
  std::string_view noun = {};            // what the value is, in errors about a stored value that cannot be read;
                                         // empty: the column's name
};

template <typename Row>
struct Column {
  std::string_view name;
  std::string_view sql_type;  // as the schema declares it: INTEGER, REAL or TEXT
  // nullptr for a key the database assigns: such a column is read but never inserted.
  void (*bind)(sqlite::Statement& statement, int parameter, const Row& row);
  void (*read)(const StoredValue& value, Row& row);
  ColumnSql sql = {};
};

template <typename Row>
struct ColumnTable {
  std::string_view table;
  std::span<const Column<Row>> columns;  // in the order of the INSERT's and the SELECT's lists
};

// "INSERT INTO table (a, b) VALUES (?1, ?2)" over every column but the keys the database assigns; a caller may append
// a clause (ON CONFLICT ...).
template <typename Row>
std::string insert_sql(const ColumnTable<Row>& table) {
  std::vector<std::string_view> names;
  std::vector<std::string> values;
  for (const Column<Row>& column : table.columns) {
    if (column.bind == nullptr) continue;
    names.push_back(column.name);
    values.push_back(fmt::format(fmt::runtime(column.sql.insert_value), fmt::format("?{}", values.size() + 1)));
  }
  return fmt::format("INSERT INTO {} ({}) VALUES ({})", table.table, fmt::join(names, ", "), fmt::join(values, ", "));
}

// Binds the row to a statement from insert_sql, parameter n to the n-th inserted column.
template <typename Row>
void bind_row(sqlite::Statement& statement, const ColumnTable<Row>& table, const Row& row) {
  int parameter = 0;
  for (const Column<Row>& column : table.columns) {
    if (column.bind != nullptr) column.bind(statement, ++parameter, row);
  }
}

// "SELECT a, b FROM table", every column in table order; the caller appends WHERE and ORDER BY.
template <typename Row>
std::string select_sql(const ColumnTable<Row>& table) {
  std::vector<std::string> values;
  for (const Column<Row>& column : table.columns) {
    values.push_back(fmt::format(fmt::runtime(column.sql.select_value), column.name));
  }
  return fmt::format("SELECT {} FROM {}", fmt::join(values, ", "), table.table);
}

// The current result row of a statement from select_sql, result column n read into the n-th column's member.
template <typename Row>
Row read_row(const sqlite::Connection& db, const sqlite::Statement& statement, const ColumnTable<Row>& table) {
  Row row;
  int index = 0;
  for (const Column<Row>& column : table.columns) {
    const std::string_view noun = column.sql.noun.empty() ? column.name : column.sql.noun;
    column.read(StoredValue{db, statement, index++, noun}, row);
  }
  return row;
}

}  // namespace r1eval::reports::db::columns
