#!/usr/bin/env bash
# The main job: installs what is missing, builds r1eval, and evaluates the bundled trained model
# (models/toy-arith-r1zero, DeepSeek-R1 layout, FP8) on the arith suite — 4 samples on each of 100 problems — plus
# the first 2 problems of each of the eleven real suites, then writes the report (SQLite + HTML + Markdown).
# The toy model only knows two-digit arithmetic: its arith scores are real (about 90% pass@1), its scores on the
# real benchmarks are ~0 by nature — those rows show the whole pipeline (prompts, templates, graders, sandbox).
# Running it again resumes (or, when finished, reuses) the same run in out/main-job.sqlite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh release
bin=build/release/cli/r1eval
db=out/main-job.sqlite
mkdir -p out
suites=arith:100,gsm8k,math500,math,aime2024,aime2025,amc2023,humaneval,mbpp,livecodebench,bbh,knights-knaves
"$bin" run --suite "$suites" --limit 2 --max-new-tokens 256 --seed 1 --db "$db"
"$bin" report --db "$db" --format html --out out/report.html
"$bin" report --db "$db" --format md --out out/report.md
echo "results: $db (views sample_results, run_metrics); report: out/report.html, out/report.md"
