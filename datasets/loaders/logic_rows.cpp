#include <filesystem>

#include "datasets/loaders/row_loaders.h"

namespace r1eval::datasets::loaders {

std::optional<Problem> knights_knaves_row(const Row& row) {
  const nlohmann::json& names = row.array("names");
  const nlohmann::json& solution = row.array("solution");
  if (names.empty() || names.size() != solution.size()) {
    row.fail("'names' and 'solution' must be non-empty lists of the same length");
  }
  for (const nlohmann::json& role : solution) {
    if (!role.is_boolean()) row.fail("field 'solution' must hold booleans (true = knight)");
  }
  Problem problem;
  problem.id = row.id_text("id");
  problem.subset = std::to_string(names.size()) + "ppl";
  problem.prompt = row.text("quiz");
  // The logic grader's Knights-and-Knaves gold: who is a knight, by name.
  problem.gold = {{"names", names}, {"solution", solution}};
  problem.record = row.json();
  return problem;
}

void bbh_task_file(const DataFile& file, std::vector<Problem>& out) {
  const std::string task = std::filesystem::path(file.path).stem().string();
  const nlohmann::json document = parse_json_file(file);
  if (!document.is_object() || !document.contains("examples") || !document["examples"].is_array()) {
    throw std::invalid_argument(file.path + ": not a BBH task file (expected an object with an 'examples' list)");
  }
  const nlohmann::json& examples = document["examples"];
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const std::string where = file.path + " example " + std::to_string(i);
    if (!examples[i].is_object()) throw std::invalid_argument(where + ": not a JSON object");
    const Row row(examples[i], where);
    Problem problem;
    // The source index when the example carries one (it does in the bundled files), else its position.
    problem.id = task + "/" + (examples[i].contains("idx") ? row.id_text("idx") : std::to_string(i));
    problem.subset = task;
    problem.prompt = row.text("input");
    problem.gold = row.text("target");
    problem.record = examples[i];
    out.push_back(std::move(problem));
  }
}

}  // namespace r1eval::datasets::loaders
