#!/usr/bin/env bash
# Controller restart loses nothing: SIGKILL the controller mid-run and start
# it again on the same --data. The agent reconnects; `barrage runs` shows the
# interrupted run with its last checkpoint's partial results; a finished
# run's stored result is byte-identical before and after. A damaged store
# is reported clearly, not crashed on.
#
# Usage: restart_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

T=$(port); G=$(port)
export BARRAGE_CONTROLLER="127.0.0.1:$G"
start_controller() {
  "$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" --data "$WORK/data" \
    > "$WORK/controller$1.log" 2>&1 &
  CONTROLLER=$!
  PIDS+=($CONTROLLER)
}
await_agent() {
  for _ in $(seq 150); do "$BARRAGE" agents 2>/dev/null | grep -q '^1 agent' && return 0; sleep 0.1; done
  fail "the agent did not (re)connect"
}
"$BARRAGE" target --listen "127.0.0.1:$T" > "$WORK/target.log" 2>&1 &
PIDS+=($!)
start_controller 1
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id survivor --http "" --workers 1 > "$WORK/agent.log" 2>&1 &
PIDS+=($!)
await_agent

cat > "$WORK/short.yaml" <<YAML
name: finished-before
target: http://127.0.0.1:$T
requests: [{name: a, path: /}]
stages: [{duration: 2s, rate: 50/s}]
YAML
"$BARRAGE" run "$WORK/short.yaml" -q --out "json=$WORK/short.json" > "$WORK/short.log" 2>&1 || fail "short run"
SHORT=$(python3 -c "import json; print(json.load(open('$WORK/short.json'))['run'])")
"$BARRAGE" report "$SHORT" --format json > "$WORK/before.json" || fail "report before restart"
cmp -s "$WORK/before.json" "$WORK/short.json" || fail "the stored result differs from the CLI's"

cat > "$WORK/long.yaml" <<YAML
name: interrupted
target: http://127.0.0.1:$T
requests: [{name: a, path: /}]
stages: [{duration: 60s, rate: 50/s}]
YAML
"$BARRAGE" run "$WORK/long.yaml" -q > "$WORK/long.log" 2>&1 &
PIDS+=($!)
sleep 7.5   # at least one checkpoint after the first 5 s
kill -9 "$CONTROLLER"
wait "$CONTROLLER" 2>/dev/null || true
start_controller 2
await_agent
grep -q "1 run(s) were interrupted" "$WORK/controller2.log" || fail "the restart did not mark the run interrupted"
"$BARRAGE" runs > "$WORK/runs.txt" || fail "barrage runs"
grep -q "interrupted .*interrupted" "$WORK/runs.txt" || fail "no interrupted run listed: $(cat "$WORK/runs.txt")"
grep -q "^$SHORT .*passed" "$WORK/runs.txt" || fail "the finished run is not listed"
LONG=$(awk '$2 == "interrupted" {print $1; exit}' "$WORK/runs.txt")
"$BARRAGE" report "$LONG" --format json > "$WORK/long.json" || fail "report of the interrupted run"
python3 - "$WORK/long.json" <<'PY' || fail "interrupted run's partial results"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == "interrupted", r["status"]
assert r["totals"]["requests"] >= 200, r["totals"]   # ~5 s at 50/s
PY
"$BARRAGE" report "$SHORT" --format json > "$WORK/after.json" || fail "report after restart"
cmp -s "$WORK/before.json" "$WORK/after.json" || fail "the finished run's result changed across the restart"
echo "ok: after SIGKILL and restart, the interrupted run and its partial results are listed; the finished run is byte-identical"

# A run after the restart gets a new id: it is stored beside the earlier
# ones and replaces neither the finished run's row nor its runs/RUN.json.
sed 's/^name: finished-before/name: finished-after/' "$WORK/short.yaml" > "$WORK/again.yaml"
"$BARRAGE" run "$WORK/again.yaml" -q --out "json=$WORK/again.json" > "$WORK/again.log" 2>&1 || fail "run after restart"
AGAIN=$(json "$WORK/again.json" "r['run']")
[ "$AGAIN" != "$SHORT" ] && [ "$AGAIN" != "$LONG" ] || fail "the run after the restart reused id $AGAIN"
"$BARRAGE" runs > "$WORK/runs2.txt" || fail "barrage runs after the second run"
for id in "$SHORT" "$LONG" "$AGAIN"; do
  grep -q "^$id " "$WORK/runs2.txt" || fail "run $id is not listed: $(cat "$WORK/runs2.txt")"
done
[ -f "$WORK/data/runs/$SHORT.json" ] && [ -f "$WORK/data/runs/$AGAIN.json" ] || fail "a result file is missing: $(ls "$WORK/data/runs")"
cmp -s "$WORK/data/runs/$SHORT.json" "$WORK/data/runs/$AGAIN.json" && fail "the two result files are the same"
cmp -s "$WORK/data/runs/$SHORT.json" "$WORK/short.json" || fail "the first run's result file changed"
"$BARRAGE" report "$SHORT" --format json | cmp -s - "$WORK/before.json" || fail "the first run's stored result changed"
echo "ok: the run after the restart ($AGAIN) is kept beside $SHORT and $LONG"

mkdir -p "$WORK/bad"
head -c 8192 /dev/urandom > "$WORK/bad/barrage.db"
set +e
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$(port)" --http "" --data "$WORK/bad" > "$WORK/bad.log" 2>&1
code=$?
set -e
[ "$code" = 2 ] || fail "a damaged store: exit $code, want 2"
grep -q "barrage.db" "$WORK/bad.log" || fail "the damaged store's message does not name it: $(cat "$WORK/bad.log")"
echo "ok: a damaged store is reported clearly ($(head -1 "$WORK/bad.log"))"
