#include "datasets/data_file.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace r1eval::datasets {

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
    nlohmann::json value;
    try {
      value = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& error) {
      throw std::invalid_argument(where + ": not valid JSON (" + error.what() + ")");
    }
    if (!value.is_object()) throw std::invalid_argument(where + ": not a JSON object");
    visit(Row(value, where));
  }
}

nlohmann::json parse_json_file(const DataFile& file) {
  try {
    return nlohmann::json::parse(file.bytes);
  } catch (const nlohmann::json::parse_error& error) {
    throw std::invalid_argument(file.path + ": not valid JSON (" + error.what() + ")");
  }
}

}  // namespace r1eval::datasets
