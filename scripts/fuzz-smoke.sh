#!/usr/bin/env bash
# Builds the `fuzz` preset (clang + libFuzzer + ASan/UBSan) and runs the safetensors header fuzzer for a short
# budget, seeded with the headers of the golden checkpoints' shards. Exits non-zero when the fuzzer finds a crash
# (the reproducer is written to build/fuzz/artifacts/). Usage: scripts/fuzz-smoke.sh [seconds, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-30}

cmake --preset fuzz >/dev/null
cmake --build build/fuzz --target safetensors_header_fuzz

# Seed inputs use the target's layout: the data-section size as 8 little-endian bytes, then the header JSON.
corpus=build/fuzz/corpus/safetensors_header
mkdir -p "$corpus" build/fuzz/artifacts
u64le() {
  local value=$1 i
  for ((i = 0; i < 8; i++)); do printf "\\x$(printf '%02x' $(((value >> (8 * i)) & 255)))"; done
}
for shard in tests/data/golden/*/*.safetensors; do
  header_len=$(od -An -t u8 -N 8 "$shard" | tr -d ' ')
  data_len=$(($(stat -c %s "$shard") - 8 - header_len))
  seed="$corpus/seed-$(basename "$(dirname "$shard")")-$(basename "$shard" .safetensors)"
  { u64le "$data_len"; dd if="$shard" iflag=skip_bytes,count_bytes bs=64K skip=8 count="$header_len" status=none; } >"$seed"
done

build/fuzz/fuzz/safetensors_header_fuzz "$corpus" \
  -dict=fuzz/safetensors_header.dict -max_total_time="$budget" -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix=build/fuzz/artifacts/ -print_final_stats=1
