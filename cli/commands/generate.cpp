// r1eval generate [--model DIR] (--tokens IDS | --prompt TEXT) [sampling options] [--json] [--activations f32|bf16]
#include <omp.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/activations_option.h"
#include "cli/commands.h"
#include "cli/token_list.h"
#include "cli/validation.h"
#include "common/repo_paths.h"
#include "engine/model/context_fit.h"
#include "engine/model/generate.h"
#include "engine/model/model.h"
#include "engine/tokenizer/tokenizer.h"

namespace r1eval::cli {
namespace {

struct GenerateCommandOptions {
  std::string model_dir;
  std::string tokens;
  std::string prompt;
  std::int64_t max_new = 128;
  double temperature = 0.0;
  double top_p = 1.0;
  std::int64_t top_k = 0;
  std::uint64_t seed = 0;
  bool ignore_eos = false;
  bool json = false;
  int threads = 0;
  std::string activations;
};

double rate(std::int64_t tokens, double seconds) { return seconds > 0 ? static_cast<double>(tokens) / seconds : 0.0; }

void run_generate(const GenerateCommandOptions& o) {
  if (o.threads > 0) omp_set_num_threads(o.threads);
  std::unique_ptr<engine::model::Model> model =
      engine::model::Model::load(o.model_dir, model_options_for(o.activations));
  const std::optional<engine::tokenizer::Tokenizer> tok = engine::tokenizer::Tokenizer::load(o.model_dir);

  std::vector<std::int32_t> prompt_ids;
  if (!o.tokens.empty()) {
    prompt_ids = parse_token_list(o.tokens, "--tokens");
  } else {
    if (!tok)
      throw std::invalid_argument(fmt::format("--prompt needs tokenizer.json in {}; use --tokens", o.model_dir));
    // Like Hugging Face's encode with add_bos_token: BOS, then exactly the text.
    if (tok->bos_id()) prompt_ids.push_back(*tok->bos_id());
    tok->encode(o.prompt, prompt_ids);
  }

  engine::model::GenerateOptions options;
  const std::int64_t context = model->config().max_position_embeddings;
  options.max_new_tokens =
      engine::model::budget_within_context(static_cast<std::int64_t>(prompt_ids.size()), o.max_new, context);
  if (options.max_new_tokens < o.max_new) {
    fmt::print(stderr,
               "warning: --max-new {} clamped to {}, all the model's context of {} tokens leaves after the "
               "prompt\n",
               o.max_new, options.max_new_tokens, context);
  }
  options.sampling = engine::model::SamplingParams{o.temperature, o.top_p, o.top_k, o.seed};
  options.stop_at_eos = !o.ignore_eos;
  if (tok) options.sampleable_vocab = tok->vocab_size();
  if (tok && tok->eos_id() && *tok->eos_id() != model->config().eos_token_id)
    options.stop_tokens.push_back(*tok->eos_id());

  // Without --json the text streams as it is generated (ids when there is no tokenizer).
  std::optional<engine::tokenizer::StreamDecoder> stream;
  if (tok && !o.json) stream.emplace(*tok);
  const auto on_token = [&](std::int32_t id) {
    if (o.json) return;
    const std::string piece = stream ? stream->push(id) : fmt::format("{} ", id);
    std::fwrite(piece.data(), 1, piece.size(), stdout);
    std::fflush(stdout);
  };
  const engine::model::GenerateResult result = engine::model::generate(*model, prompt_ids, options, on_token);

  if (o.json) {
    nlohmann::json out{{"prompt_ids", prompt_ids}, {"ids", result.tokens}, {"text", nullptr}};
    if (tok) out["text"] = tok->decode(result.tokens);
    out["finish_reason"] = engine::model::finish_reason_name(result.finish);
    fmt::print("{}\n", out.dump());
  } else {
    const std::string rest = stream ? stream->finish() : std::string();
    fmt::print("{}\n", rest);
  }
  if (result.finish == engine::model::FinishReason::kNonFinite) {
    throw std::runtime_error(
        fmt::format("the model's logits held a NaN or infinity after {} tokens, so generation "
                    "stopped; its weights are likely corrupt",
                    result.tokens.size()));
  }
  fmt::print(stderr, "prefill: {} tokens, {:.1f} tok/s; decode: {} tokens, {:.1f} tok/s\n", result.prefill_tokens,
             rate(result.prefill_tokens, result.prefill_seconds), result.decode_tokens,
             rate(result.decode_tokens, result.decode_seconds));
}

}  // namespace

void add_generate_command(CLI::App& app) {
  auto o = std::make_shared<GenerateCommandOptions>();
  CLI::App* cmd = app.add_subcommand("generate", "Generate a continuation of a prompt");
  o->model_dir = common::default_model_dir().string();
  cmd->add_option("--model", o->model_dir, "Model directory (default: the bundled toy-arith-r1zero)");
  auto* tokens = cmd->add_option("--tokens", o->tokens, "Prompt as comma-separated token ids");
  auto* prompt = cmd->add_option("--prompt", o->prompt, "Prompt text (BOS is prepended)");
  tokens->excludes(prompt);
  cmd->add_option("--max-new", o->max_new, "Tokens to generate at most")->check(whole_number_from(1, 1000000000));
  cmd->add_option("--temperature", o->temperature, "0 means greedy")->check(number_from(0.0, 100.0));
  cmd->add_option("--top-p", o->top_p, "Nucleus mass to keep")->check(number_above(0.0, 1.0));
  cmd->add_option("--top-k", o->top_k, "Candidates to keep (0: all)")->check(whole_number_from(0, 1000000000));
  cmd->add_option("--seed", o->seed, "Sampling seed")->check(seed_number());
  cmd->add_flag("--ignore-eos", o->ignore_eos, "Do not stop at the end-of-sentence token");
  cmd->add_flag("--json", o->json, R"(Print {"prompt_ids", "ids", "text"} as JSON)");
  cmd->add_option("--threads", o->threads, "Worker threads (default: all cores)")->check(whole_number_from(0, 4096));
  add_activations_option(*cmd, o->activations);
  cmd->callback([o, tokens, prompt] {
    if (tokens->count() == 0 && prompt->count() == 0)
      throw std::invalid_argument("generate needs --tokens or --prompt");
    run_generate(*o);
  });
}

}  // namespace r1eval::cli
