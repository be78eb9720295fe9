#!/usr/bin/env bash
# Safety with real processes on loopback:
#   - dead-man switch: SIGKILL the controller mid-run; the target must see
#     nothing new after the agent's lease (5 s) plus the request timeout
#     (1 s); the agent reconnects to a new controller and never resumes;
#   - the CLI's bearer token: missing or wrong is refused, right works;
#   - an agent refuses a target outside --allow-target and a share above
#     --max-rate, and the refusal reaches the CLI (exit 3, with the reason).
#
# Usage: safety_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"
served() {
  curl -s "127.0.0.1:$T/__barrage/metrics" | awk '/^barrage_target_requests_total/ {n += $2} END {print n + 0}'
}
await_agents() {  # await_agents N [extra CLI flags]
  local n=$1; shift
  for _ in $(seq 100); do
    "$BARRAGE" agents --controller "127.0.0.1:$G" "$@" 2>/dev/null | grep -q "^$n agent" && return 0
    sleep 0.1
  done
  fail "expected $n agents"
}

T=$(port); G=$(port)
"$BARRAGE" target --listen "127.0.0.1:$T" > "$WORK/target.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" > "$WORK/controller.log" 2>&1 &
CONTROLLER=$!
PIDS+=($CONTROLLER)
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id deadman --http "" --workers 1 > "$WORK/agent.log" 2>&1 &
PIDS+=($!)
await_agents 1

cat > "$WORK/long.yaml" <<YAML
name: dead-man
target: http://127.0.0.1:$T
requests: [{name: a, path: /, timeout: 1s}]
stages: [{duration: 60s, rate: 50/s}]
YAML
"$BARRAGE" run "$WORK/long.yaml" --controller "127.0.0.1:$G" -q > "$WORK/run.log" 2>&1 &
RUN=$!
PIDS+=($RUN)
for _ in $(seq 100); do [ "$(served)" -gt 100 ] && break; sleep 0.1; done
[ "$(served)" -gt 100 ] || fail "the run did not start"
kill -9 "$CONTROLLER"
killed_at=$(date +%s.%N)
sleep 6.5   # lease 5 s + request timeout 1 s + margin
at_deadline=$(served)
sleep 3
after=$(served)
[ "$after" = "$at_deadline" ] || fail "the agent kept firing after the lease: $at_deadline then $after"
echo "ok: dead-man switch: no new request reached the target 6.5 s after the controller was killed ($after served in all)"
wait "$RUN" 2>/dev/null || true

# A new controller on the same address: the agent reconnects and stays idle.
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" > "$WORK/controller2.log" 2>&1 &
PIDS+=($!)
await_agents 1
"$BARRAGE" agents --controller "127.0.0.1:$G" | grep -q '^deadman .* idle' || fail "the agent is not idle after reconnecting"
sleep 2
[ "$(served)" = "$after" ] || fail "the agent resumed the old run on its own"
echo "ok: the agent reconnected to a new controller, idle; the old run was not resumed"

# Bearer token for the CLI.
G2=$(port)
echo "s3cret-token" > "$WORK/token"
echo "wrong-token" > "$WORK/wrong"
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G2" --http "" --token-file "$WORK/token" > "$WORK/controller3.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do "$BARRAGE" agents --controller "127.0.0.1:$G2" --token-file "$WORK/token" > /dev/null 2>&1 && break; sleep 0.1; done
set +e
"$BARRAGE" agents --controller "127.0.0.1:$G2" > "$WORK/out" 2>&1; code=$?
[ "$code" = 2 ] && grep -q "token" "$WORK/out" || fail "no token: exit $code $(cat "$WORK/out")"
"$BARRAGE" agents --controller "127.0.0.1:$G2" --token-file "$WORK/wrong" > "$WORK/out" 2>&1; code=$?
[ "$code" = 2 ] || fail "wrong token: exit $code"
"$BARRAGE" agents --controller "127.0.0.1:$G2" --token-file "$WORK/token" > "$WORK/out" 2>&1; code=$?
[ "$code" = 0 ] || fail "right token: exit $code $(cat "$WORK/out")"
set -e
echo "ok: a missing or wrong token is refused (exit 2), the right one works"

# Agent-side limits: an allow-list without this target, and a rate cap.
G3=$(port)
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G3" --http "" > "$WORK/controller4.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G3" --id careful --http "" --workers 1 \
  --allow-target '*.staging.example.com' --allow-target 10.0.0.0/8 > "$WORK/agent2.log" 2>&1 &
CAREFUL=$!
PIDS+=($CAREFUL)
G=$G3 await_agents 1
cat > "$WORK/short.yaml" <<YAML
name: limits
target: http://127.0.0.1:$T
requests: [{name: a, path: /}]
stages: [{duration: 2s, rate: 100/s}]
YAML
set +e
"$BARRAGE" run "$WORK/short.yaml" --controller "127.0.0.1:$G3" -q > "$WORK/out" 2>&1; code=$?
set -e
[ "$code" = 3 ] || fail "allow-list refusal: exit $code, want 3"
grep -q "not allowed by this agent's --allow-target" "$WORK/out" || fail "allow-list message: $(cat "$WORK/out")"
echo "ok: a target outside --allow-target is refused; the CLI says why and exits 3"
kill "$CAREFUL"; wait "$CAREFUL" 2>/dev/null || true
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G3" --id capped --http "" --workers 1 \
  --allow-target 127.0.0.0/8 --max-rate 20/s > "$WORK/agent3.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  "$BARRAGE" agents --controller "127.0.0.1:$G3" 2>/dev/null | grep -q '^capped ' && break
  sleep 0.1
done
set +e
"$BARRAGE" run "$WORK/short.yaml" --controller "127.0.0.1:$G3" -q > "$WORK/out" 2>&1; code=$?
set -e
[ "$code" = 3 ] || fail "max-rate refusal: exit $code, want 3"
grep -q "max-rate" "$WORK/out" || fail "max-rate message: $(cat "$WORK/out")"
echo "ok: a share above --max-rate is refused; the CLI says why and exits 3"
