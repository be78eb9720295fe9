#!/usr/bin/env bash
# The README's demo command: build, start `barrage target` on loopback
# (10 ms +- 2 ms per response), run deploy/examples/demo.yaml for 20 s with
# two local agents (an embedded controller and two agent daemons over gRPC
# on loopback), print the live progress and the summary, and stop the target.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash deploy/local/setup-debian12.sh
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target barrage barrage-controller barrage-agent
BARRAGE="$BUILD_DIR/bin/barrage"

WORK=$(mktemp -d)
TARGET_PID=
cleanup() {
  if [ -n "$TARGET_PID" ]; then kill "$TARGET_PID" 2>/dev/null || true; wait "$TARGET_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The example aims at 127.0.0.1:8080; use the first free port from there
# (--target points the run at it).
SCENARIO=deploy/examples/demo.yaml
for port in $(seq 8080 8099); do
  "$BARRAGE" target --listen "127.0.0.1:$port" --delay 10ms --jitter 2ms > "$WORK/target.log" 2>&1 &
  TARGET_PID=$!
  for _ in $(seq 50); do
    grep -q listening "$WORK/target.log" && break
    kill -0 "$TARGET_PID" 2>/dev/null || break
    sleep 0.05
  done
  if grep -q listening "$WORK/target.log"; then break; fi
  wait "$TARGET_PID" 2>/dev/null || true
  TARGET_PID=
done
[ -n "$TARGET_PID" ] || { echo "demo: no free port in 8080-8099 for barrage target" >&2; exit 3; }
echo "== barrage target on 127.0.0.1:$port (10 ms +- 2 ms); running $SCENARIO with 2 local agents"
set +e
"$BARRAGE" run "$SCENARIO" --local 2 --target "http://127.0.0.1:$port" --out "json=$WORK/result.json"
code=$?
set -e
kill -TERM "$TARGET_PID"
wait "$TARGET_PID" 2>/dev/null || true
TARGET_PID=
echo "== barrage run exited $code; $(tail -1 "$WORK/target.log")"
exit "$code"
