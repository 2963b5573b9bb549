#include "evals/runner/run_suites.h"

#include <stdexcept>

#include <fmt/format.h>

namespace r1eval::evals::runner {
namespace {

std::string text_field(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::int64_t integer_field(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_number_integer() ? found->get<std::int64_t>() : 0;
}

}  // namespace

const datasets::Problem* RunSuite::find(const std::string& problem_id) const {
  const auto found = problem_index.find(problem_id);
  return found == problem_index.end() ? nullptr : &data.problems[found->second];
}

std::vector<RunSuite> load_run_suites(const reports::db::RunInfo& run) {
  const nlohmann::json* listed = nullptr;
  if (run.provenance.is_object() && run.provenance.contains("identity") && run.provenance["identity"].is_object() &&
      run.provenance["identity"].contains("suites")) {
    listed = &run.provenance["identity"]["suites"];
  }
  if (listed == nullptr || !listed->is_array()) {
    throw std::invalid_argument(
        fmt::format("run {} records no suites in its provenance, so its problems cannot be read back", run.run_id));
  }
  std::vector<RunSuite> loaded;
  for (const nlohmann::json& entry : *listed) {
    if (!entry.is_object()) continue;
    RunSuite r;
    r.suite = suites::find_suite(text_field(entry, "name"));
    r.template_name = text_field(entry, "template");
    r.grader = text_field(entry, "grader");
    const std::string hash = text_field(entry, "data");
    r.data = suites::load_suite_problems(r.suite, integer_field(entry, "limit"));
    if (r.data.content_hash != hash && !r.suite.generator.empty()) {
      // A run with --generate N drew its problems from the generator with the run's seed; the identity keeps N as
      // the problem count.
      r.suite.generate_count = integer_field(entry, "problems");
      r.suite.generate_seed = run.seed;
      r.data = suites::load_suite_problems(r.suite, integer_field(entry, "limit"));
    }
    if (r.data.content_hash != hash) {
      throw std::invalid_argument(fmt::format(
          "the data of suite '{}' changed since run {} (its hash was {}, it is now {}), so the run's problems and "
          "gold answers cannot be read back",
          r.suite.name, run.run_id, hash, r.data.content_hash));
    }
    if (r.template_name.empty()) r.template_name = r.suite.chat_template;
    if (r.grader.empty()) r.grader = r.suite.grader;
    for (std::size_t i = 0; i < r.data.problems.size(); ++i) r.problem_index.emplace(r.data.problems[i].id, i);
    loaded.push_back(std::move(r));
  }
  return loaded;
}

std::string gold_text(const datasets::Problem& problem) {
  return problem.gold.is_string() ? problem.gold.get<std::string>() : problem.gold.dump();
}

}  // namespace r1eval::evals::runner
