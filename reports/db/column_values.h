// How each member type of a row is stored, and the helpers that make a Column from a member pointer: the member's
// type picks how the column is bound, read and declared, so a table lists only names and the few exceptions.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "reports/db/column_table.h"
#include "reports/db/results_db.h"

namespace r1eval::reports::db::columns {

void bind_value(sqlite::Statement& statement, int parameter, std::int64_t value);
void bind_value(sqlite::Statement& statement, int parameter, int value);
void bind_value(sqlite::Statement& statement, int parameter, bool value);  // 0 or 1
// Decimal text: SQLite's INTEGER is signed, so an unsigned 64-bit value does not fit it.
void bind_value(sqlite::Statement& statement, int parameter, std::uint64_t value);
void bind_value(sqlite::Statement& statement, int parameter, double value);                        // NaN as NULL
void bind_value(sqlite::Statement& statement, int parameter, const std::optional<double>& value);  // nullopt: NULL
void bind_value(sqlite::Statement& statement, int parameter, const std::string& value);
void bind_value(sqlite::Statement& statement, int parameter, const nlohmann::json& value);  // compact text

void read_value(const StoredValue& stored, std::int64_t& value);
void read_value(const StoredValue& stored, int& value);
void read_value(const StoredValue& stored, bool& value);
void read_value(const StoredValue& stored, std::uint64_t& value);  // throws DbError unless decimal digits
void read_value(const StoredValue& stored, double& value);         // NULL as NaN
void read_value(const StoredValue& stored, std::optional<double>& value);
void read_value(const StoredValue& stored, std::string& value);
void read_value(const StoredValue& stored, nlohmann::json& value);  // throws DbError naming stored.noun

// A stored value this build cannot read: the message names the file.
DbError stored_value_error(const StoredValue& stored, std::string_view problem);

// The type the schema declares for a column holding T. Undefined for a type bind_value does not take.
template <typename T>
struct SqlType;
template <>
struct SqlType<std::int64_t> {
  static constexpr std::string_view name = "INTEGER";
};
template <>
struct SqlType<int> : SqlType<std::int64_t> {};
template <>
struct SqlType<bool> : SqlType<std::int64_t> {};
template <>
struct SqlType<double> {
  static constexpr std::string_view name = "REAL";
};
template <>
struct SqlType<std::optional<double>> : SqlType<double> {};
template <>
struct SqlType<std::string> {
  static constexpr std::string_view name = "TEXT";
};
template <>
struct SqlType<std::uint64_t> : SqlType<std::string> {};
template <>
struct SqlType<nlohmann::json> : SqlType<std::string> {};

template <typename>
struct MemberPointer;
template <typename Class, typename Value>
struct MemberPointer<Value Class::*> {
  using ClassType = Class;
  using ValueType = Value;
};

template <typename Row, auto member>
void bind_member(sqlite::Statement& statement, int parameter, const Row& row) {
  bind_value(statement, parameter, row.*member);
}

template <typename Row, auto member>
void read_member(const StoredValue& stored, Row& row) {
  read_value(stored, row.*member);
}

template <typename Row, auto member>
void read_member_or_default(const StoredValue& stored, Row& row) {
  if (!stored.row.is_null(stored.column)) read_value(stored, row.*member);
}

enum class FieldKind {
  kValue,    // bound and read
  kKey,      // assigned by the database: read, never inserted
  kMeasure,  // added by a later schema version: NULL (a row written before it) reads as the row's default
};

// A member and its column, before the row type is known: it converts to the Column of the member's class or of a
// class derived from it (a stored row that adds what the public row leaves out, reports/db/row_tables.h).
template <auto member, FieldKind kind>
struct Field {
  using Class = typename MemberPointer<decltype(member)>::ClassType;
  using Value = typename MemberPointer<decltype(member)>::ValueType;

  std::string_view name;
  ColumnSql sql;

  template <typename Row>
  requires std::derived_from<Row, Class>
  // Implicit, so a table is an array of Column initialized from fields.
  constexpr operator Column<Row>() const {
    return Column<Row>{
        .name = name,
        .sql_type = SqlType<Value>::name,
        .bind = kind == FieldKind::kKey ? nullptr : &bind_member<Row, member>,
        .read = kind == FieldKind::kMeasure ? &read_member_or_default<Row, member> : &read_member<Row, member>,
        .sql = sql};
  }
};

template <auto member>
constexpr Field<member, FieldKind::kValue> field(std::string_view name, ColumnSql sql = {}) {
  return {name, sql};
}

template <auto member>
constexpr Field<member, FieldKind::kKey> key(std::string_view name) {
  return {name, {}};
}

template <auto member>
constexpr Field<member, FieldKind::kMeasure> measure(std::string_view name) {
  return {name, {}};
}

}  // namespace r1eval::reports::db::columns
