// r1eval regrade --db FILE --run ID [--grader NAME] [--policy P] [--threads N]
// Grades every stored completion of a run again with today's graders into the run's next grading; nothing is
// regenerated. Progress on stderr; the new grading's metric table on stdout.
#include <chrono>
#include <filesystem>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/metric_table.h"
#include "cli/validation.h"
#include "evals/runner/regrade.h"
#include "reports/db/results_db.h"

namespace r1eval::cli {
namespace {

struct RegradeCommandOptions {
  std::string db;
  std::int64_t run = 0;
  evals::runner::RegradeOptions regrade;
};

void regrade_command(RegradeCommandOptions& o) {
  // Every argument is checked before the file is opened for writing (which may migrate it).
  try {
    evals::runner::validate_regrade_options(o.regrade);
  } catch (const std::invalid_argument& e) {
    throw CLI::ValidationError(o.regrade.policy.empty() ? "--grader" : "--policy", e.what());
  }
  if (!std::filesystem::is_regular_file(o.db)) throw std::invalid_argument("no results database at " + o.db);
  reports::db::ResultsDb db = reports::db::ResultsDb::open(o.db);
  const auto start = std::chrono::steady_clock::now();
  o.regrade.on_progress = [](std::int64_t done, std::int64_t total) {
    fmt::print(stderr, "\rregrade: {}/{} samples graded", done, total);
    if (done == total) fmt::print(stderr, "\n");
  };
  const evals::runner::RegradeOutcome outcome = evals::runner::regrade_run(db, o.run, o.regrade);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print(stderr, "run {}: grading {} stored ({} samples in {:.1f} s, {} with a verdict other than grading 1's)\n",
             o.run, outcome.grading.number, outcome.samples, seconds, outcome.changed);
  fmt::print("run {}, grading {}\n", o.run, outcome.grading.number);
  print_metric_table(stdout, outcome.metrics);
}

}  // namespace

void add_regrade_command(CLI::App& app) {
  auto o = std::make_shared<RegradeCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "regrade", "Grade a run's stored completions again with today's graders, as a new grading of the run");
  cmd->add_option("--db", o->db, "Results database")->required();
  cmd->add_option("--run", o->run, "Run id")
      ->required()
      ->check(whole_number_from(1, std::numeric_limits<std::int64_t>::max()));
  cmd->add_option("--grader", o->regrade.grader, "Grade every suite with this grader (default: each suite's own)");
  cmd->add_option("--policy", o->regrade.policy,
                  "Math grader: read answers under this policy instead of each suite's own (auto, math, boxed, gsm8k, "
                  "r1zero, answer_is, last_number)");
  cmd->add_option("--threads", o->regrade.threads, "Grading threads (default: the machine's cores)")
      ->check(whole_number_from(1, 1024));
  cmd->callback([o] { regrade_command(*o); });
}

}  // namespace r1eval::cli
