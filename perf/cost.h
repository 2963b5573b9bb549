// Prices and cost per token. The price table is a data file (benchmarks/prices.json, compiled in as the default,
// overridable with --prices FILE): a CPU core-hour, GPU-hours with the GPUs' datasheet figures, DeepSeek's API
// price as a reference, token prices per served model for endpoint runs, and the assumptions of the R1 projection.
// Every figure carries its source and date.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace r1eval::perf {

// A price file that cannot be read or lacks a key; the message names the file and the key.
class PriceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CpuPrice {
  std::string name, basis, source, as_of;
  double usd_per_core_hour = 0.0;
};

struct GpuSpec {
  double memory_gb = 0.0;
  double hbm_gbps = 0.0;
  double dense_fp8_tflops = 0.0;
  double dense_bf16_tflops = 0.0;
  std::string source;
};

struct GpuPrice {
  std::string name, basis, source, as_of;
  double usd_per_gpu_hour = 0.0;
  GpuSpec spec;
};

struct ApiPrice {
  std::string name, input_basis, source, as_of;
  double input_usd_per_mtok = 0.0;
  double output_usd_per_mtok = 0.0;
};

// An endpoint's token prices for one served model name, for the cost of `r1eval run --backend openai`.
struct EndpointPrice {
  std::string served_model;  // matched exactly against --served-model
  ApiPrice price;
};

struct ProjectionAssumptions {
  double efficiency = 0.0;  // share of the roofline bound assumed reachable, in (0, 1]
  std::string efficiency_basis;
  std::int64_t prompt_tokens = 0;             // prefill projection: one prompt of this length
  std::int64_t context = 0;                   // decode projection: positions each sequence attends to
  std::vector<std::int64_t> decode_batches;   // decode projection: sequences per step
  double memory_headroom = 0.9;               // share of GPU memory the weights may fill
};

struct PriceTable {
  std::string note;
  std::string source;  // the file it came from ("built-in benchmarks/prices.json" for the default)
  CpuPrice cpu;
  std::vector<GpuPrice> gpus;
  ApiPrice api;
  std::vector<EndpointPrice> endpoints;  // "endpoint_models"; optional in a user's file
  ProjectionAssumptions projection;
};

// Parses a price file's text; `source` names it in errors. Throws PriceError for invalid JSON, a missing key, a
// wrong type, or a price, spec figure or efficiency that is not positive (efficiency also at most 1).
PriceTable parse_price_table(std::string_view json_text, const std::string& source);
// Reads and parses a file; throws PriceError naming it when it is missing or unreadable.
PriceTable load_price_table(const std::filesystem::path& path);
// benchmarks/prices.json as it was when r1eval was built.
PriceTable default_price_table();
// The table's price for a served model name, or nullptr when it lists none.
const EndpointPrice* find_endpoint_price(const PriceTable& table, std::string_view served_model);

// US dollars per million tokens at `usd_per_hour` for a throughput of `tokens_per_s`:
// usd_per_hour ÷ (tokens_per_s × 3600) × 10⁶. Throws std::invalid_argument unless both are positive and finite.
double cost_per_mtok_usd(double usd_per_hour, double tokens_per_s);

}  // namespace r1eval::perf
