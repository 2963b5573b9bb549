// r1eval run --suite NAMES [--model DIR] --db FILE [--samples K] [--limit N] [--max-new-tokens T] [--temperature T]
//            [--top-p P] [--seed S] [--template NAME] [--preset r1-protocol] [--generate N] [--max-batch B]
//            [--activations f32|bf16]
// Evaluates the suites on the embedded engine; re-running the identical command resumes an unfinished run.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/activations_option.h"
#include "cli/commands.h"
#include "cli/metric_table.h"
#include "common/repo_paths.h"
#include "engine/kernels/kernels.h"
#include "evals/runner/engine_backend.h"
#include "evals/runner/interrupt.h"
#include "evals/runner/provenance.h"
#include "evals/runner/runner.h"
#include "evals/suites/suite.h"

namespace r1eval::cli {
namespace {

struct RunCommandOptions {
  evals::runner::RunOptions run;
  std::string suites;
  std::string db;
  std::string preset;
  std::int64_t max_batch = 64;
  std::string activations;
};

// Exit status of an interrupted run: the conventional 128 + SIGINT.
constexpr int kInterruptedExit = 130;

void run_command(RunCommandOptions& o) {
  o.run.suites = split_list(o.suites);
  if (o.preset == "r1-protocol") {
    // The DeepSeek-R1 paper's evaluation: temperature 0.6, top-p 0.95, 32768 tokens, k samples per suite.
    o.run.temperature = 0.6;
    o.run.top_p = 0.95;
    if (o.run.max_new_tokens == 0) o.run.max_new_tokens = 32768;
    o.run.r1_protocol_samples = true;
  } else if (!o.preset.empty()) {
    throw std::invalid_argument("unknown --preset '" + o.preset + "' (the one preset is r1-protocol)");
  }
  evals::runner::EngineBackendOptions backend_options;
  backend_options.scheduler.max_sequences = o.max_batch;
  backend_options.model = model_options_for(o.activations);
  fmt::print(stderr, "loading {}\n", o.run.model);
  evals::runner::EngineBackend backend(o.run.model, backend_options);
  o.run.model_fingerprint = evals::runner::model_fingerprint(o.run.model);
  o.run.backend_identity = {{"engine_prefill_chunk", backend_options.scheduler.prefill_chunk}};
  // bf16 activations change completions, so they make another run; float32 runs keep the identity they always had.
  if (const engine::kernels::MatmulInputs inputs = backend_options.model.matmul_inputs; inputs != engine::kernels::MatmulInputs::Float32) {
    o.run.backend_identity["engine_matmul_inputs"] = engine::kernels::matmul_inputs_name(inputs);
  }
  reports::db::ResultsDb db = reports::db::ResultsDb::open(o.db);

  evals::runner::Progress progress(stderr, isatty(fileno(stderr)) != 0);
  const evals::runner::RunOutcome outcome =
      evals::runner::run_evaluation(o.run, backend, db, progress, evals::runner::install_interrupt_handlers());
  print_metric_table(stdout, outcome.metrics);
  fmt::print("run {}: {} samples ({} generated now, {} found in {})\n", outcome.run_id, outcome.samples_total,
             outcome.samples_generated, outcome.samples_resumed, o.db);
  if (outcome.interrupted) {
    fmt::print(stderr, "interrupted: run the same command again to resume run {}\n", outcome.run_id);
    throw ExitStatus{kInterruptedExit};
  }
  fmt::print(stderr, "report: r1eval report --db {} --run {} --format html\n", o.db, outcome.run_id);
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto o = std::make_shared<RunCommandOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Evaluate suites on a model; the identical command resumes an unfinished run");
  cmd->add_option("--suite", o->suites, "Comma-separated suite names (r1eval suites lists them)")->required();
  o->run.model = common::default_model_dir().string();
  cmd->add_option("--model", o->run.model, "Model directory (Hugging Face layout); default: the bundled toy-arith-r1zero");
  cmd->add_option("--db", o->db, "Results database (SQLite; created when absent)")->required();
  cmd->add_option("--samples", o->run.samples, "Samples per problem (default: each suite's)")->check(CLI::PositiveNumber);
  cmd->add_option("--limit", o->run.limit, "First N problems of each suite (bbh: N in total)")->check(CLI::PositiveNumber);
  cmd->add_option("--max-new-tokens", o->run.max_new_tokens, "Token budget per sample (default: each suite's)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--temperature", o->run.temperature, "Sampling temperature (0: greedy)")->capture_default_str()->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--top-p", o->run.top_p, "Nucleus mass")->capture_default_str()->check(CLI::Range(1e-9, 1.0));
  cmd->add_option("--seed", o->run.seed, "Seed of every sample's RNG stream")->capture_default_str();
  cmd->add_option("--template", o->run.template_name,
                  "Chat template for every suite: r1 (the model's, answer opened with <think>), r1-zero, or a template "
                  "name of the model (default: each suite's)");
  cmd->add_option("--preset", o->preset, "r1-protocol: the R1 paper's sampling, 32768 tokens and k per suite");
  cmd->add_option("--generate", o->run.generate, "Suites with a generator (arith): evaluate N generated problems")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-batch", o->max_batch, "Sequences decoded together")->capture_default_str()->check(CLI::PositiveNumber);
  add_activations_option(*cmd, o->activations);
  cmd->callback([o] { run_command(*o); });
}

}  // namespace r1eval::cli
