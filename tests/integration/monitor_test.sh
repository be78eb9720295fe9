#!/usr/bin/env bash
# monitor: against a real Prometheus (Debian's; own config and data
# directory, loopback port, 1 s scrape) scraping `barrage target`'s metrics:
#   - a run with monitor: gets samples in its series and the result's
#     monitor object, and a monitor threshold that fails fails the run (99);
#   - Prometheus stopped mid-run gives a monitor_error event and counted
#     gaps, and the run completes.
#
# Usage: monitor_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"
command -v prometheus >/dev/null || { echo "prometheus not installed: skipped"; exit 0; }

T=$(port); P=$(port)
start_target "$T" --delay 1ms
start_prometheus "$T" "$P"
echo secret-token-123 > "$WORK/prom.token"

scenario() {  # scenario SECONDS THRESHOLD_LIMIT
  cat <<YAML
name: monitor-check
target: http://127.0.0.1:$T
requests: [{name: get, path: /x}]
stages: [{duration: $1s, rate: 100/s}]
monitor:
  prometheus: http://127.0.0.1:$P
  token_file: prom.token
  interval: 1s
  queries:
    up: {query: 'sum(up{job="target"})', saturation: 1}
    served: 'sum(barrage_target_requests_total)'
thresholds:
  - {metric: monitor.up, above: $2}
YAML
}

# 1. Samples arrive; the threshold (up > 0.5) passes.
scenario 5 0.5 > "$WORK/pass.yaml"
"$BARRAGE" run "$WORK/pass.yaml" --local 1 -q --out "json=$WORK/pass.json" > "$WORK/pass.log" 2>&1 ||
  fail "the run with monitor: failed: $(cat "$WORK/pass.log")"
python3 - "$WORK/pass.json" <<'PY' || fail "no monitor samples in the result"
import json, sys
r = json.load(open(sys.argv[1]))
m = r["monitor"]
assert m["url"].startswith("http://127.0.0.1:"), m
q = {x["name"]: x for x in m["queries"]}
assert q["up"]["samples"] >= 3 and q["up"]["last"] == 1, q["up"]
assert q["served"]["samples"] >= 3, q["served"]
s = r["series"]
assert s["monitor"] == ["up", "served"], s.get("monitor")
filled = [i for i in s["intervals"] if i.get("m") and i["m"][0] is not None]
assert len(filled) >= 3, s["intervals"]
assert all(t["passed"] for t in r["thresholds"]), r["thresholds"]
PY
grep -q secret-token "$WORK/pass.json" && fail "the token is in the result"
echo "ok: samples in the series and the result's monitor object; threshold passes"

# 2. A monitor threshold that fails (up > 5) fails the run with exit 99.
scenario 3 5 > "$WORK/fail.yaml"
set +e
"$BARRAGE" run "$WORK/fail.yaml" --local 1 -q --out "json=$WORK/fail.json" > "$WORK/fail.log" 2>&1
code=$?
set -e
[ "$code" = 99 ] || fail "a failed monitor threshold exits $code, want 99"
[ "$(json "$WORK/fail.json" 'r["thresholds"][0]["passed"]')" = False ] || fail "threshold not failed"
echo "ok: a failed monitor threshold fails the run (exit 99)"

# 3. Prometheus stopped mid-run: an event, gaps, and the run completes.
scenario 6 0.5 > "$WORK/stop.yaml"
"$BARRAGE" run "$WORK/stop.yaml" --local 1 -q --out "json=$WORK/stop.json" > "$WORK/stop.log" 2>&1 &
RUN=$!
sleep 3.5  # the run starts within ~1 s and lasts 6 s: stop Prometheus in its middle
kill -9 "$PROM"
wait "$PROM" 2>/dev/null || true
wait "$RUN" || true
[ -f "$WORK/stop.json" ] || fail "no result after Prometheus stopped: $(cat "$WORK/stop.log")"
python3 - "$WORK/stop.json" <<'PY' || fail "Prometheus stopped: no event or gaps"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] in ("passed", "failed"), r["status"]
q = {x["name"]: x for x in r["monitor"]["queries"]}
assert q["up"]["samples"] >= 1 and q["up"]["gaps"] >= 1, q
ev = [e for e in r.get("events", []) if e.get("kind") == "monitor_error"]
assert ev and "monitor up:" in ev[0]["action"], r.get("events")
assert len([e for e in ev if e["action"].startswith("monitor up:")]) == 1, ev
PY
echo "ok: Prometheus stopped mid-run: a monitor_error event, counted gaps, the run completes"
