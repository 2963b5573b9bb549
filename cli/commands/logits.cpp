// r1eval logits --model DIR --tokens IDS [--all-positions] [--activations f32|bf16]: the model's logits as JSON.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/activations_option.h"
#include "cli/commands.h"
#include "cli/token_list.h"
#include "cli/validation.h"
#include "engine/model/model.h"

namespace r1eval::cli {

void add_logits_command(CLI::App& app) {
  struct Options {
    std::string model_dir;
    std::string tokens;
    bool all_positions = false;
    int threads = 0;
    std::string activations;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("logits", "Print the logits of the last position (or every position) as JSON");
  cmd->add_option("--model", options->model_dir, "Model directory (config.json + safetensors)")->required();
  cmd->add_option("--tokens", options->tokens, "Comma-separated token ids, e.g. 0,15,27")->required();
  cmd->add_flag("--all-positions", options->all_positions, "Print a row of logits for every position");
  cmd->add_option("--threads", options->threads, "Worker threads (default: all cores)")
      ->check(whole_number_from(0, 4096));
  add_activations_option(*cmd, options->activations);
  cmd->callback([options] {
    if (options->threads > 0) omp_set_num_threads(options->threads);
    const std::vector<std::int32_t> ids = parse_token_list(options->tokens, "--tokens");
    std::unique_ptr<engine::model::Model> model =
        engine::model::Model::load(options->model_dir, model_options_for(options->activations));
    // Refused before the forward pass: a prompt past the context would run for minutes on positions the model
    // was never trained on.
    if (const std::int64_t context = model->config().max_position_embeddings;
        context > 0 && static_cast<std::int64_t>(ids.size()) > context) {
      throw std::invalid_argument(
          fmt::format("--tokens has {} tokens, more than the model's context of {} tokens "
                      "(max_position_embeddings)",
                      ids.size(), context));
    }
    engine::model::Sequence sequence = model->new_sequence();
    const engine::model::StepItem item{&sequence, ids, options->all_positions};
    engine::model::StepResult result;
    model->step(std::span<const engine::model::StepItem>(&item, 1), result);

    if (!std::all_of(result.logits.begin(), result.logits.end(), [](float x) { return std::isfinite(x); })) {
      throw std::runtime_error("the model's logits hold NaN or infinite values; its weights are likely corrupt");
    }
    nlohmann::json rows = nlohmann::json::array();
    const std::int64_t n_rows = static_cast<std::int64_t>(result.logits.size()) / result.vocab_size;
    for (std::int64_t r = 0; r < n_rows; ++r) {
      rows.push_back(std::vector<float>(result.row(r), result.row(r) + result.vocab_size));
    }
    const std::string text = nlohmann::json{{"logits", rows}}.dump();
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
  });
}

}  // namespace r1eval::cli
