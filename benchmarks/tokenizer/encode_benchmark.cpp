// Encode throughput of the DeepSeek tokenizer on a mixed corpus (math, code, logic, CJK, long R1-style reasoning).
// Reports bytes/s; run single-threaded. A cold variant clears nothing between runs: the word cache warms up on
// the first iteration, as in a long evaluation run (Hugging Face tokenizers caches words the same way).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/tokenizer/tokenizer.h"

namespace {

using r1eval::engine::tokenizer::Tokenizer;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const Tokenizer& tokenizer() {
  static const Tokenizer tok =
      *Tokenizer::load(std::filesystem::path(R1EVAL_SOURCE_DIR) / "datasets/tokenizers/deepseek-r1");
  return tok;
}

// The corpus: every sampled data-set text, then the CJK paragraph and the reasoning trace, each repeated so that
// they make up a visible share of the bytes.
const std::string& corpus() {
  static const std::string text = [] {
    const std::filesystem::path root(R1EVAL_SOURCE_DIR);
    std::string all;
    std::ifstream rows(root / "tests/data/tokenizer/roundtrip_sample.jsonl");
    for (std::string line; std::getline(rows, line);)
      all += nlohmann::json::parse(line)["text"].get<std::string>() + "\n";
    const std::string cjk = read_text(root / "benchmarks/tokenizer/data/cjk.txt");
    const std::string reasoning = read_text(root / "benchmarks/tokenizer/data/reasoning.txt");
    for (int i = 0; i < 20; ++i) all += cjk + reasoning;
    return all;
  }();
  return text;
}

void BM_EncodeMixedCorpus(benchmark::State& state) {
  const Tokenizer& tok = tokenizer();
  const std::string& text = corpus();
  std::vector<std::int32_t> ids;
  for (auto _ : state) {
    ids.clear();
    tok.encode(text, ids);
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
  state.counters["tokens"] = static_cast<double>(ids.size());
  state.counters["bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_EncodeMixedCorpus)->Unit(benchmark::kMillisecond);

void BM_DecodeMixedCorpus(benchmark::State& state) {
  const Tokenizer& tok = tokenizer();
  const auto ids = tok.encode(corpus());
  for (auto _ : state) benchmark::DoNotOptimize(tok.decode(ids));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(corpus().size()));
}
BENCHMARK(BM_DecodeMixedCorpus)->Unit(benchmark::kMillisecond);

}  // namespace
