// r1eval synth-model --preset tiny|small --seed N [--fp8 [--fp8-head]] --out DIR [--force] [--tokenizer-dir DIR]
#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/validation.h"
#include "common/repo_paths.h"
#include "engine/synth/synthetic_checkpoint.h"

namespace r1eval::cli {

namespace {

struct SynthModelArgs {
  std::string preset;
  std::uint64_t seed = 0;
  bool fp8 = false;
  bool fp8_head = false;
  std::string out;
  bool force = false;
  std::string tokenizer_dir;
};

void run_synth_model(const SynthModelArgs& args) {
  const auto preset = engine::synth::parse_preset(args.preset);
  if (!preset) throw std::runtime_error(fmt::format("unknown preset \"{}\" (use tiny or small).", args.preset));
  engine::synth::SynthOptions options;
  options.force = args.force;
  options.fp8_heads = args.fp8_head;
  if (!args.tokenizer_dir.empty()) options.tokenizer_dir = args.tokenizer_dir;

  const auto start = std::chrono::steady_clock::now();
  const auto summary = engine::synth::write_synthetic_checkpoint(*preset, args.seed, args.fp8, args.out, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  fmt::print(stderr, "synth-model: wrote {}: preset {}, seed {}, {}, {} tensors in {} shards, {:.1f} MB, {:.1f} s\n",
             args.out, args.preset, args.seed,
             args.fp8_head ? "FP8 with FP8 LM heads"
             : args.fp8    ? "FP8"
                           : "BF16",
             summary.tensors, summary.shards, static_cast<double>(summary.tensor_bytes) / 1e6, seconds);
  if (summary.tokenizer_from) {
    fmt::print(stderr, "synth-model: tokenizer copied from {}\n", summary.tokenizer_from->string());
  } else {
    fmt::print(stderr,
               "synth-model: note: no tokenizer found at {} (pass --tokenizer-dir); the checkpoint has none, so use "
               "token ids with it\n",
               common::default_tokenizer_dir().string());
  }
}

}  // namespace

void add_synth_model_command(CLI::App& app) {
  auto args = std::make_shared<SynthModelArgs>();
  CLI::App* command = app.add_subcommand("synth-model", "Write a deterministic synthetic checkpoint (random weights, "
                                                        "real Hugging Face layout)");
  command->add_option("--preset", args->preset, "Model shape: tiny or small")->required()->check(
      CLI::IsMember({"tiny", "small"}));
  command->add_option("--seed", args->seed, "Random seed; the same seed gives byte-identical files")
      ->required()
      ->check(seed_number());
  CLI::Option* fp8 =
      command->add_flag("--fp8", args->fp8, "Store weights as FP8 e4m3 with 128x128 block scales (as DeepSeek-R1)");
  command
      ->add_flag("--fp8-head", args->fp8_head,
                 "Store the LM heads as FP8 too (DeepSeek-R1 keeps them BF16): an all-FP8 checkpoint, which "
                 "reads about two thirds of the bytes per decoded token at the small preset")
      ->needs(fp8);
  command->add_option("--out", args->out, "Output directory")->required();
  command->add_flag("--force", args->force, "Write into a non-empty directory");
  command->add_option("--tokenizer-dir", args->tokenizer_dir,
                      "Directory with tokenizer.json and tokenizer_config.json to copy (default: the bundled "
                      "datasets/tokenizers/deepseek-r1)");
  command->callback([args] { run_synth_model(*args); });
}

}  // namespace r1eval::cli
