#include "datasets/loaders/row_loaders.h"

namespace r1eval::datasets::loaders {

Problem field_row(const FieldMap& fields, const Row& row) {
  Problem problem;
  problem.id = row.id_text(fields.id_key);
  if (!fields.subset_key.empty()) problem.subset = row.text(fields.subset_key);
  problem.prompt = row.text(fields.prompt_key);
  const std::string gold = row.text(fields.gold_key);
  if (gold.find_first_not_of(" \t\r\n") == std::string::npos)
    row.fail("field '" + std::string(fields.gold_key) + "' is empty");
  problem.gold = gold;
  problem.record = row.json();
  return problem;
}

}  // namespace r1eval::datasets::loaders
