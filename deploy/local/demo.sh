#!/usr/bin/env bash
# The README's demo command. Builds the CLI, then validates every example
# scenario and shows how the demo scenario splits across 2 agents.
# (Distributed runs land with the controller and agents; this script then
# starts `barrage target`, runs deploy/examples/demo.yaml with --local 2 and
# prints the summary.)
set -euo pipefail
cd "$(dirname "$0")/../.."

bash deploy/local/setup-debian12.sh
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target barrage
BARRAGE="$BUILD_DIR/controller/barrage"

echo "== validate every example =="
"$BARRAGE" validate -q deploy/examples/*.yaml
echo
echo "== the demo scenario, normalized =="
"$BARRAGE" validate deploy/examples/demo.yaml
echo
echo "== how it splits across 2 agents =="
"$BARRAGE" plan deploy/examples/demo.yaml --agents 2
