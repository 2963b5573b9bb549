// r1eval bench [--model DIR | --synthetic] [--quick] [--prices FILE] [--threads N] [--activations f32|bf16] --db FILE
//
// Measures the machine's ceilings, times every engine kernel case against them (roofline %), measures end-to-end
// prefill and decode throughput on a model (the bundled toy model by default; --synthetic: a tiny synthetic one), prices every
// throughput per million tokens, adds the projection for the real R1 on GPUs and DeepSeek's API price as a
// reference, prints tables on stdout and writes everything to the results database. Progress goes to stderr.
#include <omp.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/activations_option.h"
#include "cli/commands.h"
#include "engine/bench/case_fixtures.h"
#include "engine/bench/ceilings.h"
#include "engine/bench/cost.h"
#include "engine/bench/cpu_info.h"
#include "engine/bench/kernel_cases.h"
#include "engine/bench/kernel_runner.h"
#include "engine/bench/projection.h"
#include "engine/bench/r1_config.h"
#include "engine/bench/throughput.h"
#include "engine/kernels/kernel_variants.h"
#include "engine/model/model.h"
#include "engine/synth/synthetic_checkpoint.h"
#include "engine/tokenizer/tokenizer.h"
#include "evals/runner/provenance.h"
#include "evals/suites/suite.h"
#include "reports/db/results_db.h"

namespace r1eval::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kSyntheticSeed = 1;

struct BenchArgs {
  std::string model_dir;
  bool synthetic = false;
  bool quick = false;
  std::string prices;
  std::string db;
  int threads = 0;
  std::string activations;
};

void progress(const std::string& line) {
  static const auto start = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "bench: [%5.1f s] %s\n", seconds, line.c_str());
  std::fflush(stderr);
}


std::string load_average() {
  std::ifstream file("/proc/loadavg");
  std::string line;
  std::getline(file, line);
  return line;
}

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

// The tokenizer for the tokenizer_encode case: the model's own, else the bundled one, else none (case skipped).
std::optional<tokenizer::Tokenizer> find_tokenizer(const fs::path& model_dir) {
  try {
    if (auto tok = tokenizer::Tokenizer::load(model_dir)) return tok;
    return tokenizer::Tokenizer::load(synth::default_tokenizer_dir());
  } catch (const std::exception& e) {
    progress(std::string("no tokenizer for the encode case: ") + e.what());
    return std::nullopt;
  }
}

void print_ceilings(const bench::CpuInfo& cpu, const bench::MachineCeilings& c) {
  std::printf("Machine: %s, %d logical CPUs, %d threads, kernels %s, features:",
              cpu.model_name.empty() ? "(unknown CPU)" : cpu.model_name.c_str(), cpu.logical_cpus, cpu.threads,
              std::string(kernels::variant_name(kernels::active_variant())).c_str());
  for (const auto& f : cpu.features) std::printf(" %s", f.c_str());
  std::printf("\nCeilings (best of %d, %lld MiB buffer): read %.1f GB/s (one thread %.1f), triad %.1f GB/s, f32 FMA "
              "%.1f GFLOP/s, bf16 %.1f GFLOP/s (%s)\n\n",
              c.repetitions, static_cast<long long>(c.buffer_bytes >> 20), c.read_gbps, c.read_gbps_one_thread,
              c.triad_gbps, c.f32_gflops, c.bf16_gflops,
              c.bf16_native ? "native vdpbf16ps" : "emulated via f32; engine BF16 matmul peak");
}

void print_kernels(const std::vector<bench::KernelMeasurement>& results) {
  std::printf("%-20s %-44s %-5s %11s %9s %8s %9s  %s\n", "kernel", "shape", "dtype", "time/call", "GFLOP/s", "GB/s",
              "roofline", "bound");
  for (const auto& m : results) {
    if (m.skipped) {
      std::printf("%-20s %-44s %-5s %s\n", m.kernel.c_str(), m.shape.c_str(), m.dtype.c_str(), m.note.c_str());
      continue;
    }
    std::printf("%-20s %-44s %-5s %9.1f us %9.2f %8.2f %8.1f%%  %s\n", m.kernel.c_str(), m.shape.c_str(),
                m.dtype.c_str(), m.timing.seconds * 1e6, m.gflops, m.gbps, m.roofline_pct, m.note.c_str());
  }
  std::printf("\n");
}

void print_throughput(const std::vector<reports::db::ThroughputRow>& rows) {
  std::printf("%-34s %-8s %6s %8s %12s %12s  %s\n", "model", "phase", "batch", "context", "tokens/s", "$/M tokens",
              "price basis");
  for (const auto& r : rows) {
    const std::string rate = r.tokens_per_s > 0 ? fmt::format("{:.1f}", r.tokens_per_s) : "-";
    std::printf("%-34s %-8s %6lld %8lld %12s %12.4f  %s\n", r.model.c_str(), r.phase.c_str(),
                static_cast<long long>(r.batch), static_cast<long long>(r.context), rate.c_str(),
                r.cost_per_mtok_usd, r.price_basis.c_str());
  }
}

void run_bench(const BenchArgs& args) {
  if (args.threads > 0) omp_set_num_threads(args.threads);
  // Everything that can fail on bad input is checked before minutes of measurement.
  const bench::PriceTable prices =
      args.prices.empty() ? bench::default_price_table() : bench::load_price_table(args.prices);
  const std::string started_at = evals::utc_timestamp();
  const auto start = std::chrono::steady_clock::now();

  std::optional<TempDir> temp;
  fs::path model_dir = args.model_dir;
  std::string model_name = args.model_dir;
  if (args.synthetic) {
    temp.emplace();
    model_dir = temp->path() / "tiny";
    progress("writing a synthetic tiny model to " + model_dir.string());
    synth::SynthOptions options;
    options.durable = false;
    synth::write_synthetic_checkpoint(synth::Preset::Tiny, kSyntheticSeed, false, model_dir, options);
    model_name = fmt::format("synthetic tiny (seed {})", kSyntheticSeed);
  }
  const model::ModelOptions model_options = model_options_for(args.activations);
  if (model_options.matmul_inputs != kernels::MatmulInputs::Float32) {
    model_name += fmt::format(" ({} activations)", kernels::matmul_inputs_name(model_options.matmul_inputs));
  }
  std::unique_ptr<model::Model> model = model::Model::load(model_dir, model_options);
  const std::optional<tokenizer::Tokenizer> tok = find_tokenizer(model_dir);
  reports::db::ResultsDb db = reports::db::ResultsDb::open(args.db);  // before the minutes of measuring

  const bench::CpuInfo cpu = bench::read_cpu_info();
  progress("measuring the machine's ceilings");
  bench::CeilingOptions ceiling_options;
  ceiling_options.repetitions = args.quick ? 3 : 5;
  ceiling_options.fma_seconds = args.quick ? 0.1 : 0.25;
  const bench::MachineCeilings ceilings = bench::measure_ceilings(ceiling_options);
  print_ceilings(cpu, ceilings);

  const std::vector<bench::KernelCase> cases =
      bench::kernel_cases(args.quick ? bench::CaseSet::Quick : bench::CaseSet::Full);
  bench::WeightPool pool;
  bench::TimingOptions timing;
  timing.target_seconds = args.quick ? 0.1 : 0.3;
  timing.batches = args.quick ? 5 : 9;  // repetitions for `r1eval compare --bench`'s U test
  timing.min_repetitions = timing.batches;
  timing.max_cold_calls = args.quick ? 15 : 100;  // each cold call also pays a 3 × LLC flush
  timing.llc_bytes = cpu.llc_bytes;
  const std::vector<bench::KernelMeasurement> kernel_results = bench::run_kernel_cases(
      cases, ceilings, bench::CaseResources{.weights = &pool, .tokenizer = tok ? &*tok : nullptr}, timing, progress);
  print_kernels(kernel_results);

  bench::ThroughputOptions throughput;
  throughput.prompt_tokens = args.quick ? 64 : 256;
  throughput.decode_tokens = args.quick ? 16 : 64;
  throughput.long_context = args.quick ? 512 : 4096;
  throughput.long_decode_tokens = args.quick ? 8 : 32;
  throughput.long_context = std::min(throughput.long_context,
                                     model->config().max_position_embeddings - throughput.long_decode_tokens);
  if (tok) throughput.sampleable_vocab = std::min<std::int64_t>(tok->vocab_size(), model->config().vocab_size);
  const std::vector<bench::ThroughputMeasurement> measured = bench::measure_throughput(*model, throughput, progress);

  // Measured rows cost the CPU cores the engine ran on; then the R1 projection and the API reference.
  const int cores = omp_get_max_threads();
  const double cpu_usd_per_hour = prices.cpu.usd_per_core_hour * cores;
  const std::string cpu_basis = fmt::format("measured; {} cores x ${}/core-h ({}, {}, list price as of {})", cores,
                                            prices.cpu.usd_per_core_hour, prices.cpu.basis, prices.cpu.source,
                                            prices.cpu.as_of);
  std::vector<reports::db::ThroughputRow> rows;
  for (const auto& m : measured) {
    reports::db::ThroughputRow r;
    r.model = model_name;
    r.phase = m.phase;
    r.batch = m.batch;
    r.context = m.context;
    r.tokens_per_s = m.tokens_per_s;
    r.cost_per_mtok_usd = m.tokens_per_s > 0 ? bench::cost_per_mtok_usd(cpu_usd_per_hour, m.tokens_per_s) : 0.0;
    r.price_basis = cpu_basis;
    rows.push_back(std::move(r));
  }
  for (const auto& p : bench::project_throughput(bench::deepseek_r1_config(), prices)) {
    reports::db::ThroughputRow r;
    r.model = fmt::format("DeepSeek-R1 671B on {}x{}", p.gpus, p.gpu);
    r.phase = p.phase;
    r.batch = p.batch;
    r.context = p.context;
    r.tokens_per_s = p.tokens_per_s;
    r.cost_per_mtok_usd = p.usd_per_mtok;
    r.price_basis = p.basis;
    r.projection = true;
    rows.push_back(std::move(r));
  }
  for (const bool output : {false, true}) {
    reports::db::ThroughputRow r;
    r.model = prices.api.name;
    r.phase = output ? "decode" : "prefill";
    r.cost_per_mtok_usd = output ? prices.api.output_usd_per_mtok : prices.api.input_usd_per_mtok;
    r.price_basis = fmt::format("reference: API list price per M {} ({}, {})",
                                output ? "output tokens" : prices.api.input_basis, prices.api.source,
                                prices.api.as_of);
    rows.push_back(std::move(r));
  }
  print_throughput(rows);

  reports::db::BenchInfo info;
  info.started_at = started_at;
  info.model = model_name;
  info.machine = {{"cpu", bench::to_json(cpu)},
                  {"ceilings", bench::to_json(ceilings)},
                  {"kernel_variant", std::string(kernels::variant_name(kernels::active_variant()))},
                  {"load_average_at_start", load_average()}};
  info.provenance = {{"build", evals::build_info()},
                     {"quick", args.quick},
                     {"prices", {{"source", prices.source}, {"note", prices.note}}},
                     {"model", args.synthetic ? nlohmann::json{{"synthetic", "tiny"}, {"seed", kSyntheticSeed}}
                                                      : evals::model_fingerprint(model_dir)}};
  const reports::db::BenchInfo stored = db.begin_bench(info);
  std::vector<reports::db::KernelResultRow> kernel_rows;
  for (const auto& m : kernel_results) {
    if (m.skipped) continue;
    kernel_rows.push_back(reports::db::KernelResultRow{.bench_id = stored.bench_id,
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
  for (auto& r : rows) r.bench_id = stored.bench_id;
  db.add_kernel_results(kernel_rows);
  db.add_throughput(rows);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress(fmt::format("bench {} written to {}: {} kernel rows, {} throughput rows, {:.0f} s", stored.bench_id,
                       args.db, kernel_rows.size(), rows.size(), seconds));
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* command = app.add_subcommand(
      "bench", "Kernel microbenchmarks against the machine's measured ceilings, end-to-end throughput and cost per token");
  args->model_dir = evals::default_model_dir().string();
  auto* model = command->add_option("--model", args->model_dir,
                                    "Model directory for the throughput runs (default: the bundled toy-arith-r1zero)");
  command->add_flag("--synthetic", args->synthetic, "Run the throughput on a synthetic tiny model made on the spot")
      ->excludes(model);
  command->add_flag("--quick", args->quick, "Fewer and smaller kernel cases and short timings (under 2 minutes)");
  command->add_option("--prices", args->prices,
                      "Price table JSON (default: the built-in benchmarks/prices.json; same keys)");
  command->add_option("--db", args->db, "Results database (SQLite) to write the bench into")->required();
  command->add_option("--threads", args->threads, "OpenMP threads (default: all)")->check(CLI::PositiveNumber);
  add_activations_option(*command, args->activations);
  command->callback([args] { run_bench(*args); });
}

}  // namespace r1eval::cli
