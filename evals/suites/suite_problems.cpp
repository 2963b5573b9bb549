// From a suite to the problems a run evaluates: the bundled files (or the generator), the --limit selection, and
// the grading keys each record carries.
#include <map>
#include <stdexcept>

#include "common/repo_paths.h"
#include "datasets/loaders.h"
#include "evals/suites/suite.h"

namespace r1eval::evals::suites {
namespace {

// The first `limit` problems of every subset, with the limit shared out round-robin: each subset in turn (in
// order of first appearance) gives its next problem until `limit` are taken or all are. The chosen problems
// stay in the data set's order.
void keep_round_robin(std::vector<datasets::Problem>& problems, std::size_t limit) {
  std::vector<std::string> order;
  std::map<std::string, std::size_t> size_of;
  for (const datasets::Problem& problem : problems) {
    if (size_of[problem.subset]++ == 0) order.push_back(problem.subset);
  }
  std::map<std::string, std::size_t> quota;
  for (std::size_t taken = 0, round = 0; taken < limit && taken < problems.size(); ++round) {
    for (const std::string& subset : order) {
      if (taken == limit) break;
      if (round < size_of[subset]) {
        ++quota[subset];
        ++taken;
      }
    }
  }
  std::vector<datasets::Problem> kept;
  kept.reserve(limit);
  std::map<std::string, std::size_t> used;
  for (datasets::Problem& problem : problems) {
    if (used[problem.subset]++ < quota[problem.subset]) kept.push_back(std::move(problem));
  }
  problems = std::move(kept);
}

void add_grading_keys(const Suite& suite, std::vector<datasets::Problem>& problems, const std::string& source) {
  for (datasets::Problem& problem : problems) {
    nlohmann::json& record = problem.record;
    if (!record.is_object()) record = nlohmann::json::object();
    for (const char* key : {"format", "language", "answer_policy"}) {
      if (record.contains(key)) {
        throw std::invalid_argument(source + ": problem '" + problem.id + "' has a field '" + key +
                                    "', which the suite sets for the graders");
      }
    }
    record["format"] = suite.chat_template;
    record["language"] = suite.language;
    if (suite.grader == "math") record["answer_policy"] = suite.answer_policy;
  }
}

}  // namespace

datasets::Dataset load_suite_problems(const Suite& suite, std::int64_t limit, const std::filesystem::path& data_dir) {
  datasets::Dataset dataset;
  std::string source;
  if (suite.generate_count > 0) {
    if (suite.generator.empty()) {
      throw std::invalid_argument("suite '" + suite.name + "' has no problem generator; it cannot generate problems");
    }
    dataset = datasets::generate_dataset(suite.generator, suite.generate_count, suite.generate_seed);
    source = "generator " + suite.generator;
  } else {
    dataset = datasets::load_dataset(suite.loader, suite.files, data_dir);
    source = (data_dir / suite.files.front()).string();
  }
  dataset.name = suite.name;
  if (limit > 0 && static_cast<std::size_t>(limit) < dataset.problems.size()) {
    if (suite.limit_order == "round_robin") {
      keep_round_robin(dataset.problems, static_cast<std::size_t>(limit));
    } else {
      dataset.problems.resize(static_cast<std::size_t>(limit));
    }
  }
  add_grading_keys(suite, dataset.problems, source);
  return dataset;
}

datasets::Dataset load_suite_problems(const Suite& suite, std::int64_t limit) {
  return load_suite_problems(suite, limit, common::datasets_dir());
}

std::string user_message(const Suite& suite, const datasets::Problem& problem) {
  if (suite.instruction.empty()) return problem.prompt;
  // "after" follows R1's evaluation prompts (problem, newline, instruction), as QwQ's bundled AIME 2025 rows show.
  if (suite.instruction_position == "before") return suite.instruction + "\n\n" + problem.prompt;
  return problem.prompt + "\n" + suite.instruction;
}

}  // namespace r1eval::evals::suites
