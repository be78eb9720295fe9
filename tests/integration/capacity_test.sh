#!/usr/bin/env bash
# barrage capacity end to end against `barrage target --concurrency 4
# --delay 10ms` (at most 4 requests in service for 10 ms each: 400/s):
#   1. `capacity --local 1 --slo 'p95<50ms'` finds 400/s within 5% and says
#      the service limits it (exit 0; the JSON has every step and run id);
#   2. an agent capped by --max-rate 250/s below that: the answer is the
#      generator's limit, not a service capacity.
# Short steps (1 s warm-up + 3-4 s, high rates) keep it well under 2
# minutes; bench/capacity.sh is the longer run.
#
# Usage: capacity_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

T=$(port)
"$BARRAGE" target --listen "127.0.0.1:$T" --concurrency 4 --delay 10ms > "$WORK/target.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do grep -q listening "$WORK/target.log" && break; sleep 0.05; done
grep -q listening "$WORK/target.log" || fail "the target did not start"
cat > "$WORK/s.yaml" <<YAML
name: capacity-e2e
target: http://127.0.0.1:$T
requests: [{name: get, path: /}]
stages: [{duration: 10s, rate: 10/s}]
YAML

# 1. The service's capacity.
set +e
"$BARRAGE" capacity "$WORK/s.yaml" --local 1 --slo 'p95<50ms' --start 150 --max 1200 \
  --step 4s --warmup 1s --deadline 3m --out "json=$WORK/cap.json" > "$WORK/cap.out" 2>&1
code=$?
set -e
cat "$WORK/cap.out"
[ "$code" = 0 ] || fail "capacity: exit $code, want 0"
[ "$(json "$WORK/cap.json" 'r["version"]')" = 1 ] || fail "no version 1"
[ "$(json "$WORK/cap.json" 'r["limited_by"]')" = service ] || fail "not limited by the service"
python3 - "$WORK/cap.json" <<'PY' || fail "the capacity JSON is wrong"
import json, sys
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
print(f"capacity {c}/s in [{lo}, {hi}] after {len(r['steps'])} steps")
PY
grep -q "limited by the service" "$WORK/cap.out" || fail "the text does not say service"
grep -q "^step 0  rate 150/s  achieved" "$WORK/cap.out" || fail "no progress line per step"
echo "ok: capacity finds 400/s within 5%, limited by the service"

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
