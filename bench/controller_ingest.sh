#!/usr/bin/env bash
# Controller ingest: N simulated agents (100, 500, 1000) each send a
# realistic 20-series report every second into a running run; the
# controller's CPU (over 10 steady seconds) and peak RSS are measured.
# Goal: 1,000 agents use under half of one core and under 1 GB RSS.
#
#   bench/controller_ingest.sh [N...]
source "$(dirname "$0")/lib.sh"
need python3
CONTROLLER=${CONTROLLER:-$ROOT/build/bin/barrage-controller}
CLIENT=${CLIENT:-$ROOT/build/bench/controller_ingest}
ulimit -n 65536 2>/dev/null || true
printf '%8s %12s %10s %12s\n' agents "cpu (cores)" "rss MB" "reports/s"
for n in "${@:-100 500 1000}"; do
  port=$(free_port)
  taskset -c 1 "$CONTROLLER" --grpc "127.0.0.1:$port" --http "" > "$WORK/c.log" 2>&1 &
  cpid=$!
  PIDS+=("$cpid")
  wait_port "$port"
  taskset -c 0 "$CLIENT" --controller "127.0.0.1:$port" --agents "$n" --seconds 30 > "$WORK/client.log" 2>&1 &
  lpid=$!
  PIDS+=("$lpid")
  # Wait until every simulated agent reports, then 5 s to settle.
  for _ in $(seq 600); do grep -q "reporting agents" "$WORK/client.log" && break; sleep 0.1; done
  sleep 5
  t0=$(awk '{print $14 + $15}' /proc/$cpid/stat); s0=$(date +%s.%N)
  sleep 10
  t1=$(awk '{print $14 + $15}' /proc/$cpid/stat); s1=$(date +%s.%N)
  rss=$(awk '/VmHWM/ {print int($2 / 1024)}' /proc/$cpid/status)
  cores=$(python3 -c "print(f'{($t1 - $t0) / $(getconf CLK_TCK) / ($s1 - $s0):.3f}')")
  printf '%8d %12s %10d %12d\n' "$n" "$cores" "$rss" "$n"
  wait "$lpid" || true
  kill "$cpid"; wait "$cpid" || true
done
