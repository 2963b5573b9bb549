#include "graders/code/code_problems.h"

#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>

#include "common/json_limits.h"

namespace r1eval::graders::code {
namespace {

struct Suite {
  const char* file;
  const char* key;
};

Suite suite_of(std::string_view grader) {
  if (grader == "humaneval") return {"code/humaneval/HumanEval.jsonl", "task_id"};
  if (grader == "mbpp") return {"code/mbpp/mbpp.jsonl", "task_id"};
  if (grader == "livecodebench") return {"code/livecodebench-v5-qwq/livecodebench_v5.jsonl", "question_id"};
  throw std::invalid_argument("no bundled problems for grader '" + std::string(grader) + "'");
}

// A task id in one canonical text form: "Mbpp/11" and 11 both become "11"; strings otherwise unchanged.
std::string id_text(const nlohmann::json& id) {
  if (id.is_number_integer()) return std::to_string(id.get<long long>());
  if (!id.is_string()) throw std::invalid_argument("a task_id must be a string or an integer");
  std::string text = id.get<std::string>();
  if (text.rfind("Mbpp/", 0) == 0) text = text.substr(5);
  return text;
}

using Index = std::map<std::string, nlohmann::json>;

const Index& index_of(const std::string& path, const char* key) {
  static std::mutex mutex;
  static std::map<std::string, Index> cache;
  std::lock_guard lock(mutex);
  auto it = cache.find(path);
  if (it != cache.end()) return it->second;
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("cannot read the problem file " + path);
  Index index;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    nlohmann::json row = common::parse_untrusted_json_or_discarded(line);
    if (row.is_discarded() || !row.is_object() || !row.contains(key)) {
      throw std::invalid_argument(path + " line " + std::to_string(number) + " is not a problem record with '" + key +
                                  "'");
    }
    const std::string id = id_text(row[key]);  // before the row is moved into the index
    if (row.contains("global_id")) index[id_text(row["global_id"])] = row;
    index[id] = std::move(row);
  }
  return cache.emplace(path, std::move(index)).first->second;
}

}  // namespace

nlohmann::json find_code_problem(std::string_view grader, const nlohmann::json& task_id,
                                 const std::string& datasets_dir) {
  const Suite suite = suite_of(grader);
  const std::string path = datasets_dir + "/" + suite.file;
  const Index& index = index_of(path, suite.key);
  const std::string id = id_text(task_id);
  const auto it = index.find(id);
  if (it == index.end())
    throw std::invalid_argument(std::string(grader) + ": no problem with task_id '" + id + "' in " + path);
  return it->second;
}

}  // namespace r1eval::graders::code
