#include "reports/db/column_values.h"

#include <charconv>
#include <string>

#include <fmt/format.h>

#include "common/json_limits.h"

namespace r1eval::reports::db::columns {

void bind_value(sqlite::Statement& statement, int parameter, std::int64_t value) {
  statement.bind_int(parameter, value);
}

void bind_value(sqlite::Statement& statement, int parameter, int value) { statement.bind_int(parameter, value); }

void bind_value(sqlite::Statement& statement, int parameter, bool value) {
  statement.bind_int(parameter, value ? 1 : 0);
}

void bind_value(sqlite::Statement& statement, int parameter, std::uint64_t value) {
  statement.bind_text(parameter, std::to_string(value));
}

void bind_value(sqlite::Statement& statement, int parameter, double value) { statement.bind_real(parameter, value); }

void bind_value(sqlite::Statement& statement, int parameter, const std::optional<double>& value) {
  if (value) {
    statement.bind_real(parameter, *value);
  } else {
    statement.bind_null(parameter);
  }
}

void bind_value(sqlite::Statement& statement, int parameter, const std::string& value) {
  statement.bind_text(parameter, value);
}

void bind_value(sqlite::Statement& statement, int parameter, const nlohmann::json& value) {
  // Invalid UTF-8 (a path from a foreign filesystem) is replaced rather than refusing the whole run.
  statement.bind_text(parameter, value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void read_value(const StoredValue& stored, std::int64_t& value) { value = stored.row.column_int(stored.column); }

void read_value(const StoredValue& stored, int& value) {
  value = static_cast<int>(stored.row.column_int(stored.column));
}

void read_value(const StoredValue& stored, bool& value) { value = stored.row.column_int(stored.column) != 0; }

void read_value(const StoredValue& stored, std::uint64_t& value) {
  const std::string text = stored.row.column_text(stored.column);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw stored_value_error(stored,
                             fmt::format("the stored {} '{}' is not an unsigned 64-bit number.", stored.noun, text));
  }
}

void read_value(const StoredValue& stored, double& value) { value = stored.row.column_real(stored.column); }

void read_value(const StoredValue& stored, std::optional<double>& value) {
  if (stored.row.is_null(stored.column)) {
    value.reset();
  } else {
    value = stored.row.column_real(stored.column);
  }
}

void read_value(const StoredValue& stored, std::string& value) { value = stored.row.column_text(stored.column); }

void read_value(const StoredValue& stored, nlohmann::json& value) {
  try {
    value =
        common::parse_untrusted_json(stored.row.column_text(stored.column), fmt::format("the stored {}", stored.noun));
  } catch (const std::invalid_argument& e) {
    throw stored_value_error(stored, e.what());
  }
}

DbError stored_value_error(const StoredValue& stored, std::string_view problem) {
  return DbError(fmt::format("results database {}: {}", stored.db.path().string(), problem));
}

}  // namespace r1eval::reports::db::columns
