// `r1eval run`: evaluates suites through a backend, grades completions as they arrive, writes them to the results
// database in batches, and ends with the run's metrics.
//
// Resuming: a run is identified by a key over everything that decides its completions (model files, suites and
// their data hashes, samples, limits, sampling, seed, templates, the engine's prefill chunk). The identical command
// finds the run, skips the samples already stored and generates only the missing ones and those stored as
// not_generated (whose rows the new ones replace). Every sample draws from
// its own RNG stream, derived from (suite, problem id, sample index), and the engine is batch-invariant, so the
// resumed run's rows equal an uninterrupted run's.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evals/metrics/cost_metrics.h"
#include "evals/runner/backend.h"
#include "evals/runner/progress.h"
#include "graders/grader.h"
#include "reports/db/results_db.h"

namespace r1eval::evals::runner {

struct RunOptions {
  std::vector<std::string> suites;   // names, each optionally with its own problem limit: "arith:100"
  std::string model;                 // recorded as given
  nlohmann::json model_fingerprint;  // part of the run's identity (provenance.h)
  nlohmann::json backend_identity;   // backend settings that change completions (engine: prefill chunk)
  std::string template_name;         // empty: each suite's own template
  std::int64_t samples = 0;          // 0: each suite's default (or its R1-paper k with r1_protocol_samples)
  bool r1_protocol_samples = false;
  std::int64_t limit = 0;            // problems per suite without a limit of its own; 0: every problem
  std::int64_t max_new_tokens = 0;   // 0: each suite's budget
  double temperature = 0.6;
  double top_p = 0.95;
  std::uint64_t seed = 0;
  std::int64_t generate = 0;         // for suites with a problem generator (arith): this many generated problems
  std::int64_t write_batch = 32;     // rows per database transaction
  std::int64_t max_consecutive_failures = 20;  // samples the backend gave up on in a row before the run stops
  // Makes each suite's grader from its name; empty: graders::make_grader. Not part of the run's identity (the
  // grader's name and version are), so tests can wrap a grader to inject failures into a run.
  std::function<std::unique_ptr<graders::Grader>(const std::string& name)> grader_factory;
  // Token prices for the run's cost metrics (evals/metrics/cost_metrics.h); none: the prices the run's metrics
  // already carry, if any. Not part of the run's identity.
  std::optional<metrics::TokenPrices> prices;
};

struct RunOutcome {
  std::int64_t run_id = 0;
  bool interrupted = false;
  std::int64_t samples_total = 0;
  std::int64_t samples_resumed = 0;    // found in the database
  std::int64_t samples_generated = 0;  // by this invocation
  // Samples the backend gave up on (an endpoint that never answered): stored as not_generated (never scored,
  // counted in error_rate), and resuming requests them again.
  std::int64_t samples_failed = 0;
  std::string last_failure;             // the backend's reason for the latest of them
  bool stopped_after_failures = false;  // max_consecutive_failures in a row ended the run early
  // Samples the backend could not take (a prompt past the model's context) or stopped on non-finite logits:
  // stored as not_generated, so they are never scored, and the next identical command tries them again.
  std::int64_t samples_not_generated = 0;
  std::string not_generated_reason;  // the backend's sentence for the first of them
  // Samples that ran with a smaller budget than asked, as the model's context left less after the prompt.
  std::int64_t samples_clamped = 0;
  std::int64_t smallest_budget = 0;  // the smallest such budget
  std::vector<reports::db::MetricRow> metrics;
};

// The RNG stream of one sample: a stable hash of (suite, problem id, sample index).
std::uint64_t sample_stream(const std::string& suite, const std::string& problem_id, std::int64_t sample_index);

// Throws std::invalid_argument, as run_evaluation would, for unknown suites, bad suite entries or bad options;
// loads the suites' problems but touches no database or backend, so a command can check before creating either.
void validate_run_options(const RunOptions& options);

// Throws std::invalid_argument for unknown suites or bad options, reports::db::DbError for database failures.
RunOutcome run_evaluation(const RunOptions& options, Backend& backend, reports::db::ResultsDb& db, Progress& progress,
                          const std::atomic<bool>& stop_requested);

// Recomputes and stores the metrics of a run from its rows (the runner does this at the end of every run), with
// its cost at `prices`, or at the prices its stored metrics carry when none are given.
std::vector<reports::db::MetricRow> update_run_metrics(reports::db::ResultsDb& db, std::int64_t run_id,
                                                       std::optional<metrics::TokenPrices> prices = std::nullopt);

}  // namespace r1eval::evals::runner
