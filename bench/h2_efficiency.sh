#!/usr/bin/env bash
# CPU per request over HTTP/2, closed model, against nginx (1 worker, pinned
# to CPU 1); the generator pinned to CPU 0 with one worker thread. h2load and
# Barrage (native HTTP/2 driver) run interleaved, ROUNDS times, at the same
# connections x streams: 5x10 (50 streams over 5 connections) and 50x1, over
# h2c (prior knowledge) and over TLS (TLS 1.3, ALPN h2, the same URL for
# both tools). Medians and their ratio are printed at the end.
# Goal: Barrage's CPU-seconds per request <= 1.1x h2load's.
#
#   bench/h2_efficiency.sh   (ROUNDS=3 DURATION=10 PROTOS="h2c tls" by default)
source "$(dirname "$0")/lib.sh"
need h2load nginx taskset curl python3 openssl /usr/bin/time
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
PROTOS=${PROTOS:-h2c tls}
NGINX_TLS=1 start_nginx
SHAPES="5x10 50x1"
url_for() {
  if [ "$1" = tls ]; then echo "https://127.0.0.1:$NGINX_TLS_H2_PORT"
  else echo "http://127.0.0.1:$NGINX_H2C_PORT"; fi
}
for proto in $PROTOS; do
  tls=""
  [ "$proto" = tls ] && tls="tls: {ca: ca.pem}"
  for shape in $SHAPES; do
    c=${shape%x*}; m=${shape#*x}
    cat > "$WORK/h2-$proto-$shape.yaml" <<YAML
name: h2-efficiency
target: $(url_for "$proto")
defaults:
  ${tls:+$tls
  }http: {version: "2", connections: $c, max_streams: $m}
requests: [{name: root, path: /}]
stages: [{duration: ${DURATION}s, vus: $(( c * m ))}]
YAML
  done
done
us_per_req() { python3 -c "print(($1 + $2) * 1e6 / $3)"; }
printf '%-6s %-5s %-6s %-8s %12s %10s %14s\n' round proto shape tool requests req/s "cpu us/req"
for round in $(seq "$ROUNDS"); do
  for proto in $PROTOS; do
    for shape in $SHAPES; do
      c=${shape%x*}; m=${shape#*x}
      before=$(nginx_requests)
      /usr/bin/time -f '%U %S' -o "$WORK/h2load.time" \
        taskset -c 0 h2load -t1 -c"$c" -m"$m" -D"$DURATION" "$(url_for "$proto")/" \
        > "$WORK/h2load.out"
      h_n=$(( $(nginx_requests) - before ))
      read -r u s < "$WORK/h2load.time"
      h_us=$(us_per_req "$u" "$s" "$h_n")
      echo "$proto-$shape h2load $h_us" >> "$WORK/samples"
      printf '%-6s %-5s %-6s %-8s %12d %10.0f %14.2f\n' "$round" "$proto" "$shape" h2load \
        "$h_n" "$(python3 -c "print($h_n / $DURATION)")" "$h_us"

      before=$(nginx_requests)
      /usr/bin/time -f '%U %S' -o "$WORK/b.time" \
        taskset -c 0 "$BARRAGE" run "$WORK/h2-$proto-$shape.yaml" --local 1 --workers 1 -q \
          --out "json=$WORK/b.json" > /dev/null
      b_n=$(( $(nginx_requests) - before ))
      read -r u s < "$WORK/b.time"
      b_us=$(us_per_req "$u" "$s" "$b_n")
      echo "$proto-$shape barrage $b_us" >> "$WORK/samples"
      errors=$(json "$WORK/b.json" "r['totals']['errors']")
      client=$(json "$WORK/b.json" "r['agents'][0]['http_client']")
      printf '%-6s %-5s %-6s %-8s %12d %10.0f %14.2f   ratio to h2load %s, errors %s, %s\n' \
        "$round" "$proto" "$shape" barrage "$b_n" "$(python3 -c "print($b_n / $DURATION)")" \
        "$b_us" "$(ratio "$b_us" "$h_us")" "$errors" "$client"
    done
  done
done
echo
python3 - "$WORK/samples" <<'PY'
import statistics, sys
samples = {}
for line in open(sys.argv[1]):
    shape, tool, us = line.split()
    samples.setdefault((shape, tool), []).append(float(us))
for shape in dict.fromkeys(s for s, _ in samples):
    h = statistics.median(samples[(shape, "h2load")])
    b = statistics.median(samples[(shape, "barrage")])
    print(f"median {shape:>9}: h2load {h:.2f} us/req, barrage {b:.2f} us/req, "
          f"ratio {b / h:.2f} (goal <= 1.10)")
PY
