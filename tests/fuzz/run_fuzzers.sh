#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in their own build
# directory and runs each for a bounded time from its seed corpus. Fails on
# any crash, leak or sanitizer report.
#
# Usage: tests/fuzz/run_fuzzers.sh BUILD_DIR [SECONDS_PER_TARGET]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$1
SECONDS_EACH=${2:-20}
command -v clang++ >/dev/null || { echo "clang++ not installed: skipped"; exit 0; }
mkdir -p "$BUILD"
CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBARRAGE_FUZZ=ON -DBARRAGE_BUILD_TESTS=OFF -DBARRAGE_BUILD_BENCHMARKS=OFF > "$BUILD/configure.out" 2>&1 ||
  { cat "$BUILD/configure.out"; exit 1; }
cmake --build "$BUILD" -j "$(nproc)" --target scenario_loader_fuzz histogram_decoder_fuzz agent_messages_fuzz \
  http1_response_fuzz http2_client_fuzz
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for target in scenario_loader histogram_decoder agent_messages http1_response http2_client; do
  mkdir -p "$WORK/$target"
  seeds=("$ROOT/tests/fuzz/corpus/$target")
  [ "$target" = scenario_loader ] && seeds+=("$ROOT/tests/testdata/scenarios/valid" "$ROOT/tests/testdata/scenarios/invalid")
  echo "== $target: $SECONDS_EACH s"
  "$BUILD/tests/fuzz/${target}_fuzz" "$WORK/$target" "${seeds[@]}" \
    -max_total_time="$SECONDS_EACH" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 > "$WORK/$target.log" 2>&1 ||
    { tail -40 "$WORK/$target.log"; echo "FAIL: $target"; exit 1; }
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$WORK/$target.log" | tr '\n' ' '
  echo
done
echo "ok: every fuzzer ran for $SECONDS_EACH s without a crash"
