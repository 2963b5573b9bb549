#include "perf/cost.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/weights/load_error.h"
#include "engine/weights/strict_json.h"

namespace r1eval::perf {
namespace {

using nlohmann::json;

constexpr const char* kDefaultPrices =
#include "default_prices.inc"
    ;

// Reads the keys of one JSON object, naming file and key path in every error.
class Reader {
 public:
  Reader(const json& object, std::string source, std::string path)
      : object_(object), source_(std::move(source)), path_(std::move(path)) {
    if (!object_.is_object()) fail("", "must be an object");
  }

  const json& at(const std::string& key) const {
    const auto it = object_.find(key);
    if (it == object_.end()) fail(key, "is missing");
    return *it;
  }
  std::string text(const std::string& key) const {
    const json& v = at(key);
    if (!v.is_string()) fail(key, "must be a string");
    return v.get<std::string>();
  }
  double positive(const std::string& key) const {
    const json& v = at(key);
    if (!v.is_number()) fail(key, "must be a number");
    const double value = v.get<double>();
    if (!(value > 0.0) || !std::isfinite(value)) fail(key, "must be positive");
    return value;
  }
  std::int64_t positive_integer(const json& v, const std::string& key) const {
    if (!v.is_number_integer() || v.get<std::int64_t>() < 1) fail(key, "must be a positive integer");
    return v.get<std::int64_t>();
  }
  Reader child(const std::string& key) const { return Reader(at(key), source_, name(key)); }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw PriceError(fmt::format("{}: \"{}\" {}.", source_, name(key), what));
  }

 private:
  std::string name(const std::string& key) const {
    if (key.empty()) return path_.empty() ? "(top level)" : path_;
    return path_.empty() ? key : path_ + "." + key;
  }
  const json& object_;
  std::string source_;
  std::string path_;
};

GpuPrice parse_gpu(const Reader& r) {
  GpuPrice g;
  g.name = r.text("name");
  g.usd_per_gpu_hour = r.positive("usd_per_gpu_hour");
  g.basis = r.text("basis");
  g.source = r.text("source");
  g.as_of = r.text("as_of");
  const Reader s = r.child("spec");
  g.spec.memory_gb = s.positive("memory_gb");
  g.spec.hbm_gbps = s.positive("hbm_gbps");
  g.spec.dense_fp8_tflops = s.positive("dense_fp8_tflops");
  g.spec.dense_bf16_tflops = s.positive("dense_bf16_tflops");
  g.spec.source = s.text("source");
  return g;
}

ApiPrice parse_api_price(const Reader& r) {
  ApiPrice a;
  a.name = r.text("name");
  a.input_usd_per_mtok = r.positive("input_usd_per_mtok");
  a.input_basis = r.text("input_basis");
  a.output_usd_per_mtok = r.positive("output_usd_per_mtok");
  a.source = r.text("source");
  a.as_of = r.text("as_of");
  return a;
}

}  // namespace

PriceTable parse_price_table(std::string_view json_text, const std::string& source) {
  json root;
  try {
    root = engine::weights::parse_strict_json(json_text, source);
  } catch (const engine::weights::LoadError& e) {
    throw PriceError(e.what());
  }
  const Reader top(root, source, "");
  PriceTable t;
  t.source = source;
  t.note = top.text("note");

  const Reader cpu = top.child("cpu_core_hour");
  t.cpu.name = cpu.text("name");
  t.cpu.usd_per_core_hour = cpu.positive("usd_per_core_hour");
  t.cpu.basis = cpu.text("basis");
  t.cpu.source = cpu.text("source");
  t.cpu.as_of = cpu.text("as_of");

  const json& gpus = top.at("gpus");
  if (!gpus.is_array() || gpus.empty()) top.fail("gpus", "must be a non-empty array");
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    t.gpus.push_back(parse_gpu(Reader(gpus[i], source, fmt::format("gpus[{}]", i))));
  }

  t.api = parse_api_price(top.child("api_reference"));
  if (root.contains("endpoint_models")) {
    const json& endpoints = top.at("endpoint_models");
    if (!endpoints.is_array()) top.fail("endpoint_models", "must be an array");
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
      const Reader entry(endpoints[i], source, fmt::format("endpoint_models[{}]", i));
      t.endpoints.push_back({entry.text("served_model"), parse_api_price(entry)});
    }
  }

  const Reader p = top.child("projection");
  t.projection.efficiency = p.positive("efficiency");
  if (t.projection.efficiency > 1.0) p.fail("efficiency", "must be at most 1 (a share of the bound)");
  t.projection.efficiency_basis = p.text("efficiency_basis");
  t.projection.prompt_tokens = p.positive_integer(p.at("prompt_tokens"), "prompt_tokens");
  t.projection.context = p.positive_integer(p.at("context"), "context");
  const json& batches = p.at("decode_batches");
  if (!batches.is_array() || batches.empty()) p.fail("decode_batches", "must be a non-empty array");
  for (const json& b : batches) t.projection.decode_batches.push_back(p.positive_integer(b, "decode_batches"));
  t.projection.memory_headroom = p.positive("memory_headroom");
  if (t.projection.memory_headroom > 1.0) p.fail("memory_headroom", "must be at most 1");
  return t;
}

PriceTable load_price_table(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw PriceError(fmt::format("cannot read the price file {}.", path.string()));
  std::stringstream text;
  text << file.rdbuf();
  if (file.bad()) throw PriceError(fmt::format("cannot read the price file {}.", path.string()));
  return parse_price_table(text.str(), path.string());
}

const EndpointPrice* find_endpoint_price(const PriceTable& table, std::string_view served_model) {
  for (const EndpointPrice& endpoint : table.endpoints) {
    if (endpoint.served_model == served_model) return &endpoint;
  }
  return nullptr;
}

PriceTable default_price_table() { return parse_price_table(kDefaultPrices, "built-in benchmarks/prices.json"); }

double cost_per_mtok_usd(double usd_per_hour, double tokens_per_s) {
  if (!(usd_per_hour > 0.0) || !std::isfinite(usd_per_hour) || !(tokens_per_s > 0.0) || !std::isfinite(tokens_per_s)) {
    throw std::invalid_argument("cost per token needs a positive hourly price and a positive throughput");
  }
  return usd_per_hour / (tokens_per_s * 3600.0) * 1e6;
}

}  // namespace r1eval::perf
