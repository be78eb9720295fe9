#!/usr/bin/env bash
# A real Prometheus (Debian's package: own config, own data directory,
# loopback port, 1 s scrape) scraping a live distributed run: controller,
# 2 agents and `barrage target`. Checks that
#   - `promtool check metrics` passes on the controller's and an agent's
#     live /metrics during the run;
#   - barrage_requests_total rises within 5% of the target rate;
#   - the exact quantile gauges equal the run's result JSON;
#   - histogram_quantile() lands in the bucket holding the exact P95;
#   - every PromQL expression of the dashboard and the rule files evaluates.
#
# Usage: prometheus_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"
command -v prometheus >/dev/null || { echo "prometheus not installed: skipped"; exit 0; }

T=$(port); G=$(port); H=$(port); A1=$(port); A2=$(port); P=$(port)
"$BARRAGE" target --listen "127.0.0.1:$T" --delay 5ms --jitter 4ms > "$WORK/target.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "127.0.0.1:$H" > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id a1 --http "127.0.0.1:$A1" --workers 1 > "$WORK/a1.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id a2 --http "127.0.0.1:$A2" --workers 1 > "$WORK/a2.log" 2>&1 &
PIDS+=($!)

cat > "$WORK/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [$ROOT/deploy/prometheus/barrage-rules.yml]
scrape_configs:
  - job_name: barrage-controller
    static_configs: [{targets: ['127.0.0.1:$H']}]
  - job_name: barrage-agents
    static_configs: [{targets: ['127.0.0.1:$A1', '127.0.0.1:$A2']}]
YAML
promtool check config "$WORK/prometheus.yml" > /dev/null || fail "prometheus config"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
  --web.listen-address="127.0.0.1:$P" --log.level=warn > "$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do curl -sf "127.0.0.1:$P/-/ready" > /dev/null && break; sleep 0.2; done
query() {  # query EXPR -> JSON result array
  curl -s "127.0.0.1:$P/api/v1/query" --data-urlencode "query=$1"
}
value() {  # value EXPR -> first sample value or empty
  query "$1" | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}
# Prometheus needs its first scrapes before the run starts.
for _ in $(seq 100); do [ "$(value 'sum(up)')" = 3 ] && break; sleep 0.2; done
[ "$(value 'sum(up)')" = 3 ] || fail "Prometheus does not see the 3 targets"

cat > "$WORK/run.yaml" <<YAML
name: prometheus-check
target: http://127.0.0.1:$T
agents: {min: 2, wait: 10s}
requests:
  - {name: read, path: /r, weight: 3}
  - {name: write, method: POST, path: /w, body: x}
stages: [{duration: 25s, rate: 200/s}]
thresholds: [{metric: p95, below: 500ms}]
YAML
"$BARRAGE" run "$WORK/run.yaml" --controller "127.0.0.1:$G" -q --out "json=$WORK/result.json" > "$WORK/run.log" 2>&1 &
RUN=$!
# The window fitted below must hold steady load only: start counting from
# the run's first counted requests (its agents start later than the CLI on a
# loaded machine), then give it 15 s of its 25.
counted=0
for _ in $(seq 150); do
  counted=$(curl -s "127.0.0.1:$H/metrics" |
    awk '/^barrage_requests_total\{/ {s += $NF} END {print (s > 0 ? 1 : 0)}')
  [ "$counted" = 1 ] && break
  sleep 0.2
done
[ "$counted" = 1 ] || fail "no requests counted within 30 s of the run's start"
sleep 15
curl -s "127.0.0.1:$H/metrics" > "$WORK/controller.prom"
curl -s "127.0.0.1:$A1/metrics" > "$WORK/agent.prom"
promtool check metrics < "$WORK/controller.prom" 2> "$WORK/lint.txt" || fail "controller metrics lint: $(cat "$WORK/lint.txt")"
promtool check metrics < "$WORK/agent.prom" 2> "$WORK/lint.txt" || fail "agent metrics lint: $(cat "$WORK/lint.txt")"
grep -q '^barrage_request_duration_seconds_bucket{.*le="0.2"}' "$WORK/controller.prom" || fail "no histogram buckets"
curl -s -H 'Accept-Encoding: gzip' -D "$WORK/headers" -o /dev/null "127.0.0.1:$H/metrics"
grep -qi 'content-encoding: gzip' "$WORK/headers" || fail "/metrics is not gzipped on request"
echo "ok: promtool check metrics passes on live controller and agent pages; gzip on request"

# The counters move once a second, as intervals close, and under CPU load a
# few intervals can close late and then together, so one evaluation of a
# short rate() can be a step or two off. The check fits a line through the
# raw scraped samples of the summed counter over the last 14 s of steady
# load (least squares on the scrape timestamps): its slope is the rate.
query 'barrage_requests_total[14s]' > "$WORK/samples.json"
rate=$(python3 - "$WORK/samples.json" <<'PY'
import json, sys
from collections import defaultdict
series = json.load(open(sys.argv[1]))["data"]["result"]
total = defaultdict(float)  # scrape timestamp -> sum over series (one scrape, one timestamp)
for s in series:
    for t, v in s["values"]:
        total[round(float(t), 3)] += float(v)
points = sorted(total.items())
n = len(points)
mt = sum(t for t, _ in points) / n
mv = sum(v for _, v in points) / n
slope = sum((t - mt) * (v - mv) for t, v in points) / sum((t - mt) ** 2 for t, _ in points)
print(f"{slope:.1f} {n}")
PY
)
read -r rate samples <<< "$rate"
python3 -c "import sys; r=float('$rate'); sys.exit(0 if abs(r-200)/200 <= 0.05 else 1)" ||
  fail "the fitted rate of barrage_requests_total over 14 s ($samples scrapes) = $rate, want 200 +- 5%"
avg=$(value 'avg_over_time(sum(rate(barrage_requests_total[10s]))[6s:1s])')
echo "ok: barrage_requests_total rises at $rate/s over $samples scrapes (target 200/s; rate()[10s] averaged over 6 s: $avg)"

wait "$RUN" || fail "the run failed: $(cat "$WORK/run.log")"
RUN_ID=$(python3 -c "import json; print(json.load(open('$WORK/result.json'))['run'])")
sleep 2.5  # the final series are scraped (they stay for the grace period)
for q in 0.5 0.95 0.99; do
  got=$(value "barrage_request_duration_quantile_seconds{run=\"$RUN_ID\",request=\"*\",window=\"run\",quantile=\"$q\"}")
  key=$(python3 -c "print({'0.5':'p50','0.95':'p95','0.99':'p99'}['$q'])")
  want=$(python3 -c "import json; print(json.load(open('$WORK/result.json'))['latency_ms']['$key'] / 1000)")
  python3 -c "import sys; sys.exit(0 if abs(float('$got') - $want) < 1e-6 else 1)" ||
    fail "quantile $q: Prometheus $got, result JSON $want"
done
echo "ok: the exact quantile gauges equal the result JSON (p50, p95, p99)"

est=$(value "histogram_quantile(0.95, sum by (le) (barrage_request_duration_seconds_bucket{run=\"$RUN_ID\"}))")
exact=$(python3 -c "import json; print(json.load(open('$WORK/result.json'))['latency_ms']['p95'] / 1000)")
python3 - "$est" "$exact" <<'PY' || fail "histogram_quantile $est is not in the bucket of the exact P95 $exact"
import sys
est, exact = map(float, sys.argv[1:])
bounds = [0, .001, .0025, .005, .01, .025, .05, .1, .2, .25, .3, .5, .75, 1, 2, 2.5, 5, 10]
for lo, hi in zip(bounds, bounds[1:]):
    if lo < exact <= hi:
        assert lo <= est <= hi, (lo, hi)
        break
PY
echo "ok: histogram_quantile(0.95) = $est lies in the bucket of the exact P95 $exact"

errors=0
while IFS= read -r expr; do
  [ -z "$expr" ] && continue
  status=$(query "$expr" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  if [ "$status" != success ]; then echo "FAILED: $expr" >&2; errors=$((errors + 1)); fi
done < <(cat "$ROOT/deploy/grafana/queries.txt"; python3 - "$ROOT/deploy/prometheus/barrage-rules.yml" "$ROOT/deploy/prometheus/service-rules.example.yml" <<'PY'
import sys, yaml
for f in sys.argv[1:]:
    for g in yaml.safe_load(open(f))["groups"]:
        for r in g["rules"]:
            print(" ".join(r["expr"].split()))
PY
)
[ "$errors" = 0 ] || fail "$errors PromQL expressions did not evaluate"
echo "ok: every dashboard and rule expression evaluates against Prometheus"
