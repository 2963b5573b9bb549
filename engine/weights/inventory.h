// The tensors a configuration implies, with their shapes: used to validate a checkpoint at load and to
// write synthetic checkpoints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/weights/checkpoint.h"
#include "engine/weights/config.h"

namespace r1eval::engine::weights {

// How a tensor may be stored in a checkpoint whose config.json has a quantization_config.
enum class Fp8Storage {
  Never,     // norms, router, embeddings, eh_proj: BF16, F16 or F32 only
  Released,  // F8_E4M3 + "<name>_scale_inv" in DeepSeek's FP8 release (every linear layer's weight)
  Optional,  // the LM heads (lm_head, the MTP shared_head.head): BF16 in the release, F8_E4M3 + scale accepted for
             // checkpoints that quantize the head as well (synth-model --fp8-head)
};

struct ExpectedTensor {
  std::string name;                  // e.g. "model.layers.3.mlp.experts.7.up_proj.weight"
  std::vector<std::int64_t> shape;   // [out, in] for matrices
  Fp8Storage fp8 = Fp8Storage::Never;
};

// Main model tensors plus the MTP layers (model.layers.{num_hidden_layers + k}.*), in a stable order.
std::vector<ExpectedTensor> expected_tensors(const ModelConfig& config);

// Checks every expected tensor exists with the expected shape and an allowed dtype (BF16/F16/F32, or F8_E4M3
// with a F32 scale_inv of shape [ceil(out/block), ceil(in/block)] when config.fp8_block_size is set and the
// tensor's Fp8Storage is not Never).
// Throws LoadError naming the first bad tensor.
void validate_checkpoint(const ModelConfig& config, const Checkpoint& checkpoint);

}  // namespace r1eval::engine::weights
