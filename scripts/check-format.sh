#!/usr/bin/env bash
# The style check CI runs: every tracked C++ file as .clang-format formats it, and no line of code, CMake or shell
# over 120 columns (clang-format cannot break every line: a long include or URL, a CMake list).
# Usage: scripts/check-format.sh [--fix]   (--fix rewrites the C++ files in place instead of failing)
set -euo pipefail
cd "$(dirname "$0")/.."

fix=0
[[ ${1:-} == --fix ]] && fix=1
if ! command -v clang-format >/dev/null; then
  echo "check-format: clang-format is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi

mapfile -t cpp < <(git ls-files '*.cpp' '*.h' '*.cu' '*.cuh')
if ((fix)); then
  clang-format -i "${cpp[@]}"
else
  clang-format --dry-run --Werror "${cpp[@]}"
fi

mapfile -t code < <(git ls-files '*.cpp' '*.h' '*.cu' '*.cuh' '*.in' 'CMakeLists.txt' '*/CMakeLists.txt' '*.cmake' '*.sh' \
  '.ci/run')
long=$(LC_ALL=C.UTF-8 grep -nP '^.{121,}' "${code[@]}" || true)  # characters, not bytes
if [[ -n $long ]]; then
  echo "$long"
  echo "check-format: lines over 120 columns (above)" >&2
  exit 1
fi
echo "check-format: ${#cpp[@]} C++ files formatted, no line over 120 columns"
