#!/usr/bin/env bash
# The style check CI runs:
# - every C++ line changed since the style was adopted (the commit that last changed .clang-format) is formatted as
#   .clang-format says: git-clang-format checks the changed lines only, so untouched code keeps its history;
# - no line of C++, CMake or shell over 120 columns anywhere (clang-format cannot break every line).
# Usage: scripts/check-format.sh [--fix]   (--fix formats the changed lines in place instead of failing)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v git-clang-format >/dev/null; then
  echo "check-format: git-clang-format is not installed (scripts/install-deps.sh installs clang-format)" >&2
  exit 1
fi
base=$(git log -1 --format=%H -- .clang-format)
if [[ -z $base ]]; then
  echo "check-format: .clang-format has no commit yet" >&2
  exit 1
fi
extensions=cpp,h,cu,cuh
if [[ ${1:-} == --fix ]]; then
  git clang-format --quiet --extensions "$extensions" "$base" || true
else
  diff=$(git clang-format --diff --extensions "$extensions" "$base" || true)
  if [[ -n $diff && $diff != "no modified files to format" && $diff != "clang-format did not modify any files" ]]; then
    echo "$diff"
    echo "check-format: lines changed since $base are not formatted as .clang-format says (above);" \
      "scripts/check-format.sh --fix formats them" >&2
    exit 1
  fi
fi

mapfile -t code < <(git ls-files '*.cpp' '*.h' '*.cu' '*.cuh' '*.in' 'CMakeLists.txt' '*/CMakeLists.txt' '*.cmake' \
  '*.sh' '.ci/run')
long=$(LC_ALL=C.UTF-8 grep -nP '^.{121,}' "${code[@]}" || true)  # characters, not bytes
if [[ -n $long ]]; then
  echo "$long"
  echo "check-format: lines over 120 columns (above)" >&2
  exit 1
fi
echo "check-format: changed lines formatted since ${base:0:12}, no line over 120 columns"
