#!/usr/bin/env bash
# The CLI between processes: --target and $BARRAGE_TARGET override the
# file's target; --local below agents.min says so; `barrage report` prints
# the summary (JSON with --format json) and `barrage runs` the totals; and a
# controller SIGKILLed mid-run makes `barrage run` say so, exit 5 and write
# an incomplete --out from its last progress.
#
# Usage: cli_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

T=$(port); G=$(port)
export BARRAGE_CONTROLLER="127.0.0.1:$G"
"$BARRAGE" target --listen "127.0.0.1:$T" > "$WORK/target.log" 2>&1 &
TARGET=$!
PIDS+=($TARGET)
for _ in $(seq 100); do grep -q listening "$WORK/target.log" && break; sleep 0.05; done

# The file aims at a port nothing listens on; --target points at the target.
cat > "$WORK/s.yaml" <<YAML
name: cli-run
target: http://127.0.0.1:9
agents: {min: 2}
requests: [{name: a, path: /}]
stages: [{duration: 1s, rate: 20/s}]
thresholds: [{metric: error_rate, below: 1%}]
YAML
"$BARRAGE" run "$WORK/s.yaml" --local 1 --target "http://127.0.0.1:$T" \
  --out "json=$WORK/local.json" > "$WORK/local.out" 2> "$WORK/local.err" \
  || fail "run --local 1 --target: exit $?"
grep -q "^note: --local 1 overrides agents.min 2$" "$WORK/local.err" \
  || fail "no override note: $(cat "$WORK/local.err")"
grep -q -- "-> http://127.0.0.1:$T (--target) on 1 agent" "$WORK/local.out" \
  || fail "the header does not show the --target: $(head -1 "$WORK/local.out")"
[ "$(json "$WORK/local.json" 'r["totals"]["errors"]')" = 0 ] || fail "errors against the --target"
echo "ok: --target overrides the file's target, and --local 1 below agents.min 2 is noted"

BARRAGE_TARGET="http://127.0.0.1:$T" "$BARRAGE" run "$WORK/s.yaml" --local 2 -q \
  > "$WORK/env.out" 2>&1 || fail "run with \$BARRAGE_TARGET: exit $?"
grep -q "note:" "$WORK/env.out" && fail "a note though --local 2 meets agents.min 2"
set +e
BARRAGE_TARGET="ftp://x" "$BARRAGE" run "$WORK/s.yaml" --local 1 > "$WORK/bad.out" 2>&1
code=$?
set -e
[ "$code" = 2 ] || fail "a bad \$BARRAGE_TARGET: exit $code, want 2"
grep -q "BARRAGE_TARGET" "$WORK/bad.out" || fail "the error does not name \$BARRAGE_TARGET: $(cat "$WORK/bad.out")"
echo "ok: \$BARRAGE_TARGET overrides too, and is checked like the file's target"

start_controller() {
  "$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" --data "$WORK/data" \
    > "$WORK/controller$1.log" 2>&1 &
  CONTROLLER=$!
  PIDS+=($CONTROLLER)
}
start_controller 1
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id a1 --http "" --workers 1 > "$WORK/agent.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 150); do "$BARRAGE" agents 2>/dev/null | grep -q '^1 agent' && break; sleep 0.1; done
"$BARRAGE" agents | grep -q '^1 agent' || fail "the agent did not connect"

cat > "$WORK/short.yaml" <<YAML
name: short
target: http://127.0.0.1:$T
requests: [{name: a, path: /}]
stages: [{duration: 2s, rate: 50/s}]
YAML
"$BARRAGE" run "$WORK/short.yaml" -q --out "json=$WORK/short.json" > "$WORK/short.out" 2>&1 \
  || fail "short run"
RUN=$(json "$WORK/short.json" 'r["run"]')
"$BARRAGE" report "$RUN" > "$WORK/report.txt" || fail "barrage report"
grep -q "^short  run $RUN  PASSED" "$WORK/report.txt" || fail "report text: $(cat "$WORK/report.txt")"
grep -q "^  requests 100 " "$WORK/report.txt" || fail "report totals: $(cat "$WORK/report.txt")"
grep -q "^  all " "$WORK/report.txt" || fail "report latency table: $(cat "$WORK/report.txt")"
"$BARRAGE" report "$RUN" --format json > "$WORK/report.json"
cmp -s "$WORK/report.json" "$WORK/short.json" || fail "report --format json differs from --out"
"$BARRAGE" runs > "$WORK/runs.txt"
head -1 "$WORK/runs.txt" | grep -q "DURATION  *REQUESTS  *ERRORS  *P95" || fail "runs header: $(head -1 "$WORK/runs.txt")"
grep -q "^$RUN  *passed  *short .* 2.0s  *100  *0.00% " "$WORK/runs.txt" \
  || fail "runs row: $(cat "$WORK/runs.txt")"
echo "ok: barrage report prints the summary (--format json the JSON); barrage runs lists the totals"

cat > "$WORK/long.yaml" <<YAML
name: long
target: http://127.0.0.1:$T
requests: [{name: a, path: /}]
stages: [{duration: 20s, rate: 50/s}]
YAML
"$BARRAGE" run "$WORK/long.yaml" --out "json=$WORK/long.json" > "$WORK/long.out" 2> "$WORK/long.err" &
CLI=$!
PIDS+=($CLI)
for _ in $(seq 100); do grep -q "requests [1-9]" "$WORK/long.out" 2>/dev/null && break; sleep 0.1; done
for _ in $(seq 50); do [ "$(grep -c "requests" "$WORK/long.out")" -ge 3 ] && break; sleep 0.1; done
kill -9 "$CONTROLLER"
set +e
wait "$CLI"
code=$?
set -e
[ "$code" = 5 ] || fail "barrage run after the controller died: exit $code, want 5: $(cat "$WORK/long.err")"
LONG=$(awk '/^barrage run r-/ {sub(":", "", $3); print $3; exit}' "$WORK/long.out")
[ -n "$LONG" ] || fail "no run id in the header: $(head -1 "$WORK/long.out")"
grep -q "lost the controller .* during run $LONG" "$WORK/long.err" || fail "message: $(cat "$WORK/long.err")"
grep -q "barrage report $LONG" "$WORK/long.err" || fail "no barrage report hint: $(cat "$WORK/long.err")"
python3 - "$WORK/long.json" "$LONG" <<'PY' || fail "the incomplete --out"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == "incomplete" and r["incomplete"] is True, r
assert r["run"] == sys.argv[2], r["run"]
assert r["totals"]["requests"] > 0, r["totals"]
PY
start_controller 2
for _ in $(seq 100); do "$BARRAGE" runs > "$WORK/runs2.txt" 2>/dev/null && break; sleep 0.1; done
grep -q "^$LONG  *interrupted" "$WORK/runs2.txt" || fail "the run is not kept as interrupted: $(cat "$WORK/runs2.txt")"
echo "ok: a controller lost mid-run: exit 5, the run and 'barrage report' named, an incomplete --out"
