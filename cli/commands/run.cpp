// r1eval run --suite NAMES [--model DIR] --db FILE [--samples K] [--limit N] [--max-new-tokens T] [--temperature T]
//            [--top-p P] [--seed S] [--template NAME] [--preset r1-protocol] [--generate N] [--max-batch B]
//            [--activations f32|bf16] [--backend engine|openai] [endpoint options: cli/endpoint_options.h]
//            [--price-in USD --price-out USD | --prices FILE]
// Evaluates the suites on the embedded engine or an OpenAI-compatible endpoint; re-running the identical command
// resumes an unfinished run.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/activations_option.h"
#include "cli/commands.h"
#include "cli/endpoint_options.h"
#include "cli/metric_table.h"
#include "cli/price_option.h"
#include "cli/validation.h"
#include "common/repo_paths.h"
#include "engine/kernels/kernels.h"
#include "evals/metrics/run_metrics.h"
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
  std::string backend = "engine";
  EndpointOptions endpoint;
  RunPrices prices;
};

// Upper bounds of the counting options: far past any real use, low enough that a typo is caught at the door.
constexpr std::int64_t kMaxSamples = 100000;
constexpr std::int64_t kMaxCount = 1000000000;
constexpr std::int64_t kMaxBatch = 4096;

// Exit status of an interrupted run: the conventional 128 + SIGINT.
constexpr int kInterruptedExit = 130;
// Exit status of a run with samples the backend never answered.
constexpr int kFailedSamplesExit = 3;

// The run's total cost, from its "all" row.
double total_cost_usd(const std::vector<reports::db::MetricRow>& metrics) {
  for (const reports::db::MetricRow& m : metrics) {
    if (m.suite == evals::metrics::kAllSuites && m.metric == "cost_usd") return m.value;
  }
  return 0.0;
}

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
  // Before the model loads and the database is created: a mistyped suite costs nothing and leaves no file behind.
  evals::runner::validate_run_options(o.run);
  const std::optional<ChosenPrices> prices =
      choose_run_prices(o.prices, o.backend == "openai" ? o.endpoint.backend.served_model : "");
  if (prices) o.run.prices = prices->prices;
  std::unique_ptr<evals::runner::Backend> backend;
  if (o.backend == "openai") {
    backend = make_endpoint_backend(o.endpoint, o.run);
  } else {
    evals::runner::EngineBackendOptions backend_options;
    backend_options.scheduler.max_sequences = o.max_batch;
    backend_options.model = model_options_for(o.activations);
    fmt::print(stderr, "loading {}\n", o.run.model);
    backend = std::make_unique<evals::runner::EngineBackend>(o.run.model, backend_options);
    o.run.model_fingerprint = evals::runner::model_fingerprint(o.run.model);
    o.run.backend_identity = {{"engine_prefill_chunk", backend_options.scheduler.prefill_chunk}};
    // bf16 activations change completions, so they make another run; float32 runs keep the identity they had.
    const engine::kernels::MatmulInputs inputs = backend_options.model.matmul_inputs;
    if (inputs != engine::kernels::MatmulInputs::Float32) {
      o.run.backend_identity["engine_matmul_inputs"] = engine::kernels::matmul_inputs_name(inputs);
    }
  }
  reports::db::ResultsDb db = reports::db::ResultsDb::open(o.db);

  evals::runner::Progress progress(stderr, isatty(fileno(stderr)) != 0);
  const evals::runner::RunOutcome outcome =
      evals::runner::run_evaluation(o.run, *backend, db, progress, evals::runner::install_interrupt_handlers());
  print_metric_table(stdout, outcome.metrics);
  fmt::print("run {}: {} samples ({} generated now, {} found in {})\n", outcome.run_id, outcome.samples_total,
             outcome.samples_generated, outcome.samples_resumed, o.db);
  if (prices) {
    fmt::print("cost ${:.4f} at ${} in / ${} out per million tokens: {}\n", total_cost_usd(outcome.metrics),
               prices->prices.input_usd_per_mtok, prices->prices.output_usd_per_mtok, prices->basis);
  }
  if (outcome.samples_clamped > 0) {
    fmt::print(stderr,
               "warning: {} samples ran with a budget clamped to as few as {} tokens, all the model's context "
               "leaves after their prompts\n",
               outcome.samples_clamped, outcome.smallest_budget);
  }
  if (outcome.interrupted) {
    fmt::print(stderr, "interrupted: run the same command again to resume run {}\n", outcome.run_id);
    throw ExitStatus{kInterruptedExit};
  }
  if (outcome.samples_failed > 0) {
    fmt::print(stderr,
               "{} samples failed{} and are stored as not_generated, not scored (last: {}); run the same command "
               "again to retry them\n",
               outcome.samples_failed,
               outcome.stopped_after_failures ? ", the run stopped after too many in a row" : "", outcome.last_failure);
    throw ExitStatus{kFailedSamplesExit};
  }
  if (outcome.samples_not_generated > 0) {
    fmt::print(stderr,
               "r1eval: error: {} samples were not generated: they are stored as not_generated and not scored "
               "({}); the same command tries them again\n",
               outcome.samples_not_generated, outcome.not_generated_reason);
    throw ExitStatus{1};
  }
  fmt::print(stderr, "report: r1eval report --db {} --run {} --format html\n", o.db, outcome.run_id);
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto o = std::make_shared<RunCommandOptions>();
  CLI::App* cmd =
      app.add_subcommand("run", "Evaluate suites on a model; the identical command resumes an unfinished run");
  cmd->add_option("--suite", o->suites, "Comma-separated suite names (r1eval suites lists them)")->required();
  o->run.model = common::default_model_dir().string();
  cmd->add_option("--model", o->run.model,
                  "Model directory (Hugging Face layout); default: the bundled toy-arith-r1zero");
  cmd->add_option("--db", o->db, "Results database (SQLite; created when absent)")->required();
  cmd->add_option("--samples", o->run.samples, "Samples per problem (default: each suite's)")
      ->check(whole_number_from(1, kMaxSamples));
  cmd->add_option("--limit", o->run.limit, "First N problems of each suite (bbh: N in total)")
      ->check(whole_number_from(1, kMaxCount));
  cmd->add_option("--max-new-tokens", o->run.max_new_tokens, "Token budget per sample (default: each suite's)")
      ->check(whole_number_from(1, kMaxCount));
  cmd->add_option("--temperature", o->run.temperature, "Sampling temperature (0: greedy)")
      ->capture_default_str()
      ->check(number_from(0.0, 100.0));
  cmd->add_option("--top-p", o->run.top_p, "Nucleus mass")->capture_default_str()->check(number_above(0.0, 1.0));
  cmd->add_option("--seed", o->run.seed, "Seed of every sample's RNG stream")
      ->capture_default_str()
      ->check(seed_number());
  cmd->add_option("--template", o->run.template_name,
                  "Chat template for every suite: r1 (the model's, answer opened with <think>), r1-zero, or a template "
                  "name of the model (default: each suite's)");
  cmd->add_option("--preset", o->preset, "r1-protocol: the R1 paper's sampling, 32768 tokens and k per suite");
  cmd->add_option("--generate", o->run.generate, "Suites with a generator (arith): evaluate N generated problems")
      ->check(whole_number_from(1, kMaxCount));
  cmd->add_option("--max-batch", o->max_batch, "Sequences decoded together")
      ->capture_default_str()
      ->check(whole_number_from(1, kMaxBatch));
  add_activations_option(*cmd, o->activations);
  cmd->add_option("--backend", o->backend, "engine (the embedded engine) or openai (an OpenAI-compatible endpoint)")
      ->capture_default_str()
      ->check(CLI::IsMember({"engine", "openai"}));
  add_endpoint_options(*cmd, o->endpoint);
  const char* cost = "Cost";
  CLI::Option* price_in =
      cmd->add_option("--price-in", o->prices.input_usd_per_mtok, "Dollars per million prompt tokens, for the cost")
          ->check(number_from(0.0, 1e6))
          ->group(cost);
  CLI::Option* price_out = cmd->add_option("--price-out", o->prices.output_usd_per_mtok,
                                           "Dollars per million completion tokens (reasoning included), for the cost")
                               ->check(number_from(0.0, 1e6))
                               ->group(cost);
  price_in->needs(price_out);
  price_out->needs(price_in);
  cmd->add_option("--prices", o->prices.table,
                  "Price table whose endpoint_models give the served model's prices (default: the built-in "
                  "benchmarks/prices.json; -: standard input)")
      ->group(cost);
  cmd->callback([o] { run_command(*o); });
}

}  // namespace r1eval::cli
