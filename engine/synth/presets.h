// Named synthetic model shapes (DeepSeek-V3 architecture, scaled down).
#pragma once

#include <optional>
#include <string_view>

#include "engine/weights/config.h"

namespace r1eval::engine::synth {

enum class Preset {
  Tiny,   // the golden checkpoints' shapes (hidden 64, 4 layers, 16 experts), with the real 129280-token vocabulary
  Small,  // hidden 1024, 8 layers, 64 experts top-6: a few GB, for speed measurements
};

std::optional<Preset> parse_preset(std::string_view name);
std::string_view preset_name(Preset preset);
// The configuration of a preset; with fp8 it carries quantization_config (128x128 blocks).
weights::ModelConfig preset_config(Preset preset, bool fp8);

}  // namespace r1eval::engine::synth
