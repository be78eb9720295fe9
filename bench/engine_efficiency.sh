#!/usr/bin/env bash
# CPU per request, closed model, 50 connections, against nginx (1 worker,
# pinned to CPU 1); the generator pinned to CPU 0 with one worker thread.
# wrk, Barrage (native HTTP/1.1 driver) and Barrage with --http-engine curl
# (libcurl) run back to back in the same invocation, ROUNDS times.
# Goal: Barrage's CPU-seconds per request <= 1.5x wrk's.
#
#   bench/engine_efficiency.sh        (ROUNDS=3 DURATION=10 by default)
source "$(dirname "$0")/lib.sh"
need wrk nginx taskset curl python3 /usr/bin/time
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
start_nginx
URL="http://127.0.0.1:$NGINX_PORT/"
cat > "$WORK/closed.yaml" <<YAML
name: efficiency
target: http://127.0.0.1:$NGINX_PORT
requests: [{name: root, path: /}]
stages: [{duration: ${DURATION}s, vus: 50}]
YAML
printf '%-6s %-8s %12s %10s %14s\n' round tool requests req/s "cpu us/req"
for round in $(seq "$ROUNDS"); do
  before=$(nginx_requests)
  /usr/bin/time -f '%U %S' -o "$WORK/wrk.time" \
    taskset -c 0 wrk -t1 -c50 -d"${DURATION}s" "$URL" > "$WORK/wrk.out"
  wrk_n=$(( $(nginx_requests) - before ))
  read -r u s < "$WORK/wrk.time"
  wrk_us=$(python3 -c "print(($u + $s) * 1e6 / $wrk_n)")
  printf '%-6s %-8s %12d %10.0f %14.2f\n' "$round" wrk "$wrk_n" \
    "$(python3 -c "print($wrk_n / $DURATION)")" "$wrk_us"

  for engine in auto curl; do
    before=$(nginx_requests)
    /usr/bin/time -f '%U %S' -o "$WORK/b.time" \
      taskset -c 0 "$BARRAGE" run "$WORK/closed.yaml" --local 1 --workers 1 -q \
        --http-engine "$engine" --out "json=$WORK/b.json" > /dev/null
    b_n=$(( $(nginx_requests) - before ))
    read -r u s < "$WORK/b.time"
    b_us=$(python3 -c "print(($u + $s) * 1e6 / $b_n)")
    name=barrage; [ "$engine" = curl ] && name=b+curl
    errors=$(python3 -c "import json; print(json.load(open('$WORK/b.json'))['totals']['errors'])")
    printf '%-6s %-8s %12d %10.0f %14.2f   ratio to wrk %s, errors %s\n' "$round" "$name" \
      "$b_n" "$(python3 -c "print($b_n / $DURATION)")" "$b_us" "$(ratio "$b_us" "$wrk_us")" "$errors"
  done
done
