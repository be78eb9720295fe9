#!/usr/bin/env bash
# Open-model rate accuracy: 1,000 requests/s for 20 s against nginx, counted
# by nginx itself (stub_status sampled every second). Goal: 20,000 +- 0.5%
# in total, every full 1-second bucket within +-2% of 1,000.
#
#   bench/rate_accuracy.sh
source "$(dirname "$0")/lib.sh"
need nginx taskset curl python3
start_nginx
cat > "$WORK/rate.yaml" <<YAML
name: rate-accuracy
target: http://127.0.0.1:$NGINX_PORT
requests: [{name: root, path: /}]
stages: [{duration: 20s, rate: 1000/s}]
YAML
( while true; do echo "$(date +%s.%N) $(nginx_requests)"; sleep 1; done ) > "$WORK/samples" &
SAMPLER=$!
PIDS+=("$SAMPLER")
start=$(nginx_requests)
lines_before=$(wc -l < "$WORK/samples")
taskset -c 0 "$BARRAGE" run "$WORK/rate.yaml" --local 1 -q --out "json=$WORK/r.json" > /dev/null
sleep 1.5
lines_after=$(wc -l < "$WORK/samples")
end=$(nginx_requests)
kill "$SAMPLER"
# The sampler's own stub requests in between are not load.
total=$(( end - start - (lines_after - lines_before) ))
python3 - "$WORK/samples" "$total" <<'PY'
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 2]
total = int(sys.argv[2])
rates = [(b[1] - a[1] - 1) / (b[0] - a[0]) for a, b in zip(rows, rows[1:])]  # -1: the sample's own stub request
steady = [r for r in rates if r > 500][1:-1]  # full seconds inside the run
worst = max(abs(r - 1000) / 1000 for r in steady) if steady else float("nan")
print(f"requests at nginx: {total} (goal 20000 +- 100): {'ok' if abs(total - 20000) <= 100 else 'MISSED'}")
print(f"per-second rate at nginx: min {min(steady):.0f} max {max(steady):.0f} over {len(steady)} s; worst deviation {worst*100:.2f}% (goal <= 2%): {'ok' if worst <= 0.02 else 'MISSED'}")
PY
