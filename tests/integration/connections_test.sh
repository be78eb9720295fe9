#!/usr/bin/env bash
# Every planned VU gets its connection (--max-in-flight), with real processes
# on loopback against `barrage target`:
#   - 3,000 VUs on one agent with --max-in-flight 1000 are refused before any
#     load: exit 3, "3000 VUs need 3 agents at 1000 each (1 connected: ...)",
#     and the target saw no request;
#   - over 3 agents at 1000 each the run passes with 3,000 connections: the
#     agents' connections_opened sum and the target's accepted connections
#     are both 3,000, and the result's concurrency_held check passed.
# Needs about 3,000 + 3 x 1,064 descriptors in all; with a lower hard limit
# (ulimit -Hn) it runs the same at a tenth (300 VUs, --max-in-flight 100).
#
# Usage: connections_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"
AGENT=$BUILD/bin/barrage-agent
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
VUS=3000; LIMIT=1000
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 8000 ]; then
  VUS=300; LIMIT=100
  echo "note: ulimit -n is $(ulimit -n): running with $VUS VUs at --max-in-flight $LIMIT"
fi
T=$(port); G=$(port)
"$BARRAGE" target --listen "127.0.0.1:$T" --delay 1ms --threads 1 > "$WORK/target.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
export BARRAGE_CONTROLLER="127.0.0.1:$G"
await() {  # await DESCRIPTION COMMAND...: up to 10 s
  local what=$1; shift
  for _ in $(seq 100); do "$@" && return 0; sleep 0.1; done
  fail "$what"
}
connected() { "$BARRAGE" agents 2>/dev/null | grep -q "^$1 agent"; }
target_count() {  # target_count SERIES: its sum on the target's own metrics
  curl -s "127.0.0.1:$T/__barrage/metrics" | awk -v s="$1" '$1 ~ "^"s {n += $2} END {print n + 0}'
}
agent() {
  "$AGENT" --controller "127.0.0.1:$G" --id "$1" --http "" --workers 2 --max-in-flight "$LIMIT" \
    > "$WORK/$1.log" 2>&1 &
  PIDS+=($!)
}
cat > "$WORK/conns.yaml" <<YAML
name: conns
target: http://127.0.0.1:$T
defaults: {timeout: 5s}
requests:
  - {name: get, path: /}
stages:
  - {duration: 3s, vus: $VUS, think: 500ms}
YAML

# 1. One agent cannot hold the VUs: refused before load, saying what it needs.
agent agent-a
await "agent-a did not connect" connected 1
"$BARRAGE" agents | grep -Eq "^agent-a +[^ ]+ +2 +2 +$LIMIT +idle" ||
  fail "barrage agents does not show the limit: $("$BARRAGE" agents)"
before=$(target_count barrage_target_requests_total)
set +e
"$BARRAGE" run "$WORK/conns.yaml" > "$WORK/refused.out" 2>&1
code=$?
set -e
[ "$code" = 3 ] || fail "one agent: exit $code, want 3: $(cat "$WORK/refused.out")"
grep -q "$VUS VUs need 3 agents at $LIMIT each (1 connected: agent-a $LIMIT)" "$WORK/refused.out" ||
  fail "one agent: no reason: $(cat "$WORK/refused.out")"
[ "$(target_count barrage_target_requests_total)" = "$before" ] || fail "one agent: load was sent"
echo "ok: $VUS VUs on one agent at --max-in-flight $LIMIT are refused before load (exit 3)"

# 2. Three agents hold them: one connection per VU.
agent agent-b
agent agent-c
await "agent-b and agent-c did not connect" connected 3
conns_before=$(target_count barrage_target_connections_total)
"$BARRAGE" run "$WORK/conns.yaml" --out "json=$WORK/conns.json" -q > "$WORK/run.out" 2>&1 ||
  fail "three agents: exit $?: $(cat "$WORK/run.out")"
opened=$(json "$WORK/conns.json" "sum(a['connections_opened'] for a in r['agents'])")
# Less one: the metrics request that read conns_before is a connection too.
served=$(( $(target_count barrage_target_connections_total) - conns_before - 1 ))
[ "$opened" = "$VUS" ] || fail "three agents: the agents opened $opened connections, want $VUS"
[ "$served" = "$VUS" ] || fail "three agents: the target accepted $served connections, want $VUS"
[ "$(json "$WORK/conns.json" "[c['passed'] for c in r['checks'] if c['name'] == 'concurrency_held']")" = "[True]" ] ||
  fail "three agents: checks: $(json "$WORK/conns.json" "r['checks']")"
[ "$(json "$WORK/conns.json" "r['status']")" = passed ] || fail "three agents: not passed"
echo "ok: over 3 agents at $LIMIT each the run holds $VUS connections (agents and target agree)"
