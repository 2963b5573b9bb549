// r1eval bench [--model DIR | --synthetic] [--quick] [--prices FILE] [--threads N] [--activations f32|bf16] --db FILE
//
// Wires perf::run_bench() (perf/run_bench.h says what it measures) to the command line: the options, the build's and
// the model's provenance, progress lines with the elapsed time on stderr, and the tables on stdout.
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/activations_option.h"
#include "cli/commands.h"
#include "cli/price_option.h"
#include "cli/validation.h"
#include "common/build_info.h"
#include "common/repo_paths.h"
#include "evals/runner/provenance.h"
#include "perf/bench_tables.h"
#include "perf/run_bench.h"

namespace r1eval::cli {
namespace {

struct BenchArgs {
  std::string model_dir;
  bool synthetic = false;
  bool quick = false;
  std::string prices;
  std::string db;
  int threads = 0;
  std::string activations;
};

void bench_command(const BenchArgs& args) {
  const auto start = std::chrono::steady_clock::now();
  const auto progress = [start](const std::string& line) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print(stderr, "bench: [{:5.1f} s] {}\n", seconds, line);
    std::fflush(stderr);
  };
  if (args.threads > 0) omp_set_num_threads(args.threads);
  // Everything that can fail on bad input is checked before minutes of measurement.
  const perf::BenchOptions options{
      .model_dir = args.model_dir,
      .synthetic = args.synthetic,
      .quick = args.quick,
      .prices = price_table_option(args.prices),
      .model_options = model_options_for(args.activations),
      .build = common::build_info(),
      // A directory that is not there is left to the model's loader, whose error names what is missing.
      .model_fingerprint = !args.synthetic && std::filesystem::is_directory(args.model_dir)
                               ? evals::runner::model_fingerprint(args.model_dir)
                               : nlohmann::json()};

  const perf::BenchOutcome outcome = perf::run_bench(options, args.db, progress);
  fmt::print("{}{}{}", perf::format_ceilings(outcome.cpu, outcome.ceilings),
             perf::format_kernel_table(outcome.kernels), perf::format_throughput_table(outcome.throughput));
  std::fflush(stdout);
  std::size_t kernel_rows = 0;
  for (const auto& m : outcome.kernels) kernel_rows += m.skipped ? 0 : 1;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress(fmt::format("bench {} written to {}: {} kernel rows, {} throughput rows, {:.0f} s", outcome.bench_id,
                       args.db, kernel_rows, outcome.throughput.size(), seconds));
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* command = app.add_subcommand(
      "bench",
      "Kernel microbenchmarks against the machine's measured ceilings, end-to-end throughput and cost per token");
  args->model_dir = common::default_model_dir().string();
  auto* model = command->add_option("--model", args->model_dir,
                                    "Model directory for the throughput runs (default: the bundled toy-arith-r1zero)");
  command->add_flag("--synthetic", args->synthetic, "Run the throughput on a synthetic tiny model made on the spot")
      ->excludes(model);
  command->add_flag("--quick", args->quick, "Fewer and smaller kernel cases and short timings (under 2 minutes)");
  command->add_option("--prices", args->prices,
                      "Price table JSON (default: the built-in benchmarks/prices.json; same keys; -: standard input)");
  command->add_option("--db", args->db, "Results database (SQLite) to write the bench into")->required();
  command->add_option("--threads", args->threads, "OpenMP threads (default: all)")->check(whole_number_from(1, 4096));
  add_activations_option(*command, args->activations);
  command->callback([args] { bench_command(*args); });
}

}  // namespace r1eval::cli
