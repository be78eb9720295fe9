#!/usr/bin/env bash
# Measurement overhead: `barrage target --delay 10ms` (pinned to CPU 1) at
# 50 requests/s for 10 s, Barrage pinned to CPU 0; then wrk (closed loop,
# 1 connection, same 10 s) against the same server for comparison.
# Goal: Barrage P50 <= 10.3 ms, P99 <= 11 ms. The target's own overshoot
# (~0.1-0.3 ms on a VM) is included in both tools' numbers.
#
#   bench/latency_overhead.sh
source "$(dirname "$0")/lib.sh"
need wrk taskset curl python3
start_target --delay 10ms
cat > "$WORK/l.yaml" <<YAML
name: latency-overhead
target: http://127.0.0.1:$TARGET_PORT
requests: [{name: root, path: /}]
stages: [{duration: 10s, rate: 50/s}]
YAML
taskset -c 0 "$BARRAGE" run "$WORK/l.yaml" --local 1 --workers 1 -q --out "json=$WORK/l.json" > /dev/null
taskset -c 0 wrk -t1 -c1 -d10s --latency "http://127.0.0.1:$TARGET_PORT/" > "$WORK/wrk.out"
p50=$(json "$WORK/l.json" "r['latency_ms']['p50']")
p99=$(json "$WORK/l.json" "r['latency_ms']['p99']")
s50=$(json "$WORK/l.json" "r['service_time_ms']['p50']")
s99=$(json "$WORK/l.json" "r['service_time_ms']['p99']")
n=$(json "$WORK/l.json" "r['totals']['requests']")
echo "barrage: $n requests, response p50 $p50 ms p99 $p99 ms (service p50 $s50 p99 $s99)"
echo "  goal p50 <= 10.3: $(python3 -c "print('ok' if $p50 <= 10.3 else 'MISSED')"), p99 <= 11: $(python3 -c "print('ok' if $p99 <= 11 else 'MISSED')")"
echo "wrk (closed loop, 1 connection, same server):"
grep -E '^ +(50|99)%' "$WORK/wrk.out" | sed 's/^/  /'
