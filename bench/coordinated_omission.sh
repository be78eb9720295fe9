#!/usr/bin/env bash
# Coordinated omission: 500 requests/s for 10 s over nginx (1 worker, CPU 1);
# the nginx worker is stopped (SIGSTOP) for 1.0 s at t = 4.5 s. The true
# open-loop P95 / P99 are about 0.5 s / 0.9 s. Barrage must show the stall;
# wrk (closed loop, 50 connections, same stall) is run for comparison.
#
#   bench/coordinated_omission.sh
source "$(dirname "$0")/lib.sh"
need wrk nginx taskset curl python3
start_nginx
cat > "$WORK/co.yaml" <<YAML
name: coordinated-omission
target: http://127.0.0.1:$NGINX_PORT
requests: [{name: root, path: /}]
stages: [{duration: 10s, rate: 500/s}]
YAML
stall() { sleep 4.5; kill -STOP "$NGINX_WORKER_PID"; sleep 1.0; kill -CONT "$NGINX_WORKER_PID"; }
stall & PIDS+=("$!")
taskset -c 0 "$BARRAGE" run "$WORK/co.yaml" --local 1 --workers 1 -q --out "json=$WORK/co.json" > /dev/null
wait "${PIDS[-1]}" || true
stall & PIDS+=("$!")
taskset -c 0 wrk -t1 -c50 -d10s --latency "http://127.0.0.1:$NGINX_PORT/" > "$WORK/wrk.out"
wait "${PIDS[-1]}" || true
echo "barrage (open model, latency from intended send):"
json "$WORK/co.json" "'  requests %d dropped %d  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms' % (r['totals']['requests'], r['totals']['dropped'], r['latency_ms']['p50'], r['latency_ms']['p95'], r['latency_ms']['p99'], r['latency_ms']['max'])"
json "$WORK/co.json" "'  service time (from actual send): p95 %.1f ms p99 %.1f ms' % (r['service_time_ms']['p95'], r['service_time_ms']['p99'])"
p95=$(json "$WORK/co.json" "r['latency_ms']['p95']")
p99=$(json "$WORK/co.json" "r['latency_ms']['p99']")
echo "  shows the stall (p95 >= 400 ms and p99 >= 800 ms): $(python3 -c "print('ok' if $p95 >= 400 and $p99 >= 800 else 'MISSED')")"
echo "wrk (closed loop, 50 connections, same stall):"
grep -E '^ +(50|90|99)%' "$WORK/wrk.out" | sed 's/^/  /'
