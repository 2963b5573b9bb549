// `r1eval bench`: the one entry point of the benchmark harness, as evals::runner::run_evaluation() is of an evaluation.
// Measures the machine's ceilings, times every kernel case against them (roofline %), measures the engine's
// end-to-end prefill and decode throughput on a model, prices every throughput per million tokens, adds the
// projection of the real R1 on GPUs and the API price as a reference, and stores all of it as one bench in the
// results database.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/model/model.h"
#include "perf/ceilings.h"
#include "perf/cost.h"
#include "perf/cpu_info.h"
#include "perf/kernel_runner.h"
#include "reports/db/results_db.h"

namespace r1eval::perf {

struct BenchOptions {
  std::filesystem::path model_dir;  // the throughput model; unused with `synthetic`
  bool synthetic = false;           // a tiny synthetic model written to a temporary directory instead
  bool quick = false;               // fewer and smaller kernel cases, short timings
  PriceTable prices;
  engine::model::ModelOptions model_options;
  nlohmann::json build;              // the build's provenance, recorded with the bench
  nlohmann::json model_fingerprint;  // the model directory's identity; a synthetic model records its preset and seed
};

struct BenchOutcome {
  std::int64_t bench_id = 0;
  std::string model_name;  // as stored in the throughput rows
  CpuInfo cpu;
  MachineCeilings ceilings;
  std::vector<KernelMeasurement> kernels;         // skipped cases included, with their reason
  std::vector<reports::db::ThroughputRow> throughput;  // measured, projected and reference rows, as stored
};

using BenchProgress = std::function<void(const std::string& line)>;

// Runs the whole bench (minutes; about one with `quick`) and stores it in the results database at `db_path`, opened
// once the model has loaded and before the measuring starts, so a bad model never creates a database and a bad
// database never costs the minutes of measuring. Throws engine::weights::LoadError for a model that cannot be loaded,
// std::invalid_argument for options the model cannot take, reports::db::DbError for database failures; nothing is
// stored unless every measurement finished.
BenchOutcome run_bench(const BenchOptions& options, const std::filesystem::path& db_path,
                       const BenchProgress& progress = {});

}  // namespace r1eval::perf
