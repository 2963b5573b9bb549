#include "cli/activations_option.h"

namespace r1eval::cli {

using engine::kernels::MatmulInputs;

void add_activations_option(CLI::App& command, std::string& value) {
  value = engine::kernels::matmul_inputs_name(MatmulInputs::Float32);
  command
      .add_option(
          "--activations", value,
          "What enters the weight matmuls: f32 (the reference numerics, default) or bf16 (rounded to bfloat16: "
          "about twice as fast on CPUs with AVX512_BF16 and AVX512_VBMI, logits move by ~0.1 and some MoE routing "
          "flips)")
      ->check(CLI::IsMember({engine::kernels::matmul_inputs_name(MatmulInputs::Float32),
                             engine::kernels::matmul_inputs_name(MatmulInputs::Bfloat16)}))
      ->capture_default_str();
}

engine::model::ModelOptions model_options_for(const std::string& activations) {
  engine::model::ModelOptions options;
  options.matmul_inputs = activations == engine::kernels::matmul_inputs_name(MatmulInputs::Bfloat16)
                              ? MatmulInputs::Bfloat16
                              : MatmulInputs::Float32;
  return options;
}

}  // namespace r1eval::cli
