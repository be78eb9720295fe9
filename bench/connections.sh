#!/usr/bin/env bash
# Connections held by one agent: 5,000 and 10,000 closed-model VUs (think
# 1 s, 20 s) against nginx on loopback, on one barrage-agent process (its
# --max-in-flight from the open-file limit). Prints the agent's peak RSS
# (VmHWM from /proc) and whether every VU had its connection: the agent
# opened one per VU, nginx held them, and the result's concurrency_held
# check passed with no capped interval.
# Goal: 10,000 connections under 100 MB RSS.
#
#   bench/connections.sh [VUS...]      (default: 5000 10000)
source "$(dirname "$0")/lib.sh"
need nginx curl python3
BIN=$(dirname "$BARRAGE")
COUNTS=("${@:-5000}")
[ $# -gt 0 ] || COUNTS=(5000 10000)
max=0; for n in "${COUNTS[@]}"; do [ "$n" -gt "$max" ] && max=$n; done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $(( max + 200 )) ]; then
  echo "ulimit -n is $(ulimit -n): $max connections need $(( max + 200 ))" >&2; exit 1
fi
# nginx closes idle keep-alive connections once fewer than 1/16 of its
# worker_connections are free: give it twice what the run holds (a count
# of preallocated structures; the descriptors it needs are the run's).
NGINX_WORKER_CONNECTIONS=$(( max * 2 + 100 )) NGINX_RLIMIT_NOFILE=$(( max + 200 )) start_nginx
json() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"; }
G=$(free_port)
"$BIN/barrage-controller" --grpc "127.0.0.1:$G" --http "" > "$WORK/controller.log" 2>&1 &
PIDS+=("$!")
"$BIN/barrage-agent" --controller "127.0.0.1:$G" --id bench --http "" > "$WORK/agent.log" 2>&1 &
AGENT_PID=$!
PIDS+=("$AGENT_PID")
for _ in $(seq 100); do
  "$BARRAGE" agents --controller "127.0.0.1:$G" 2>/dev/null | grep -q '^1 agent' && break
  sleep 0.1
done
limit=$("$BARRAGE" agents --controller "127.0.0.1:$G" | awk '$1 == "bench" {print $5}')
echo "agent: --max-in-flight $limit (from ulimit -n $(ulimit -n)), $(nproc) cores"
for n in "${COUNTS[@]}"; do
  cat > "$WORK/c$n.yaml" <<YAML
name: connections-$n
target: http://127.0.0.1:$NGINX_PORT
defaults: {timeout: 10s}
requests: [{name: root, path: /}]
stages: [{duration: 20s, vus: $n, think: 1s}]
YAML
  rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$AGENT_PID/status")
  held=0
  "$BARRAGE" run "$WORK/c$n.yaml" --controller "127.0.0.1:$G" -q --out "json=$WORK/c$n.json" \
    > "$WORK/c$n.out" 2>&1 &
  run=$!
  # nginx's active connections, sampled while the load runs.
  while kill -0 "$run" 2>/dev/null; do
    a=$(curl -s "http://127.0.0.1:$NGINX_PORT/stub" | awk 'NR==1 {print $3 - 1}')
    [ "${a:-0}" -gt "$held" ] && held=$a
    [ -n "${BENCH_VERBOSE:-}" ] && echo "  nginx active: $a" >&2
    sleep 1
  done
  code=0; wait "$run" || code=$?
  hwm=$(( $(awk '/VmHWM/ {print $2}' "/proc/$AGENT_PID/status") / 1024 ))
  conns=$(json "$WORK/c$n.json" "sum(a['connections_opened'] for a in r['agents'])")
  capped=$(json "$WORK/c$n.json" "sum(a.get('vus_capped_intervals', 0) for a in r['agents'])")
  check=$(json "$WORK/c$n.json" "[c['passed'] for c in r['checks'] if c['name'] == 'concurrency_held']")
  reqs=$(json "$WORK/c$n.json" "r['totals']['requests']")
  errs=$(json "$WORK/c$n.json" "r['totals']['errors']")
  # Every VU had its connection: the agent opened one per VU, nginx held
  # them all at once, no interval was capped, and the run's check passed.
  every=no
  [ "$conns" = "$n" ] && [ "$capped" = 0 ] && [ "$check" = "[True]" ] && [ "$held" -ge "$n" ] &&
    every=yes
  echo "$n VUs: exit $code, agent peak RSS $hwm MB (before $(( rss_before / 1024 )) MB), $conns connections opened, capped intervals $capped, $reqs requests ($errs errors), nginx held $held at once; every VU had its connection: $every"
done
if [ -s "$WORK/nginx/logs/error.log" ]; then
  echo "nginx error log (last lines):"; tail -n 3 "$WORK/nginx/logs/error.log"
fi
echo "goal: 10000 connections under 100 MB RSS (peak RSS is the agent process's VmHWM over all runs so far)"
