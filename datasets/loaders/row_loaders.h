// The per-format pieces behind datasets/loaders.h: how one record (a JSONL row, or a BBH task file) becomes problems.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "datasets/data_file.h"
#include "datasets/problem.h"

namespace r1eval::datasets::loaders {

// Rows whose problem is a plain text field and whose gold is a text field: most math sets. An empty
// subset_key means the data set has no subsets.
struct FieldMap {
  std::string_view id_key;
  std::string_view prompt_key;
  std::string_view gold_key;
  std::string_view subset_key;
};
Problem field_row(const FieldMap& fields, const Row& row);

// Code: HumanEval (the function stub in a python fence), MBPP's test split (task ids 11-510; other rows give
// nullopt), LiveCodeBench (the statement with its sample tests, as bundled).
std::optional<Problem> humaneval_row(const Row& row);
std::optional<Problem> mbpp_row(const Row& row);
std::optional<Problem> livecodebench_row(const Row& row);

// Logic: a Knights-and-Knaves puzzle; a BBH task file ({"canary", "examples": [...]}), whose task name is its
// file name without ".json".
std::optional<Problem> knights_knaves_row(const Row& row);
void bbh_task_file(const DataFile& file, std::vector<Problem>& out);

}  // namespace r1eval::datasets::loaders
