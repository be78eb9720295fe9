#!/usr/bin/env bash
# barrage capacity at full length: the default 30 s steps and 5 s warm-up
# (the integration test uses 4 s and 1 s) against `barrage target
# --concurrency K --delay D` (capacity K / D: 8 / 10 ms = 800/s by default),
# with --local 2. Prints the search's progress and answer, and checks that
# the answer is within 5% of the known capacity and limited by the service.
# Takes about 8-10 minutes (12-14 steps of ~37 s).
#
# Usage: bench/capacity.sh [path/to/barrage]
#   env: CONCURRENCY (8), DELAY_MS (10), STEP (30s), WARMUP (5s), SLO ('p95<50ms,error_rate<1%')
source "$(dirname "$0")/lib.sh"
BARRAGE=${1:-$BARRAGE}
need python3
CONCURRENCY=${CONCURRENCY:-8}
DELAY_MS=${DELAY_MS:-10}
STEP=${STEP:-30s}
WARMUP=${WARMUP:-5s}
SLO=${SLO:-p95<50ms,error_rate<1%}
WANT=$((CONCURRENCY * 1000 / DELAY_MS))

T=$(free_port)
"$BARRAGE" target --listen "127.0.0.1:$T" --concurrency "$CONCURRENCY" --delay "${DELAY_MS}ms" \
  > "$WORK/target.log" 2>&1 &
PIDS+=($!)
wait_port "$T"
cat > "$WORK/s.yaml" <<YAML
name: capacity-bench
target: http://127.0.0.1:$T
requests: [{name: get, path: /}]
stages: [{duration: 10s, rate: 10/s}]
YAML
start=$((WANT / 4))
"$BARRAGE" capacity "$WORK/s.yaml" --local 2 --slo "$SLO" --start "$start" --step "$STEP" \
  --warmup "$WARMUP" --deadline 20m --out "json=$WORK/cap.json"
python3 - "$WORK/cap.json" "$WANT" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); want = float(sys.argv[2])
c = r["capacity_rps"]
print(f"capacity {c}/s (known {want:.0f}/s, {100 * (c - want) / want:+.1f}%), "
      f"interval {r['interval_rps']}, limited by {r['limited_by']}, {len(r['steps'])} steps")
sys.exit(0 if r["limited_by"] == "service" and abs(c - want) <= 0.05 * want else 1)
PY
