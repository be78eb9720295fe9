#!/usr/bin/env bash
# barrage capacity end to end against `barrage target --concurrency 4
# --delay 10ms` (at most 4 requests in service for 10 ms each: 400/s):
#   1. `capacity --local 1 --slo 'p95<50ms'` finds 400/s within 5% and says
#      the service limits it (exit 0; the JSON has every step and run id),
#      with --growth/--peak (months = ln(capacity/peak)/ln(1.08)) and
#      --baseline 50/s --times 10 (500/s: "no"); when Debian's prometheus is
#      installed the same search also has a real Prometheus scraping the
#      target at 1 s and a monitor: with the target's busy time (cpu, in
#      cores; saturation 3.5 of its 4 slots) and in-service count: the steps
#      carry their means, the table their columns, the bottleneck names cpu
#      and the resource model costs ~0.010 busy seconds per request (its
#      10 ms delay). Without prometheus only those assertions are skipped;
#   2. an agent capped by --max-rate 250/s below that: the answer is the
#      generator's limit, not a service capacity.
# Short steps (1-2 s warm-up + 3-4 s, high rates) keep it well under 2
# minutes; bench/capacity.sh is the longer run.
#
# Usage: capacity_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

T=$(port)
start_target "$T" --concurrency 4 --delay 10ms
cat > "$WORK/s.yaml" <<YAML
name: capacity-e2e
target: http://127.0.0.1:$T
requests: [{name: get, path: /}]
stages: [{duration: 10s, rate: 10/s}]
YAML

# Prometheus scraping the target (as monitor_test.sh starts it), for the
# search's monitor: (search 1 only; search 2 uses s.yaml).
MONITOR=0
if command -v prometheus >/dev/null; then
  P=$(port)
  start_prometheus "$T" "$P"
  MONITOR=1
  # busy seconds per second: the cores (of 4 slots) the service uses, over
  # the last two scrapes (irate), so a step's samples (1 s apart, from the
  # end of its 2 s warm-up) see its own load, not the idle gap before it.
  cat - "$WORK/s.yaml" > "$WORK/cap.yaml" <<YAML
monitor:
  prometheus: http://127.0.0.1:$P
  interval: 1s
  queries:
    cpu: {query: 'sum(irate(barrage_target_busy_seconds_total[3s]))', saturation: 3.5}
    in_service: 'sum(barrage_target_in_service)'
YAML
else
  echo "prometheus not installed: the search runs without monitor: (monitor assertions skipped)"
  cp "$WORK/s.yaml" "$WORK/cap.yaml"
fi

# 1. The service's capacity.
set +e
"$BARRAGE" capacity "$WORK/cap.yaml" --local 1 --slo 'p95<50ms' --start 150 --max 1200 \
  --step 4s --warmup 2s --deadline 3m --growth 8%/month --peak 100/s --baseline 50/s \
  --times 10 --out "json=$WORK/cap.json" > "$WORK/cap.out" 2>&1
code=$?
set -e
cat "$WORK/cap.out"
[ "$code" = 0 ] || fail "capacity: exit $code, want 0"
[ "$(json "$WORK/cap.json" 'r["version"]')" = 1 ] || fail "no version 1"
[ "$(json "$WORK/cap.json" 'r["limited_by"]')" = service ] || fail "not limited by the service"
python3 - "$WORK/cap.json" <<'PY' || fail "the capacity JSON is wrong"
import json, math, sys
r = json.load(open(sys.argv[1]))
c = r["capacity_rps"]
assert 380 <= c <= 420, f"capacity {c}/s is not 400/s within 5%"
lo, hi = r["interval_rps"]
assert lo <= c <= hi, (lo, c, hi)
# A confirmation that fails lowers the answer: either way it is reported.
assert r["confirmation"]["verdict"] in ("PASS", "FAIL", "UNDECIDED"), r["confirmation"]
ids = [i for s in r["steps"] + [r["confirmation"]] for i in s["run_ids"]]
assert len(ids) == len(set(ids)), f"run ids repeat: {ids}"
assert any(s["verdict"] == "FAIL" for s in r["steps"]), "no step failed"
# The USL fitted to the steps (or, with fewer than 6 load levels, why not).
assert r["usl"] is not None and ("sigma" in r["usl"] or "error" in r["usl"]), r["usl"]
# The projection (8%/month from a peak of 100/s) and 10 x 50/s = 500/s.
p = r["projection"]
want = math.log(c / 100) / math.log(1.08)
assert abs(p["months"] - want) <= 0.01 * want, (p, want)
assert p["months_lo"] <= p["months"] <= p["months_hi"], p
b = r["baseline"]
assert b["verdict"] == "no" and b["target_rps"] == 500, b
print(f"capacity {c}/s in [{lo}, {hi}] after {len(r['steps'])} steps; "
      f"headroom {p['months']:.1f} months; 10x baseline: {b['verdict']}")
PY
grep -q "^projection: headroom runs out in " "$WORK/cap.out" || fail "no projection sentence"
grep -q "^baseline: 10x baseline is 500/s" "$WORK/cap.out" || fail "no baseline sentence"
grep -q "limited by the service" "$WORK/cap.out" || fail "the text does not say service"
grep -q "^step 0  rate 150/s  achieved" "$WORK/cap.out" || fail "no progress line per step"
echo "ok: capacity finds 400/s within 5%, limited by the service; projection and baseline"

if [ "$MONITOR" = 1 ]; then
  python3 - "$WORK/cap.json" <<'PY' || fail "the capacity JSON's monitor parts are wrong"
import json, sys
r = json.load(open(sys.argv[1]))
for s in r["steps"]:
    assert set(s["monitors"]) == {"cpu", "in_service"}, s
    # At most 4 slots busy (a little over: scrapes are not exactly 1 s apart).
    assert 0 < s["monitors"]["cpu"] <= 4.4, s
bn = r["bottleneck"]
assert bn["resource"] == "cpu" and bn["sentence"].endswith(": cpu-bound"), bn
res = {x["name"]: x for x in r["resources"]}
cpu = res["cpu"]
assert abs(cpu["per_request"] - 0.010) <= 0.002, cpu  # the 10 ms delay, within 20%
assert cpu["points"] == len(r["steps"]), cpu
assert cpu["at"]["basis"] == "peak" and cpu["at"]["rps"] == 200, cpu
assert 1.6 <= cpu["at"]["value"] <= 2.4, cpu  # 200/s x 10 ms = 2 cores
assert "per_request" in res["in_service"], res["in_service"]
print(f"cpu {cpu['per_request']:.4f} busy s per request (r2 {cpu['r2']:.3f}); {bn['sentence']}")
PY
  grep -q "ERRORS     cpu  in_service  VERDICT" "$WORK/cap.out" || fail "no monitor columns"
  grep -Eq "^step 0  rate 150/s  achieved .*  cpu [0-9.]+  in_service [0-9.]+  PASS" \
    "$WORK/cap.out" || fail "no monitor values in the step line"
  grep -q "^bottleneck: p95 rose past the SLO at .*: cpu-bound$" "$WORK/cap.out" ||
    fail "no bottleneck sentence naming cpu"
  grep -q "^resource: cpu grows .* per request/s .*; from the peak of 100/s, at 2x traffic (200/s) you need " \
    "$WORK/cap.out" || fail "no resource sentence for cpu"
  grep -q "^resource: in_service grows " "$WORK/cap.out" || fail "no resource sentence for in_service"
  echo "ok: monitor means per step and in the table, the bottleneck is cpu, cpu costs ~10 ms per request"
fi

# 2. A generator capped below the service's capacity.
G=$(port)
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id capped --http "" --workers 1 \
  --max-rate 250/s > "$WORK/agent.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  "$BARRAGE" agents --controller "127.0.0.1:$G" 2>/dev/null | grep -q '^capped ' && break
  sleep 0.1
done
"$BARRAGE" agents --controller "127.0.0.1:$G" | grep -q '^capped ' || fail "the agent did not join"
set +e
"$BARRAGE" capacity "$WORK/s.yaml" --controller "127.0.0.1:$G" --slo 'p95<50ms' --start 100 \
  --step 3s --warmup 1s --deadline 2m --out "json=$WORK/gen.json" > "$WORK/gen.out" 2>&1
code=$?
set -e
cat "$WORK/gen.out"
[ "$code" = 0 ] || fail "generator-bound capacity: exit $code, want 0 (a lower bound was found)"
[ "$(json "$WORK/gen.json" 'r["limited_by"]')" = generator ] || fail "not limited by the generator"
json "$WORK/gen.json" 'r["advice"]' | grep -q "max-rate" || fail "the advice does not name --max-rate"
[ "$(json "$WORK/gen.json" 'r["capacity_rps"] == 200')" = True ] || fail "the generator's bound is not 200/s"
grep -q "limited by the generator, not the service" "$WORK/gen.out" || fail "the text does not say generator"
echo "ok: an agent capped by --max-rate below the capacity gives a generator-bound answer"
