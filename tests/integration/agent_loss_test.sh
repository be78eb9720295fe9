#!/usr/bin/env bash
# Kill one of 3 agent processes mid-run under each on_loss policy:
#   redistribute: the survivors take over its share: the total still equals
#                 the plan +-1%, exit 0;
#   continue:     the run goes on degraded (fewer requests), exit 0;
#   abort:        the run stops at once, exit 4.
# Every loss is in the result's events.
#
# Usage: agent_loss_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

T=$(port); G=$(port)
"$BARRAGE" target --listen "127.0.0.1:$T" > "$WORK/target.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
export BARRAGE_CONTROLLER="127.0.0.1:$G"
declare -A AGENT_PID
start_agent() {
  "$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id "$1" --http "" --workers 1 > "$WORK/$1.log" 2>&1 &
  AGENT_PID[$1]=$!
  PIDS+=($!)
}
await_idle() {  # three idle agents
  for _ in $(seq 100); do
    [ "$("$BARRAGE" agents 2>/dev/null | grep -c ' idle')" = 3 ] && return 0
    sleep 0.1
  done
  fail "3 idle agents expected"
}

run_with_loss() {  # run_with_loss POLICY VICTIM -> exit code in $code
  cat > "$WORK/$1.yaml" <<YAML
name: loss-$1
target: http://127.0.0.1:$T
agents: {min: 3, wait: 10s, on_loss: $1}
requests: [{name: a, path: /}]
stages: [{duration: 12s, rate: 300/s}]
YAML
  "$BARRAGE" run "$WORK/$1.yaml" -q --out "json=$WORK/$1.json" > "$WORK/run-$1.log" 2>&1 &
  local run=$!
  sleep 4.5
  kill -9 "${AGENT_PID[$2]}"
  set +e
  wait "$run"; code=$?
  set -e
}

for id in a1 a2 a3; do start_agent "$id"; done
await_idle
run_with_loss redistribute a2
[ "$code" = 0 ] || fail "redistribute: exit $code"
n=$(json "$WORK/redistribute.json" "r['totals']['requests']")
python3 -c "import sys; sys.exit(0 if abs($n - 3600) <= 36 else 1)" || fail "redistribute: $n requests, plan 3600 +- 1%"
json "$WORK/redistribute.json" "[e for e in r['events'] if e['kind'] == 'agent_lost' and e['agent'] == 'a2' and e['action'] == 'redistribute'][0]" > /dev/null ||
  fail "redistribute: no agent_lost event"
echo "ok: redistribute: $n requests of the planned 3600 after losing a2 at 4.5 s; event recorded"

start_agent a4
await_idle
run_with_loss continue a1
[ "$code" = 0 ] || fail "continue: exit $code"
n=$(json "$WORK/continue.json" "r['totals']['requests']")
python3 -c "import sys; sys.exit(0 if 2600 <= $n <= 3000 else 1)" || fail "continue: $n requests, expected about 2800 (a third missing for 7.5 s)"
json "$WORK/continue.json" "[e for e in r['events'] if e['kind'] == 'agent_lost' and e['action'] == 'continue'][0]" > /dev/null ||
  fail "continue: no agent_lost event"
echo "ok: continue: the run went on degraded ($n requests) and says so"

start_agent a5
await_idle
start=$(date +%s)
run_with_loss abort a3
[ "$code" = 4 ] || fail "abort: exit $code, want 4"
[ $(( $(date +%s) - start )) -lt 10 ] || fail "abort: the run did not stop early"
[ "$(json "$WORK/abort.json" "r['status']")" = aborted ] || fail "abort: status"
echo "ok: abort: losing an agent aborts the run at once (exit 4)"
