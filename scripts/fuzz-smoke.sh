#!/usr/bin/env bash
# Builds the `fuzz` preset (clang + libFuzzer + ASan/UBSan) and runs each fuzzer for a short budget: the safetensors
# header parser, seeded with the headers of the golden checkpoints' shards, then the tokenizer (encode, decode,
# streaming decode, chat templates) seeded with dataset text. Exits non-zero when a fuzzer finds a crash (the
# reproducer is written to build/fuzz/artifacts/). Usage: scripts/fuzz-smoke.sh [seconds per fuzzer, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-30}

cmake --preset fuzz >/dev/null
cmake --build build/fuzz --target safetensors_header_fuzz tokenizer_fuzz

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
  {
    u64le "$data_len"
    dd if="$shard" iflag=skip_bytes,count_bytes bs=64K skip=8 count="$header_len" status=none
  } >"$seed"
done

build/fuzz/fuzz/safetensors_header_fuzz "$corpus" \
  -dict=fuzz/safetensors_header.dict -max_total_time="$budget" -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix=build/fuzz/artifacts/ -print_final_stats=1

tokenizer_corpus=build/fuzz/corpus/tokenizer
mkdir -p "$tokenizer_corpus"
head -c 4000 tests/data/tokenizer/roundtrip_sample.jsonl >"$tokenizer_corpus/seed-dataset-text"
build/fuzz/fuzz/tokenizer_fuzz "$tokenizer_corpus" -max_total_time="$budget" -max_len=4096 -rss_limit_mb=4096 \
  -timeout=20 -artifact_prefix=build/fuzz/artifacts/ -print_final_stats=1
