// r1eval report --db FILE [--run ID] [--grading N] [--format md|html|json] [--baseline RUN|paper:NAME] [--out FILE]
// r1eval compare --db FILE --run A --baseline B|paper:NAME [--grading N] [--alpha 0.05]   (exit 1 on a significant
//   regression)
// r1eval compare --bench --db FILE --run A --baseline B [--alpha 0.05] [--min-change 0.05]   (bench ids; exit 1 on a
//   significant kernel slowdown)
#include <charconv>
#include <cstdio>
#include <fstream>
#include <limits>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/output_path.h"
#include "cli/validation.h"
#include "evals/compare/baseline_comparison.h"
#include "evals/compare/grading_audit.h"
#include "evals/runner/run_suites.h"
#include "evals/suites/suite.h"
#include "perf/bench_comparison.h"
#include "perf/bench_tables.h"
#include "reports/db/results_db.h"
#include "reports/render/render.h"

namespace r1eval::cli {
namespace {

// A run still running or interrupted has only some of its samples: its figures are partial, and a comparison
// against it can show a regression that is only missing work. Said on stderr, so the report itself is unchanged.
void warn_if_partial(const reports::db::RunInfo& run) {
  if (run.status == "finished") return;
  fmt::print(stderr, "warning: run {} is {} (started {}), so its figures cover only the samples stored so far\n",
             run.run_id, run.status, run.started_at);
}

// The run asked for, or the database's latest run.
reports::db::RunInfo choose_run(const reports::db::ResultsDb& db, std::int64_t run_id) {
  if (run_id > 0) {
    auto run = db.find_run(run_id);
    if (!run) throw std::invalid_argument(fmt::format("run {} is not in {}", run_id, db.path().string()));
    return *run;
  }
  const auto runs = db.runs();
  if (runs.empty()) throw std::invalid_argument(db.path().string() + " holds no evaluation run yet");
  return runs.back();
}

// Reading commands open the file read-only: they work on a read-only file or folder and cannot change the results.
reports::db::ResultsDb open_existing(const std::string& path) {
  if (!std::filesystem::exists(path)) throw std::invalid_argument("no results database at " + path);
  return reports::db::ResultsDb::open_read_only(path);
}

struct ReportCommandOptions {
  std::string db;
  std::int64_t run = 0;
  std::string format = "md";
  std::string baseline;
  std::string out;
  std::int64_t grading = 0;  // 0: the latest
};

// The run's suites read back from their files, for the golds and prompts the database does not store; when they
// cannot be (the data changed since the run), why not.
struct RunSuitesRead {
  std::vector<evals::runner::RunSuite> suites;
  std::string missing;
};

RunSuitesRead read_run_suites(const reports::db::RunInfo& run) {
  RunSuitesRead read;
  try {
    read.suites = evals::runner::load_run_suites(run);
  } catch (const std::invalid_argument& e) {
    read.missing = e.what();
  }
  return read;
}

// The grading the report shows, how many the run has, and, with two or more, the audit of the first against the
// latest.
void fill_gradings(const reports::db::ResultsDb& db, std::int64_t grading, const RunSuitesRead& suites,
                   reports::render::ReportData& data) {
  const std::int64_t run_id = data.run.run_id;
  data.gradings = db.latest_grading(run_id);
  data.grading = grading > 0 ? grading : data.gradings;
  data.metrics = db.metrics(run_id, data.grading);
  data.samples = db.samples(run_id, data.grading);
  if (data.gradings < 2) return;
  if (!suites.missing.empty()) fmt::print(stderr, "warning: the audit has no gold answers: {}\n", suites.missing);
  const auto first = db.samples(run_id, 1);
  const auto latest = data.grading == data.gradings ? data.samples : db.samples(run_id, data.gradings);
  data.audit = evals::compare::verdict_differences(first, latest, suites.suites);
}

// Each problem's prompt (the user message the run sent) and gold, for the HTML report's problem pages.
void fill_problem_texts(const RunSuitesRead& read, reports::render::ReportData& data) {
  data.problem_texts_missing = read.missing;
  for (const evals::runner::RunSuite& suite : read.suites) {
    for (const datasets::Problem& problem : suite.data.problems) {
      data.problem_texts.push_back({suite.suite.name, problem.id, evals::suites::user_message(suite.suite, problem),
                                    evals::runner::gold_text(problem)});
    }
  }
}

void report_command(const ReportCommandOptions& o) {
  const reports::render::ReportFormat format = reports::render::parse_report_format(o.format);
  if (!o.out.empty()) refuse_database_target(o.out, o.db);
  const reports::db::ResultsDb db = open_existing(o.db);
  reports::render::ReportData data;
  data.run = choose_run(db, o.run);
  warn_if_partial(data.run);
  // The suites' files are read only where the report needs them: an audit, or the HTML report's problem pages.
  const bool html = format == reports::render::ReportFormat::kHtml;
  const RunSuitesRead suites =
      html || db.latest_grading(data.run.run_id) >= 2 ? read_run_suites(data.run) : RunSuitesRead{};
  fill_gradings(db, o.grading, suites, data);  // the report itself says which grading it shows
  if (html) fill_problem_texts(suites, data);
  if (!o.baseline.empty()) {
    evals::compare::BaselineComparison comparison = evals::compare::compare_with_baseline(
        db, data.run.run_id, o.baseline, evals::metrics::CompareOptions{}, data.grading);
    data.baseline_name = comparison.baseline_name;
    data.comparison = std::move(comparison.rows);
    if (!comparison.error_rate_warning.empty()) fmt::print(stderr, "warning: {}\n", comparison.error_rate_warning);
  }
  const auto benches = db.benches();
  if (!benches.empty()) {
    data.bench = benches.back();
    data.kernels = db.kernel_results(data.bench->bench_id);
    data.throughput = db.throughput(data.bench->bench_id);
  }
  const std::string text = reports::render::render_report(data, format);
  if (o.out.empty() || o.out == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  std::ofstream file(o.out, std::ios::binary);
  file.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!file.flush()) throw std::runtime_error("cannot write the report to " + o.out);
  fmt::print(stderr, "wrote {}\n", o.out);
}

struct CompareCommandOptions {
  std::string db;
  std::int64_t run = 0;
  std::string baseline;
  double alpha = 0.05;
  bool bench = false;
  double min_change = 0.05;
  std::int64_t grading = 0;  // the judged run's grading; 0: the latest
};

std::int64_t parse_bench_id(const std::string& text) {
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) {
    throw std::invalid_argument("--baseline '" + text +
                                "' is not a bench id (with --bench it must be a positive integer)");
  }
  return id;
}

void compare_bench_command(const CompareCommandOptions& o) {
  const reports::db::ResultsDb db = open_existing(o.db);
  const std::int64_t baseline = parse_bench_id(o.baseline);
  const perf::BenchComparison comparison =
      perf::compare_benches(db, o.run, baseline, {.alpha = o.alpha, .min_change = o.min_change});
  fmt::print("bench {} vs bench {} (two-sided Mann-Whitney U over repetitions; a verdict needs p < {:g} and a "
             "median change beyond {:.0f}%)\n{}",
             o.run, baseline, o.alpha, 100.0 * o.min_change, perf::format_bench_comparison(comparison));
  if (perf::has_significant_slowdown(comparison)) throw ExitStatus{1};
}

void compare_command(const CompareCommandOptions& o) {
  if (o.bench) {
    if (o.grading > 0) throw CLI::ValidationError("--grading", "bench runs have no gradings; drop --grading");
    compare_bench_command(o);
    return;
  }
  const reports::db::ResultsDb db = open_existing(o.db);
  for (const std::string& id : {std::to_string(o.run), o.baseline}) {
    std::int64_t run_id = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), run_id);
    if (error != std::errc() || end != id.data() + id.size()) continue;  // paper:NAME
    if (const auto run = db.find_run(run_id)) warn_if_partial(*run);
  }
  evals::metrics::CompareOptions options;
  options.alpha = o.alpha;
  const evals::compare::BaselineComparison comparison =
      evals::compare::compare_with_baseline(db, o.run, o.baseline, options, o.grading);
  if (!comparison.error_rate_warning.empty()) fmt::print(stderr, "warning: {}\n", comparison.error_rate_warning);
  const bool published = o.baseline.rfind("paper:", 0) == 0;  // else a run id, checked by compare_with_baseline
  // Each run's latest grading is compared (r1eval regrade adds gradings); the header says which.
  const auto grading_of = [&db](std::int64_t run_id) { return fmt::format("grading {}", db.latest_grading(run_id)); };
  std::string baseline = comparison.baseline_name;
  if (!published) baseline += fmt::format(" ({})", grading_of(std::stoll(o.baseline)));
  const std::string judged = o.grading > 0 ? fmt::format("grading {}", o.grading) : grading_of(o.run);
  fmt::print("run {} ({}) vs {} ({}, {:.0f}% intervals)\n", o.run, judged, baseline,
             published ? "bootstrap of the run's pass@1 against the published figure"
                       : "paired bootstrap over shared problems",
             100.0 * (1.0 - o.alpha));
  fmt::print("{:<16} {:<8} {:>8} {:>9} {:>9} {:>20} {:>8} {:>7}  {}\n", "suite", "metric", "run", "baseline", "delta",
             "interval", "p", "n", "verdict");
  for (const reports::render::ComparisonRow& r : comparison.rows) {
    const char* verdict = r.significant_regression    ? "REGRESSION"
                          : r.significant_improvement ? "improvement"
                                                      : "no significant change";
    fmt::print("{:<16} {:<8} {:7.1f}% {:8.1f}% {:+8.1f}% {:>20} {:8.4f} {:7}  {}\n", r.suite, r.metric,
               100.0 * r.run_value, 100.0 * r.baseline_value, 100.0 * r.delta,
               fmt::format("[{:+.1f}, {:+.1f}]", 100.0 * r.ci_low, 100.0 * r.ci_high), r.p_value, r.n_shared, verdict);
  }
  if (!comparison.error_rate_warning.empty()) fmt::print("warning: {}\n", comparison.error_rate_warning);
  if (evals::compare::has_significant_regression(comparison)) throw ExitStatus{1};
}

}  // namespace

void add_report_command(CLI::App& app) {
  auto o = std::make_shared<ReportCommandOptions>();
  CLI::App* cmd = app.add_subcommand("report", "Render a run of a results database as Markdown, HTML or JSON");
  cmd->add_option("--db", o->db, "Results database")->required();
  cmd->add_option("--run", o->run, "Run id (default: the latest run)")
      ->check(whole_number_from(1, std::numeric_limits<std::int64_t>::max()));
  cmd->add_option("--format", o->format, "md, html or json")->capture_default_str();
  cmd->add_option("--baseline", o->baseline, "Add a comparison with a run id or paper:NAME");
  cmd->add_option("--out", o->out, "Write to this file instead of standard output (-: standard output)");
  cmd->add_option("--grading", o->grading, "Which grading of the run to show (default: the latest; r1eval regrade)")
      ->check(whole_number_from(1, std::numeric_limits<std::int64_t>::max()));
  cmd->callback([o] { report_command(*o); });
}

void add_compare_command(CLI::App& app) {
  auto o = std::make_shared<CompareCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Compare a run with a baseline run or paper:NAME, or (--bench) a bench run with another; exit 1 on a significant "
      "regression or slowdown (for CI)");
  cmd->add_option("--db", o->db, "Results database")->required();
  cmd->add_option("--run", o->run, "The run (with --bench: the bench id) to judge")
      ->required()
      ->check(whole_number_from(1, std::numeric_limits<std::int64_t>::max()));
  cmd->add_option("--baseline", o->baseline, "A run id of the same database, or paper:NAME (with --bench: a bench id)")
      ->required();
  cmd->add_option("--alpha", o->alpha, "Significance level")->capture_default_str()->check(number_from(1e-6, 0.5));
  cmd->add_flag("--bench", o->bench, "Compare two bench runs (r1eval bench) kernel by kernel");
  cmd->add_option("--min-change", o->min_change,
                  "With --bench: a slowdown or improvement also needs the median to change by more than this fraction")
      ->capture_default_str()
      ->check(number_from(0.0, 10.0));
  cmd->add_option("--grading", o->grading,
                  "Judge this grading of the run (default: its latest; a baseline run is always at its latest)")
      ->check(whole_number_from(1, std::numeric_limits<std::int64_t>::max()));
  cmd->callback([o] { compare_command(*o); });
}

}  // namespace r1eval::cli
