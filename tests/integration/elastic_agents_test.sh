#!/usr/bin/env bash
# Elastic agents with real processes: a run starts on 2 agents, a third joins
# at ~30% (agents.on_join: rebalance, the default) and one of the first two
# gets SIGTERM at ~60% (a graceful leave, as when Kubernetes scales in). The
# target serves the plan +-1%, the result has agent_joined and agent_left
# (and no agent_lost), the run exits 0 and the SIGTERM'd agent exits 0 soon.
#
# Usage: elastic_agents_test.sh BUILD_DIR
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
await_agents() {  # await_agents N STATE: N agents listed in STATE
  for _ in $(seq 100); do
    [ "$("$BARRAGE" agents 2>/dev/null | grep -c " $2")" = "$1" ] && return 0
    sleep 0.1
  done
  fail "$1 $2 agents expected"
}
served() {
  curl -s "127.0.0.1:$T/__barrage/metrics" |
    awk '/^barrage_target_requests_total/ {n += $2} END {print n + 0}'
}

cat > "$WORK/elastic.yaml" <<YAML
name: elastic
target: http://127.0.0.1:$T
agents: {min: 2, wait: 10s, on_loss: abort}
requests: [{name: a, path: /}]
stages: [{duration: 10s, rate: 300/s}]
YAML

start_agent a1
start_agent a2
await_agents 2 idle
before=$(served)
"$BARRAGE" run "$WORK/elastic.yaml" -q --out "json=$WORK/elastic.json" > "$WORK/run.log" 2>&1 &
run=$!
await_agents 2 running
sleep 3   # ~30% of the run
start_agent a3
await_agents 3 running
sleep 3   # ~60%
kill -TERM "${AGENT_PID[a1]}"
for _ in $(seq 100); do kill -0 "${AGENT_PID[a1]}" 2>/dev/null || break; sleep 0.1; done
kill -0 "${AGENT_PID[a1]}" 2>/dev/null && fail "a1 did not exit within 10 s of SIGTERM"
set +e
wait "${AGENT_PID[a1]}"; a1_code=$?
wait "$run"; code=$?
set -e
[ "$a1_code" = 0 ] || fail "a1 exited $a1_code after SIGTERM"
[ "$code" = 0 ] || { cat "$WORK/run.log"; fail "run: exit $code (on_loss: abort must not abort on a leave)"; }
n=$(json "$WORK/elastic.json" "r['totals']['requests']")
s=$(( $(served) - before ))
python3 -c "import sys; sys.exit(0 if abs($s - 3000) <= 30 and abs($n - 3000) <= 30 else 1)" ||
  fail "the target served $s, the controller counted $n; plan 3000 +- 1%"
json "$WORK/elastic.json" "[e for e in r['events'] if e['kind'] == 'agent_joined' and e['agent'] == 'a3' and e['action'] == 'rebalance'][0]" > /dev/null ||
  fail "no agent_joined event for a3"
json "$WORK/elastic.json" "[e for e in r['events'] if e['kind'] == 'agent_left' and e['agent'] == 'a1' and e['action'] == 'redistribute'][0]" > /dev/null ||
  fail "no agent_left event for a1"
[ "$(json "$WORK/elastic.json" "len([e for e in r['events'] if e['kind'] == 'agent_lost'])")" = 0 ] ||
  fail "a graceful leave was reported as agent_lost"
echo "ok: a3 joined at ~30%, a1 left on SIGTERM at ~60%: target served $s, controller counted $n (plan 3000); events recorded; exit 0"
