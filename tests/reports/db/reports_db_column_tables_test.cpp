// The column tables (reports/db/row_tables.h) against the schema a new file gets: an INSERT or SELECT built from a
// table that disagrees with the schema would fail only when that row type is first written or read, so check them
// all here, against PRAGMA table_info rather than the code under test.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "reports/db/results_db.h"
#include "reports/db/row_tables.h"
#include "tests/reports/db/db_test_support.h"

namespace r1eval::reports::db {
namespace {

using testing::RawDb;
using testing::scratch_dir;

struct SchemaColumn {
  std::string type;
  bool primary_key = false;
};

// The columns of `table` in the file, by name.
std::map<std::string, SchemaColumn> schema_columns(RawDb& raw, std::string_view table) {
  std::map<std::string, SchemaColumn> columns;
  // table_info rows: cid, name, type, notnull, dflt_value, pk.
  for (const RawDb::Row& row : raw.query("PRAGMA table_info(" + std::string(table) + ")")) {
    columns[row.at(1).value_or("")] = SchemaColumn{row.at(2).value_or(""), row.at(5).value_or("0") != "0"};
  }
  return columns;
}

// A new file, created (and so migrated to the current version) by ResultsDb.
std::filesystem::path new_database() {
  const auto file = scratch_dir() / "results.db";
  ResultsDb::open(file);
  return file;
}

TEST(ReportsDbColumnTables, EveryListedColumnIsInTheSchemaWithItsType) {
  RawDb raw(new_database());
  columns::for_each_table([&](const auto& table) {
    const auto schema = schema_columns(raw, table.table);
    ASSERT_FALSE(schema.empty()) << "no table " << table.table;
    for (const auto& column : table.columns) {
      const auto found = schema.find(std::string(column.name));
      ASSERT_NE(found, schema.end()) << table.table << " has no column " << column.name;
      EXPECT_EQ(found->second.type, column.sql_type) << table.table << "." << column.name;
    }
  });
}

// A column the code never writes would hold NULL or its default in every row.
TEST(ReportsDbColumnTables, EverySchemaColumnButAnUnreadKeyIsListed) {
  RawDb raw(new_database());
  columns::for_each_table([&](const auto& table) {
    std::set<std::string> listed;
    for (const auto& column : table.columns) listed.emplace(column.name);
    for (const auto& [name, column] : schema_columns(raw, table.table)) {
      if (column.primary_key) continue;  // a row's id, which only orders rows (ORDER BY metric_id)
      EXPECT_TRUE(listed.count(name)) << table.table << "." << name << " is in no column table";
    }
  });
}

TEST(ReportsDbColumnTables, EveryTableButTheOutcomeNamesHasAColumnTable) {
  RawDb raw(new_database());
  std::set<std::string> listed;
  columns::for_each_table([&](const auto& table) { listed.emplace(table.table); });
  // The outcome names are the schema's own (reports/db/schema.cpp writes them); no row type holds them.
  listed.emplace("outcomes");
  for (const RawDb::Row& row :
       raw.query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
    EXPECT_TRUE(listed.count(row.at(0).value_or(""))) << "table " << row.at(0).value_or("") << " has no column table";
  }
}

}  // namespace
}  // namespace r1eval::reports::db
