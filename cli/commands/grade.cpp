// `r1eval grade`: grades one answer (--gold/--pred) or a JSONL file of rows, printing one JSON verdict per line.
// Rows: {"gold": ..., "pred": "<model output>", "problem": {...}?}; code rows {"task_id": ..., "pred": ...}
// (their task_id reaches the grader as problem.task_id). The math grader reads answers under --policy
// (default "auto") wherever the row's problem names no answer_policy of its own. A malformed row prints an
// error verdict naming its line, the other rows still run, and the command exits 1 at the end.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "common/json_limits.h"
#include "graders/code/code_graders.h"
#include "graders/grader.h"

namespace r1eval::cli {
namespace {

struct GradeOptions {
  std::string grader;
  std::string gold;
  std::string pred;
  std::string jsonl;
  std::string problem;  // JSON object applied to rows that carry none
  std::string policy = "auto";  // the math grader's answer_policy where the problem gives none
  bool unsafe_no_sandbox = false;
};

// ordered_json keeps the documented field order: correct, extracted, outcome, detail.
nlohmann::ordered_json verdict_json(const graders::Verdict& verdict) {
  return {{"correct", verdict.correct},
          {"extracted", verdict.extracted},
          {"outcome", graders::outcome_name(verdict.outcome)},
          {"detail", verdict.detail}};
}

nlohmann::ordered_json error_json(const std::string& message) {
  return {{"correct", false}, {"extracted", nullptr}, {"outcome", "error"}, {"detail", message}};
}

// Builds the request of one JSONL row; throws std::invalid_argument saying what is wrong with it.
graders::GradeRequest request_from_row(const nlohmann::json& row, const nlohmann::json& default_problem) {
  if (!row.is_object()) throw std::invalid_argument("the row is not a JSON object");
  const auto pred = row.find("pred");
  if (pred == row.end()) throw std::invalid_argument("the row has no \"pred\" field");
  if (!pred->is_string()) throw std::invalid_argument("\"pred\" must be a string");
  graders::GradeRequest request;
  request.completion = pred->get<std::string>();
  request.gold = row.value("gold", nlohmann::json());
  if (const auto problem = row.find("problem"); problem != row.end()) {
    request.problem = *problem;
  } else {
    request.problem = default_problem;
  }
  if (const auto task = row.find("task_id"); task != row.end()) {
    if (request.problem.is_null()) request.problem = nlohmann::json::object();
    if (request.problem.is_object()) request.problem["task_id"] = *task;
  }
  return request;
}

// Without a policy the math grader applies its strict "math" preset (a box, else "the answer is"); answers graded
// by hand come in any form, so the command applies --policy instead.
graders::GradeRequest with_policy(graders::GradeRequest request, const GradeOptions& options) {
  if (options.grader != "math") return request;
  if (request.problem.is_null()) request.problem = nlohmann::json::object();
  if (request.problem.is_object() && !request.problem.contains("answer_policy")) {
    request.problem["answer_policy"] = options.policy;
  }
  return request;
}

int run_grade(const GradeOptions& options) {
  const std::unique_ptr<graders::Grader> grader = graders::make_grader(options.grader);
  nlohmann::json default_problem;
  if (!options.problem.empty()) default_problem = common::parse_untrusted_json(options.problem, "--problem");
  if (options.jsonl.empty()) {
    graders::GradeRequest request;
    request.completion = options.pred;
    request.gold = options.gold;
    request.problem = default_problem;
    std::cout << common::dump_json_line(verdict_json(grader->grade(with_policy(std::move(request), options)))) << '\n';
    return 0;
  }
  const bool from_stdin = options.jsonl == "-";
  if (!from_stdin && std::filesystem::is_directory(options.jsonl)) {
    throw std::invalid_argument("--jsonl " + options.jsonl +
                                " is a folder; give a JSONL file, or - for standard input");
  }
  std::ifstream file;
  if (!from_stdin) {
    file.open(options.jsonl, std::ios::binary);
    if (!file) throw std::runtime_error("cannot open --jsonl file '" + options.jsonl + "'");
  }
  std::istream& rows = from_stdin ? std::cin : file;
  std::string line;
  std::size_t line_number = 0;
  std::size_t errors = 0;
  while (std::getline(rows, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      const nlohmann::json row = common::parse_untrusted_json(line, "the row");
      const graders::GradeRequest request = with_policy(request_from_row(row, default_problem), options);
      std::cout << common::dump_json_line(verdict_json(grader->grade(request))) << '\n';
    } catch (const std::exception& e) {
      // Malformed rows and the grader's invalid_argument (e.g. gold missing) both land here; the run goes on.
      ++errors;
      const std::string message = options.jsonl + ":" + std::to_string(line_number) + ": " + e.what();
      std::cerr << "r1eval grade: " << message << '\n';
      std::cout << common::dump_json_line(error_json(message)) << '\n';
    }
  }
  std::cout.flush();
  return errors == 0 ? 0 : 1;
}

}  // namespace

void add_grade_command(CLI::App& app) {
  auto options = std::make_shared<GradeOptions>();
  CLI::App* command = app.add_subcommand("grade", "Grade answers; prints one JSON verdict per line");
  command->add_option("--grader", options->grader, "grader name (" + [] {
    std::string names;
    for (const std::string& name : graders::grader_names()) names += (names.empty() ? "" : ", ") + name;
    return names;
  }() + ")")->required();
  CLI::Option* gold = command->add_option("--gold", options->gold, "the gold answer");
  CLI::Option* pred = command->add_option("--pred", options->pred, "the model output to grade");
  CLI::Option* jsonl =
      command->add_option("--jsonl", options->jsonl, "a JSONL file of {\"gold\", \"pred\"} rows (-: standard input)");
  command->add_option("--problem", options->problem,
                      "JSON problem record for every row without one, e.g. '{\"answer_policy\": \"gsm8k\"}'");
  CLI::Option* policy =
      command
          ->add_option(
              "--policy", options->policy,
              "math grader: answer policy where the problem names none (auto, math, boxed, gsm8k, r1zero, answer_is, "
              "last_number)")
          ->capture_default_str();
  command->add_flag(
      "--unsafe-no-sandbox", options->unsafe_no_sandbox,
      "run model-written code WITHOUT the sandbox (only where the self-check fails and you accept the risk)");
  gold->needs(pred);
  pred->needs(gold);
  jsonl->excludes(gold);
  jsonl->excludes(pred);
  command->callback([options, jsonl, gold, policy] {
    if (jsonl->count() == 0 && gold->count() == 0) {
      throw CLI::ValidationError("grade", "give either --gold and --pred, or --jsonl");
    }
    if (policy->count() > 0 && options->grader != "math") {
      throw CLI::ValidationError("--policy",
                                 "answer policies belong to the math grader, not '" + options->grader + "'");
    }
    if (options->unsafe_no_sandbox) {
      graders::code::CodeGraderSettings settings;
      settings.sandbox.unsafe_no_sandbox = true;
      graders::code::set_code_grader_settings(settings);
    }
    const int status = run_grade(*options);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace r1eval::cli
