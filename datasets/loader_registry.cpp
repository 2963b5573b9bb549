// The loader table: one row per data format. Adding a data set that looks like an existing one is one row here.
#include <algorithm>
#include <functional>
#include <set>
#include <stdexcept>

#include "datasets/content_hash.h"
#include "common/did_you_mean.h"
#include "datasets/loaders.h"
#include "datasets/loaders/row_loaders.h"

namespace r1eval::datasets {
namespace {

using FileLoader = std::function<void(const DataFile&, std::vector<Problem>&)>;

struct LoaderEntry {
  std::string_view name;
  std::string_view description;
  FileLoader load;
};

FileLoader jsonl_fields(loaders::FieldMap fields) {
  return [fields](const DataFile& file, std::vector<Problem>& out) {
    for_each_jsonl_row(file, [&](const Row& row) { out.push_back(loaders::field_row(fields, row)); });
  };
}

FileLoader jsonl_rows(std::optional<Problem> (*map_row)(const Row&)) {
  return [map_row](const DataFile& file, std::vector<Problem>& out) {
    for_each_jsonl_row(file, [&](const Row& row) {
      if (std::optional<Problem> problem = map_row(row)) out.push_back(std::move(*problem));
    });
  };
}

const std::vector<LoaderEntry>& entries() {
  static const std::vector<LoaderEntry> kEntries = [] {
    std::vector<LoaderEntry> table = {
        {"aime2024", "JSONL: id, problem, answer", jsonl_fields({"id", "problem", "answer", ""})},
        {"aime2025", "JSONL: id, problem, answer", jsonl_fields({"id", "problem", "answer", ""})},
        {"amc2023", "JSONL: id, problem, answer (integer string)", jsonl_fields({"id", "problem", "answer", ""})},
        {"arith", "JSONL: id, question, answer (two-digit addition and subtraction)",
         jsonl_fields({"id", "question", "answer", ""})},
        {"bbh", "one JSON file per task: {canary, examples: [{input, target, idx}]}; ids <task>/<idx>",
         &loaders::bbh_task_file},
        {"gsm8k", "JSONL: idx, question, final_answer", jsonl_fields({"idx", "question", "final_answer", ""})},
        {"humaneval", "JSONL: task_id, prompt, entry_point, test", jsonl_rows(&loaders::humaneval_row)},
        {"knights-knaves", "JSONL: id, quiz, names, solution (booleans, true = knight)",
         jsonl_rows(&loaders::knights_knaves_row)},
        {"livecodebench", "JSONL: question_id, prompt (statement with sample tests)",
         jsonl_rows(&loaders::livecodebench_row)},
        {"math", "JSONL: idx, problem, answer, type (subject)", jsonl_fields({"idx", "problem", "answer", "type"})},
        {"math500", "JSONL: unique_id, problem, answer, subject",
         jsonl_fields({"unique_id", "problem", "answer", "subject"})},
        {"mbpp", "JSONL: task_id, text, test_list, test_setup_code; the test split, task ids 11-510",
         jsonl_rows(&loaders::mbpp_row)},
    };
    std::sort(table.begin(), table.end(), [](const LoaderEntry& a, const LoaderEntry& b) { return a.name < b.name; });
    return table;
  }();
  return kEntries;
}

const LoaderEntry& find_entry(std::string_view name) {
  for (const LoaderEntry& entry : entries()) {
    if (entry.name == name) return entry;
  }
  throw std::invalid_argument("unknown dataset loader '" + std::string(name) + "'" +
                              common::did_you_mean(name, loader_names()));
}

}  // namespace

Dataset load_dataset(std::string_view loader, const std::vector<std::string>& files,
                     const std::filesystem::path& datasets_dir) {
  const LoaderEntry& entry = find_entry(loader);
  if (files.empty()) throw std::invalid_argument("dataset loader '" + std::string(loader) + "' was given no files");
  Dataset dataset;
  dataset.name = std::string(entry.name);
  Sha256 hash;
  for (const std::string& relative : files) {
    const DataFile file = read_data_file(datasets_dir / relative);
    hash.update(file.bytes);
    entry.load(file, dataset.problems);
  }
  dataset.content_hash = hash.finish();
  std::set<std::string_view> ids;
  for (const Problem& problem : dataset.problems) {
    // Results are keyed by problem id (resume, paired comparison), so a repeated id would merge two problems.
    if (!ids.insert(problem.id).second) {
      throw std::invalid_argument("dataset loader '" + std::string(loader) + "': problem id '" + problem.id +
                                  "' occurs twice in " + files.front() +
                                  (files.size() > 1 ? " and the other files" : ""));
    }
  }
  if (dataset.problems.empty()) {
    throw std::invalid_argument("dataset loader '" + std::string(loader) + "' found no problems in " + files.front() +
                                (files.size() > 1 ? " and the other files" : ""));
  }
  return dataset;
}

std::vector<std::string> loader_names() {
  std::vector<std::string> names;
  for (const LoaderEntry& entry : entries()) names.emplace_back(entry.name);
  return names;
}

bool has_loader(std::string_view name) {
  return std::any_of(entries().begin(), entries().end(), [&](const LoaderEntry& entry) { return entry.name == name; });
}

std::string loader_description(std::string_view name) { return std::string(find_entry(name).description); }

}  // namespace r1eval::datasets
