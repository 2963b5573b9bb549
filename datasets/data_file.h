// Reading bundled data files: the bytes (for the content hash) and their rows, with errors that name the file and
// the line, so a bad data file is found at once.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace r1eval::datasets {

struct DataFile {
  std::string path;   // as given, for messages
  std::string bytes;  // the whole file
};

// Throws std::runtime_error "cannot read data file <path>" when it is missing or unreadable.
DataFile read_data_file(const std::filesystem::path& path);

// One record of a data file and where it came from. The accessors throw std::invalid_argument
// "<file> line N: ..." naming the field that is missing or has the wrong type.
class Row {
 public:
  Row(const nlohmann::json& value, std::string where) : value_(value), where_(std::move(where)) {}

  const nlohmann::json& json() const { return value_; }
  const std::string& where() const { return where_; }

  const nlohmann::json& at(std::string_view key) const;
  // A string field (may be empty).
  std::string text(std::string_view key) const;
  // An identifier: a string, or an integer written in decimal.
  std::string id_text(std::string_view key) const;
  // An array field.
  const nlohmann::json& array(std::string_view key) const;
  [[noreturn]] void fail(const std::string& what) const;

 private:
  const nlohmann::json& value_;
  std::string where_;
};

// Calls `visit` for every non-blank line of a JSON-lines file, in order. A line that is not a JSON object throws
// std::invalid_argument "<file> line N: not a JSON object (...)".
void for_each_jsonl_row(const DataFile& file, const std::function<void(const Row&)>& visit);

// The whole file as one JSON document; throws std::invalid_argument "<file>: not valid JSON (...)".
nlohmann::json parse_json_file(const DataFile& file);

}  // namespace r1eval::datasets
