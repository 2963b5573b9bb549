// r1eval logits --model DIR --tokens IDS [--all-positions] [--activations f32|bf16]: the model's logits as JSON.
#include <omp.h>

#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/activations_option.h"
#include "cli/commands.h"
#include "cli/token_list.h"
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
  cmd->add_option("--threads", options->threads, "Worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
  add_activations_option(*cmd, options->activations);
  cmd->callback([options] {
    if (options->threads > 0) omp_set_num_threads(options->threads);
    const std::vector<std::int32_t> ids = parse_token_list(options->tokens, "--tokens");
    std::unique_ptr<engine::model::Model> model = engine::model::Model::load(options->model_dir, model_options_for(options->activations));
    engine::model::Sequence sequence = model->new_sequence();
    const engine::model::StepItem item{&sequence, ids, options->all_positions};
    engine::model::StepResult result;
    model->step(std::span<const engine::model::StepItem>(&item, 1), result);

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
