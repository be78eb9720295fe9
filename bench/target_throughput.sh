#!/usr/bin/env bash
# Throughput of `barrage target` on one core, no delay: the target pinned to
# CPU 1, wrk (1 thread, 50 connections, 5 s) pinned to CPU 0. Prints wrk's
# requests/s and the target's own served count from /__barrage/metrics.
# Goal: >= 20k requests/s.
#
# Usage: bench/target_throughput.sh [path/to/barrage]
#   (default: $BARRAGE, else build/bin/barrage)
# Needs: wrk, curl, taskset. Uses the first free port in 18080-18099.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BARRAGE=${1:-${BARRAGE:-$ROOT/build/bin/barrage}}
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-50}

for tool in wrk curl taskset; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done
[ -x "$BARRAGE" ] || { echo "no barrage binary at $BARRAGE (build it first)" >&2; exit 1; }

WORK=$(mktemp -d)
PID=
cleanup() {
  if [ -n "$PID" ]; then
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Start the target on the first port it can bind; it prints a line when ready.
PORT=
for candidate in $(seq 18080 18099); do
  taskset -c 1 "$BARRAGE" target --listen "127.0.0.1:$candidate" \
    > "$WORK/target.out" 2> "$WORK/target.err" &
  PID=$!
  for _ in $(seq 100); do
    if grep -q 'listening on' "$WORK/target.out"; then PORT=$candidate; break; fi
    kill -0 "$PID" 2>/dev/null || break   # exited: port taken
    sleep 0.05
  done
  [ -n "$PORT" ] && break
  wait "$PID" 2>/dev/null || true
  PID=
done
[ -n "$PORT" ] || { echo "could not start the target on 18080-18099" >&2; cat "$WORK/target.err" >&2; exit 1; }
echo "target: $(cat "$WORK/target.out") (pid $PID, CPU 1)"

taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$PORT/" \
  | tee "$WORK/wrk.out"

METRICS=$(curl -sf "http://127.0.0.1:$PORT/__barrage/metrics")
SERVED=$(echo "$METRICS" | awk '/^barrage_target_requests_total/ {s += $2} END {print s + 0}')
RPS=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk.out")

kill -TERM "$PID"
wait "$PID" || true
PID=
echo "final: $(tail -n 1 "$WORK/target.out")"
echo
echo "wrk requests/s:         $RPS"
echo "target served (metrics): $SERVED"
awk -v r="$RPS" 'BEGIN { exit !(r >= 20000) }' \
  && echo "goal (>= 20000/s):      met" \
  || { echo "goal (>= 20000/s):      NOT met"; exit 1; }
