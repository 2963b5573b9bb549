#include "datasets/data_file.h"

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/json_limits.h"

namespace r1eval::datasets {

namespace {

// Data files come from anywhere (a downloaded dataset, a user's own): nesting is bounded before parsing, and the
// parser's message, which quotes the raw bytes it stopped at, is made printable.
nlohmann::json parse_bounded(std::string_view text, const std::string& where) {
  if (common::json_nesting_depth(text) > common::kMaxJsonDepth) {
    throw std::invalid_argument(where + ": nests deeper than " + std::to_string(common::kMaxJsonDepth) + " levels");
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument(where + ": not valid JSON (" + common::json_error_detail(error) + ")");
  }
}

}  // namespace

DataFile read_data_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) {
    throw std::runtime_error("cannot read data file " + path.string() + " (missing or unreadable)");
  }
  DataFile file{path.string(), std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>())};
  if (in.bad()) throw std::runtime_error("error while reading data file " + path.string());
  return file;
}

const nlohmann::json& Row::at(std::string_view key) const {
  const auto it = value_.find(key);
  if (it == value_.end()) fail("missing field '" + std::string(key) + "'");
  return *it;
}

std::string Row::text(std::string_view key) const {
  const nlohmann::json& value = at(key);
  if (!value.is_string()) fail("field '" + std::string(key) + "' is " + value.type_name() + ", expected a string");
  return value.get<std::string>();
}

std::string Row::id_text(std::string_view key) const {
  const nlohmann::json& value = at(key);
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_string() && !value.get_ref<const std::string&>().empty()) return value.get<std::string>();
  fail("field '" + std::string(key) + "' is not an identifier (a non-empty string or an integer)");
}

const nlohmann::json& Row::array(std::string_view key) const {
  const nlohmann::json& value = at(key);
  if (!value.is_array()) fail("field '" + std::string(key) + "' is " + value.type_name() + ", expected an array");
  return value;
}

void Row::fail(const std::string& what) const { throw std::invalid_argument(where_ + ": " + what); }

void for_each_jsonl_row(const DataFile& file, const std::function<void(const Row&)>& visit) {
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < file.bytes.size()) {
    std::size_t end = file.bytes.find('\n', start);
    if (end == std::string::npos) end = file.bytes.size();
    ++line_number;
    const std::string_view line(file.bytes.data() + start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = file.path + " line " + std::to_string(line_number);
    const nlohmann::json value = parse_bounded(line, where);
    if (!value.is_object()) throw std::invalid_argument(where + ": not a JSON object");
    visit(Row(value, where));
  }
}

nlohmann::json parse_json_file(const DataFile& file) { return parse_bounded(file.bytes, file.path); }

}  // namespace r1eval::datasets
