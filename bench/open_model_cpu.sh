#!/usr/bin/env bash
# What a fixed rate costs: the open model at RATES requests/s for DURATION s
# on one worker thread (CPU 0) against nginx (CPU 1), with the native
# HTTP/1.1 client and with libcurl (--http-engine curl), in the same run.
# Prints what nginx counted, drops, CPU per request (whole process: the
# embedded controller and agent's start-up included) and latency. wrk has no
# open model to compare with; the closed-model figure against wrk is
# bench/engine_efficiency.sh's.
#
#   bench/open_model_cpu.sh        (RATES="5000 20000 40000" DURATION=5)
source "$(dirname "$0")/lib.sh"
need nginx taskset curl python3 /usr/bin/time
RATES=${RATES:-"5000 20000 40000"}
DURATION=${DURATION:-5}
start_nginx
printf '%-7s %-6s %9s %9s %8s %11s %9s %9s\n' rate engine counted dropped errors "cpu us/req" "p50 ms" "p99 ms"
for rate in $RATES; do
  cat > "$WORK/open.yaml" <<YAML
name: open-model-cpu
target: http://127.0.0.1:$NGINX_PORT
requests: [{name: root, path: /}]
stages: [{duration: ${DURATION}s, rate: $rate/s}]
YAML
  for engine in auto curl; do
    before=$(nginx_requests)
    /usr/bin/time -f '%U %S' -o "$WORK/t" \
      taskset -c 0 "$BARRAGE" run "$WORK/open.yaml" --local 1 --workers 1 -q \
        --http-engine "$engine" --out "json=$WORK/r.json" > /dev/null || true
    counted=$(( $(nginx_requests) - before - 1 ))  # less the first stub request
    python3 - "$WORK/r.json" "$WORK/t" "$rate" "$engine" "$counted" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
user, system = map(float, open(sys.argv[2]).read().split())
t, lat = d["totals"], d["latency_ms"]
counted = int(sys.argv[5])
name = "native" if sys.argv[4] == "auto" else "curl"
print("%-7s %-6s %9d %9d %8d %11.2f %9.3f %9.3f" % (
    sys.argv[3], name, counted, t["dropped"], t["errors"],
    (user + system) * 1e6 / max(counted, 1), lat["p50"], lat["p99"]))
PY
  done
done
