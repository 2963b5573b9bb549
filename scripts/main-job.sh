#!/usr/bin/env bash
# The main job. Until the evaluation runner lands (issue 5) it shows the engine end to end: it builds r1eval, writes a
# synthetic DeepSeek-R1-layout checkpoint (FP8 weights, real tokenizer) and generates from it.
# Synthetic weights are random: the text is gibberish; the point is the pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh release
bin=build/release/cli/r1eval
model=out/synthetic-tiny-fp8
if [[ ! -f $model/model.safetensors.index.json ]]; then
  "$bin" synth-model --preset tiny --seed 1 --fp8 --out "$model" --force
fi
"$bin" generate --model "$model" --prompt "What is 47 + 38?" --max-new 32 --temperature 0.6 --top-p 0.95 --seed 7 --json
