// The --activations option shared by the commands that run the engine: what enters its weight matmuls.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "engine/model/model.h"

namespace r1eval::cli {

// Adds `--activations f32|bf16` storing into `value` (default f32).
void add_activations_option(CLI::App& command, std::string& value);
// The model options the option's value selects ("f32" or "bf16"; CLI11 has checked it).
engine::model::ModelOptions model_options_for(const std::string& activations);

}  // namespace r1eval::cli
