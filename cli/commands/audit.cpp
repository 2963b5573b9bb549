// r1eval audit --db FILE --run ID [--grading A --grading B | --grader X --grader Y] [--format table|json]
// Lists the samples whose verdicts differ between two gradings of a run (default: its first and its latest), or
// between two graders applied in memory to its stored completions (nothing is written), with both extracted
// answers and the gold side by side. Read-only.
#include <filesystem>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/validation.h"
#include "common/json_limits.h"
#include "evals/compare/grading_audit.h"
#include "evals/runner/regrade.h"
#include "graders/grader.h"
#include "reports/db/results_db.h"

namespace r1eval::cli {
namespace {

struct AuditCommandOptions {
  std::string db;
  std::int64_t run = 0;
  std::vector<std::int64_t> gradings;
  std::vector<std::string> graders;
  std::string format = "table";
};

// Answers are free text: one line, cut to `width` characters (the JSON output has them whole).
std::string cell(const std::string& text, std::size_t width) {
  std::string line;
  for (const char c : text) line += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (line.size() <= width) return line;
  std::size_t cut = width - 3;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return line.substr(0, cut) + "...";
}

std::string verdict(bool correct, int outcome) {
  return fmt::format("{} {}", correct ? "right" : "wrong",
                     graders::outcome_name(static_cast<graders::Outcome>(outcome)));
}

void print_table(const std::vector<reports::render::VerdictDifference>& differences, const std::string& a,
                 const std::string& b) {
  fmt::print("{:<12} {:<20} {:>6}  {:<22} {:<24} {:<22} {:<24} {}\n", "suite", "problem", "sample", a + " verdict",
             a + " answer", b + " verdict", b + " answer", "gold");
  for (const auto& d : differences) {
    fmt::print("{:<12} {:<20} {:>6}  {:<22} {:<24} {:<22} {:<24} {}\n", cell(d.suite, 12), cell(d.problem_id, 20),
               d.sample_index, verdict(d.correct_a, d.outcome_a), cell(d.extracted_a, 24),
               verdict(d.correct_b, d.outcome_b), cell(d.extracted_b, 24), cell(d.gold, 40));
  }
}

nlohmann::ordered_json side_json(bool correct, int outcome, const std::string& extracted) {
  return {{"correct", correct},
          {"outcome", graders::outcome_name(static_cast<graders::Outcome>(outcome))},
          {"extracted", extracted}};
}

void print_json(const std::vector<reports::render::VerdictDifference>& differences, std::int64_t run,
                const nlohmann::ordered_json& a, const nlohmann::ordered_json& b) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& d : differences) {
    rows.push_back({{"suite", d.suite},
                    {"problem_id", d.problem_id},
                    {"sample_index", d.sample_index},
                    {"a", side_json(d.correct_a, d.outcome_a, d.extracted_a)},
                    {"b", side_json(d.correct_b, d.outcome_b, d.extracted_b)},
                    {"gold", d.gold}});
  }
  const nlohmann::ordered_json out = {{"run", run}, {"a", a}, {"b", b}, {"differences", rows}};
  fmt::print("{}\n", common::dump_json_line(out));
}

evals::runner::RegradeOptions grader_only(const std::string& grader) {
  evals::runner::RegradeOptions options;
  options.grader = grader;
  return options;
}

void audit_command(const AuditCommandOptions& o) {
  if (o.format != "table" && o.format != "json") {
    throw CLI::ValidationError("--format", "'" + o.format + "' is not one of table, json");
  }
  if (!o.gradings.empty() && o.gradings.size() != 2) {
    throw CLI::ValidationError("--grading", "give --grading twice (A and B), or not at all");
  }
  if (!o.graders.empty() && o.graders.size() != 2) {
    throw CLI::ValidationError("--grader", "give --grader twice (X and Y), or not at all");
  }
  for (const std::string& grader : o.graders) {
    try {
      evals::runner::validate_regrade_options(grader_only(grader));
    } catch (const std::invalid_argument& e) {
      throw CLI::ValidationError("--grader", e.what());
    }
  }
  if (!std::filesystem::exists(o.db)) throw std::invalid_argument("no results database at " + o.db);
  const reports::db::ResultsDb db = reports::db::ResultsDb::open_read_only(o.db);
  const auto run = db.find_run(o.run);
  if (!run) throw std::invalid_argument(fmt::format("run {} is not in {}", o.run, o.db));

  std::vector<evals::runner::RunSuite> suites;
  std::vector<reports::db::SampleRow> a;
  std::vector<reports::db::SampleRow> b;
  nlohmann::ordered_json a_json;
  nlohmann::ordered_json b_json;
  std::string a_name;
  std::string b_name;
  if (!o.graders.empty()) {
    suites = evals::runner::load_run_suites(*run);  // the graders need the golds: no way around it here
    std::vector<reports::db::SampleRow> stored = db.samples(o.run, 1);
    a = evals::runner::grade_again(stored, suites, grader_only(o.graders[0]));
    b = evals::runner::grade_again(std::move(stored), suites, grader_only(o.graders[1]));
    a_json = {{"grader", o.graders[0]}};
    b_json = {{"grader", o.graders[1]}};
    a_name = o.graders[0];
    b_name = o.graders[1];
  } else {
    const std::int64_t first = o.gradings.empty() ? 1 : o.gradings[0];
    const std::int64_t second = o.gradings.empty() ? db.latest_grading(o.run) : o.gradings[1];
    a = db.samples(o.run, first);
    b = db.samples(o.run, second);
    a_json = {{"grading", first}};
    b_json = {{"grading", second}};
    a_name = fmt::format("grading {}", first);
    b_name = fmt::format("grading {}", second);
    try {
      suites = evals::runner::load_run_suites(*run);
    } catch (const std::invalid_argument& e) {
      // The verdicts are stored; only the gold column needs the suite data, so it is left empty, and said why.
      fmt::print(stderr, "warning: no gold answers: {}\n", e.what());
    }
  }
  const auto differences = evals::compare::verdict_differences(a, b, suites);
  if (o.format == "json") {
    print_json(differences, o.run, a_json, b_json);
  } else {
    print_table(differences, a_name, b_name);
  }
  fmt::print(stderr, "run {}: {} of {} samples have a different verdict under {} and {}\n", o.run, differences.size(),
             a.size(), a_name, b_name);
}

}  // namespace

void add_audit_command(CLI::App& app) {
  auto o = std::make_shared<AuditCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "audit", "List the samples of a run whose verdicts differ between two gradings or two graders");
  cmd->add_option("--db", o->db, "Results database")->required();
  cmd->add_option("--run", o->run, "Run id")
      ->required()
      ->check(whole_number_from(1, std::numeric_limits<std::int64_t>::max()));
  CLI::Option* gradings =
      cmd->add_option("--grading", o->gradings, "A grading number; give two (default: the first and the latest)")
          ->check(whole_number_from(1, std::numeric_limits<std::int64_t>::max()));
  CLI::Option* graders =
      cmd->add_option("--grader", o->graders, "Grade in memory with this grader; give two (nothing is written)");
  gradings->excludes(graders);
  cmd->add_option("--format", o->format, "table or json")->capture_default_str();
  cmd->callback([o] { audit_command(*o); });
}

}  // namespace r1eval::cli
