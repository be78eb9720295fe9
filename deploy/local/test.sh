#!/usr/bin/env bash
# The README's test command: install what a fresh Debian 12 machine lacks,
# build everything (warnings are errors), run every test with ctest.
# A run that executes no test fails.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash deploy/local/setup-debian12.sh
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DBARRAGE_BUILD_TESTS=ON -DBARRAGE_BUILD_BENCHMARKS=ON -DBARRAGE_WERROR=ON
cmake --build "$BUILD_DIR" -j "$(nproc)"
ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error \
  -j "$(nproc)" --timeout 900 "$@"
