#!/usr/bin/env bash
# The test command: installs what is missing, builds the release preset, runs every test with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh release
ctest --preset release "$@"
