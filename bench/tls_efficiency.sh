#!/usr/bin/env bash
# CPU per request over https (HTTP/1.1, TLS 1.3), closed model, 50
# connections, against nginx (1 worker, pinned to CPU 1); the generator
# pinned to CPU 0 with one worker thread. wrk, Barrage (native driver, TLS
# on OpenSSL) and Barrage with --http-engine curl run back to back in the
# same invocation, ROUNDS times, interleaved. Two cases:
#   keepalive  50 kept-alive connections (the TLS record cost)
#   close      `Connection: close`: a new connection and handshake per
#              request (resumed sessions), with h2load --h1 too if installed
# Goal: Barrage's CPU-seconds per request <= 1.1x wrk's (keepalive).
#
#   bench/tls_efficiency.sh        (ROUNDS=3 DURATION=10 CASES="keepalive close")
source "$(dirname "$0")/lib.sh"
need wrk nginx taskset curl python3 openssl /usr/bin/time
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CASES=${CASES:-keepalive close}
NGINX_TLS=1 start_nginx
URL="https://127.0.0.1:$NGINX_TLS_PORT/"
for c in keepalive close; do
  headers=""
  [ "$c" = close ] && headers='headers: {Connection: close}'
  cat > "$WORK/$c.yaml" <<YAML
name: tls-$c
target: https://127.0.0.1:$NGINX_TLS_PORT
defaults: {tls: {ca: ca.pem}}
requests: [{name: root, path: /, $headers}]
stages: [{duration: ${DURATION}s, vus: 50}]
YAML
done
printf '%-9s %-6s %-8s %12s %10s %14s\n' case round tool requests req/s "cpu us/req"
for c in $CASES; do
  wrk_args=()
  [ "$c" = close ] && wrk_args=(-H "Connection: close")
  for round in $(seq "$ROUNDS"); do
    before=$(nginx_requests)
    /usr/bin/time -f '%U %S' -o "$WORK/wrk.time" \
      taskset -c 0 wrk -t1 -c50 -d"${DURATION}s" "${wrk_args[@]}" "$URL" > "$WORK/wrk.out"
    wrk_n=$(( $(nginx_requests) - before ))
    read -r u s < "$WORK/wrk.time"
    wrk_us=$(python3 -c "print(($u + $s) * 1e6 / $wrk_n)")
    printf '%-9s %-6s %-8s %12d %10.0f %14.2f\n' "$c" "$round" wrk "$wrk_n" \
      "$(python3 -c "print($wrk_n / $DURATION)")" "$wrk_us"
    # h2load 1.52's -D never ends with Connection: close: as many requests as wrk made.
    if [ "$c" = close ] && command -v h2load > /dev/null; then
      before=$(nginx_requests)
      /usr/bin/time -f '%U %S' -o "$WORK/h2.time" \
        taskset -c 0 timeout $((DURATION * 6)) h2load --h1 -c50 -n"$wrk_n" \
          -H 'Connection: close' "$URL" > "$WORK/h2.out"
      h2_n=$(( $(nginx_requests) - before ))
      read -r u s < "$WORK/h2.time"
      h2_us=$(python3 -c "print(($u + $s) * 1e6 / $h2_n)")
      h2_s=$(python3 -c "import re; m = re.search(r'finished in ([0-9.]+)(ms|s)', open('$WORK/h2.out').read()); print(float(m[1]) / (1000 if m[2] == 'ms' else 1) if m else 0)")
      printf '%-9s %-6s %-8s %12d %10.0f %14.2f   ratio to wrk %s\n' "$c" "$round" h2load \
        "$h2_n" "$(python3 -c "print($h2_n / max(${h2_s:-0}, 1e-9))")" "$h2_us" \
        "$(ratio "$h2_us" "$wrk_us")"
    fi
    for engine in auto curl; do
      before=$(nginx_requests)
      /usr/bin/time -f '%U %S' -o "$WORK/b.time" \
        taskset -c 0 "$BARRAGE" run "$WORK/$c.yaml" --local 1 --workers 1 -q \
          --http-engine "$engine" --out "json=$WORK/b.json" > /dev/null
      b_n=$(( $(nginx_requests) - before ))
      read -r u s < "$WORK/b.time"
      b_us=$(python3 -c "print(($u + $s) * 1e6 / $b_n)")
      name=barrage; [ "$engine" = curl ] && name=b+curl
      errors=$(python3 -c "import json; print(json.load(open('$WORK/b.json'))['totals']['errors'])")
      tls=$(python3 -c "import json; p=json.load(open('$WORK/b.json')).get('phases_ms',{}).get('tls',{}); print('%s p50 %.2f ms' % (p.get('count',0), p.get('p50',0)))")
      printf '%-9s %-6s %-8s %12d %10.0f %14.2f   ratio to wrk %s, errors %s, handshakes %s\n' \
        "$c" "$round" "$name" "$b_n" "$(python3 -c "print($b_n / $DURATION)")" "$b_us" \
        "$(ratio "$b_us" "$wrk_us")" "$errors" "$tls"
    done
  done
done
