#include "perf/run_bench.h"

#include <omp.h>
#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "common/repo_paths.h"
#include "common/utc_time.h"
#include "engine/kernels/kernel_variants.h"
#include "engine/synth/synthetic_checkpoint.h"
#include "engine/tokenizer/tokenizer.h"
#include "perf/case_fixtures.h"
#include "perf/kernel_cases.h"
#include "perf/projection.h"
#include "perf/r1_config.h"
#include "perf/throughput.h"

namespace r1eval::perf {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kSyntheticSeed = 1;

// A directory under the system temp dir, removed with everything in it when this goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "r1eval-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a temporary directory for the synthetic model under " +
                               fs::temp_directory_path().string() + ".");
    }
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string load_average() {
  std::ifstream file("/proc/loadavg");
  std::string line;
  std::getline(file, line);
  return line;
}

// The tokenizer for the tokenizer_encode case: the model's own, else the bundled one, else none (case skipped).
std::optional<engine::tokenizer::Tokenizer> find_tokenizer(const fs::path& model_dir, const BenchProgress& progress) {
  try {
    if (auto tok = engine::tokenizer::Tokenizer::load(model_dir)) return tok;
    return engine::tokenizer::Tokenizer::load(common::default_tokenizer_dir());
  } catch (const std::exception& e) {
    progress(std::string("no tokenizer for the encode case: ") + e.what());
    return std::nullopt;
  }
}

std::vector<KernelMeasurement> measure_kernels(const BenchOptions& options, const CpuInfo& cpu,
                                               const MachineCeilings& ceilings, const engine::tokenizer::Tokenizer* tok,
                                               const BenchProgress& progress) {
  const std::vector<KernelCase> cases = kernel_cases(options.quick ? CaseSet::Quick : CaseSet::Full);
  WeightPool pool;
  TimingOptions timing;
  timing.target_seconds = options.quick ? 0.1 : 0.3;
  timing.batches = options.quick ? 5 : 9;  // repetitions for `r1eval compare --bench`'s U test
  timing.min_repetitions = timing.batches;
  timing.max_cold_calls = options.quick ? 15 : 100;  // each cold call also pays a 3 × LLC flush
  timing.llc_bytes = cpu.llc_bytes;
  return run_kernel_cases(cases, ceilings, CaseResources{.weights = &pool, .tokenizer = tok}, timing, progress);
}

std::vector<ThroughputMeasurement> measure_engine(const BenchOptions& options, engine::model::Model& model,
                                                  const engine::tokenizer::Tokenizer* tok,
                                                  const BenchProgress& progress) {
  ThroughputOptions throughput;
  throughput.prompt_tokens = options.quick ? 64 : 256;
  throughput.decode_tokens = options.quick ? 16 : 64;
  throughput.long_context = options.quick ? 512 : 4096;
  throughput.long_decode_tokens = options.quick ? 8 : 32;
  throughput.long_context =
      std::min(throughput.long_context, model.config().max_position_embeddings - throughput.long_decode_tokens);
  if (tok != nullptr) {
    throughput.sampleable_vocab = std::min<std::int64_t>(tok->vocab_size(), model.config().vocab_size);
  }
  return measure_throughput(model, throughput, progress);
}

// The stored throughput rows: the measured ones priced at the CPU cores the engine ran on, then the R1 projection
// on GPUs, then the API's list price as a reference.
std::vector<reports::db::ThroughputRow> priced_throughput(const std::vector<ThroughputMeasurement>& measured,
                                                          const std::string& model_name, const PriceTable& prices) {
  const int cores = omp_get_max_threads();
  const double cpu_usd_per_hour = prices.cpu.usd_per_core_hour * cores;
  const std::string cpu_basis = fmt::format("measured; {} cores x ${}/core-h ({}, {}, list price as of {})", cores,
                                            prices.cpu.usd_per_core_hour, prices.cpu.basis, prices.cpu.source,
                                            prices.cpu.as_of);
  std::vector<reports::db::ThroughputRow> rows;
  for (const auto& m : measured) {
    rows.push_back(reports::db::ThroughputRow{
        .model = model_name,
        .phase = m.phase,
        .batch = m.batch,
        .context = m.context,
        .tokens_per_s = m.tokens_per_s,
        .cost_per_mtok_usd = m.tokens_per_s > 0 ? cost_per_mtok_usd(cpu_usd_per_hour, m.tokens_per_s) : 0.0,
        .price_basis = cpu_basis});
  }
  for (const auto& p : project_throughput(deepseek_r1_config(), prices)) {
    rows.push_back(reports::db::ThroughputRow{.model = fmt::format("DeepSeek-R1 671B on {}x{}", p.gpus, p.gpu),
                                              .phase = p.phase,
                                              .batch = p.batch,
                                              .context = p.context,
                                              .tokens_per_s = p.tokens_per_s,
                                              .cost_per_mtok_usd = p.usd_per_mtok,
                                              .price_basis = p.basis,
                                              .projection = true});
  }
  for (const bool output : {false, true}) {
    rows.push_back(reports::db::ThroughputRow{
        .model = prices.api.name,
        .phase = output ? "decode" : "prefill",
        .cost_per_mtok_usd = output ? prices.api.output_usd_per_mtok : prices.api.input_usd_per_mtok,
        .price_basis =
            fmt::format("reference: API list price per M {} ({}, {})",
                        output ? "output tokens" : prices.api.input_basis, prices.api.source, prices.api.as_of)});
  }
  return rows;
}

std::vector<reports::db::KernelResultRow> kernel_rows(const std::vector<KernelMeasurement>& measured,
                                                      std::int64_t bench_id) {
  std::vector<reports::db::KernelResultRow> rows;
  for (const auto& m : measured) {
    if (m.skipped) continue;
    rows.push_back(reports::db::KernelResultRow{.bench_id = bench_id,
                                                .kernel = m.kernel,
                                                .shape = m.shape,
                                                .dtype = m.dtype,
                                                .backend = m.backend,
                                                .seconds = m.timing.seconds,
                                                .gflops = m.gflops,
                                                .gbps = m.gbps,
                                                .roofline_pct = m.roofline_pct,
                                                .repetitions = m.timing.samples,
                                                .repetition_seconds = m.timing.repetition_seconds});
  }
  return rows;
}

}  // namespace

BenchOutcome run_bench(const BenchOptions& options, const fs::path& db_path, const BenchProgress& progress_callback) {
  const BenchProgress progress = progress_callback ? progress_callback : [](const std::string&) {};
  const std::string started_at = common::utc_timestamp();
  BenchOutcome outcome;

  std::optional<TempDir> temp;
  fs::path model_dir = options.model_dir;
  outcome.model_name = options.model_dir.string();
  nlohmann::json model_provenance = options.model_fingerprint;
  if (options.synthetic) {
    temp.emplace();
    model_dir = temp->path() / "tiny";
    progress("writing a synthetic tiny model to " + model_dir.string());
    engine::synth::SynthOptions synth_options;
    synth_options.durable = false;
    engine::synth::write_synthetic_checkpoint(engine::synth::Preset::Tiny, kSyntheticSeed, false, model_dir,
                                              synth_options);
    outcome.model_name = fmt::format("synthetic tiny (seed {})", kSyntheticSeed);
    model_provenance = {{"synthetic", "tiny"}, {"seed", kSyntheticSeed}};
  }
  if (options.model_options.matmul_inputs != engine::kernels::MatmulInputs::Float32) {
    outcome.model_name +=
        fmt::format(" ({} activations)", engine::kernels::matmul_inputs_name(options.model_options.matmul_inputs));
  }
  std::unique_ptr<engine::model::Model> model = engine::model::Model::load(model_dir, options.model_options);
  const std::optional<engine::tokenizer::Tokenizer> tok = find_tokenizer(model_dir, progress);
  reports::db::ResultsDb db = reports::db::ResultsDb::open(db_path);  // before the minutes of measuring

  outcome.cpu = read_cpu_info();
  progress("measuring the machine's ceilings");
  CeilingOptions ceiling_options;
  ceiling_options.repetitions = options.quick ? 3 : 5;
  ceiling_options.fma_seconds = options.quick ? 0.1 : 0.25;
  outcome.ceilings = measure_ceilings(ceiling_options);
  outcome.kernels = measure_kernels(options, outcome.cpu, outcome.ceilings, tok ? &*tok : nullptr, progress);
  const std::vector<ThroughputMeasurement> measured =
      measure_engine(options, *model, tok ? &*tok : nullptr, progress);
  outcome.throughput = priced_throughput(measured, outcome.model_name, options.prices);

  reports::db::BenchInfo info;
  info.started_at = started_at;
  info.model = outcome.model_name;
  info.machine = {{"cpu", to_json(outcome.cpu)},
                  {"ceilings", to_json(outcome.ceilings)},
                  {"kernel_variant", std::string(engine::kernels::variant_name(engine::kernels::active_variant()))},
                  {"load_average_at_start", load_average()}};
  info.provenance = {{"build", options.build},
                     {"quick", options.quick},
                     {"prices", {{"source", options.prices.source}, {"note", options.prices.note}}},
                     {"model", model_provenance}};
  outcome.bench_id = db.begin_bench(info).bench_id;
  for (auto& row : outcome.throughput) row.bench_id = outcome.bench_id;
  db.add_kernel_results(kernel_rows(outcome.kernels, outcome.bench_id));
  db.add_throughput(outcome.throughput);
  return outcome;
}

}  // namespace r1eval::perf
