#!/usr/bin/env bash
# Agent identity, selection and TLS policy with real processes on loopback:
#   - a malformed --id is a permanent refusal: the agent exits 2 at once,
#     saying why (it does not retry forever);
#   - a second agent with a connected agent's id is refused (with a hint to
#     set --id) and the first keeps its session;
#   - `barrage agents` lists labels, workers, capacity, version and limits;
#   - agents.select.labels picks the agents; defaults.tls decides how an
#     https target (openssl s_server, a certificate from a private CA) is
#     verified: verify: true fails, verify: false and ca: FILE pass; an agent
#     with --require-tls-verify refuses verify: false and the CLI says why.
#
# Usage: agents_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"
AGENT=$BUILD/bin/barrage-agent
G=$(port); S=$(port)
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
agents() { "$BARRAGE" agents --controller "127.0.0.1:$G" 2>/dev/null; }
await() {  # await DESCRIPTION COMMAND...: up to 10 s
  local what=$1; shift
  for _ in $(seq 100); do "$@" && return 0; sleep 0.1; done
  fail "$what"
}

# 1. A malformed id: exit 2 with the reason, within a few seconds.
for _ in $(seq 100); do agents > /dev/null && break; sleep 0.1; done
set +e
start=$(date +%s)
timeout 10 "$AGENT" --controller "127.0.0.1:$G" --id 'bad id' --http "" > "$WORK/bad.log" 2>&1
code=$?
set -e
[ "$code" = 2 ] || fail "bad id: exit $code, want 2"
[ $(( $(date +%s) - start )) -le 5 ] || fail "bad id: took over 5 s to exit"
grep -q "refused this agent: hello: agent_id must be" "$WORK/bad.log" || fail "bad id: no reason"
echo "ok: a malformed --id exits 2 at once, saying why"

# 2. Two agents with one id: the newcomer is refused, the first stays.
"$AGENT" --controller "127.0.0.1:$G" --id twin --http "" --workers 1 --label zone=a \
  --label tier=edge > "$WORK/twin1.log" 2>&1 &
PIDS+=($!)
await "the first twin did not connect" sh -c "'$BARRAGE' agents --controller 127.0.0.1:$G | grep -q '^twin '"
"$AGENT" --controller "127.0.0.1:$G" --id twin --http "" --workers 1 > "$WORK/twin2.log" 2>&1 &
TWIN2=$!
PIDS+=($TWIN2)
await "the second twin was not refused" grep -q "already connected.*give each agent its own --id" "$WORK/twin2.log"
sleep 2  # a would-be ping-pong shows within the newcomer's retries
kill "$TWIN2"
agents | grep -q "^1 agent" || fail "twins: $(agents)"
agents | grep "^twin " | grep -q "tier=edge,zone=a" || fail "twins: the first lost its session: $(agents)"
if grep -q "controller link closed" "$WORK/twin1.log"; then fail "the first twin was replaced"; fi
echo "ok: a duplicate id is refused to the newcomer with a hint; the first keeps its session"

# 3. barrage agents shows labels, workers, capacity and limits.
"$AGENT" --controller "127.0.0.1:$G" --id strict --http "" --workers 2 --label zone=b \
  --require-tls-verify --max-rate 50/s --max-in-flight 500 --allow-target 127.0.0.1 > "$WORK/strict.log" 2>&1 &
PIDS+=($!)
await "strict did not connect" sh -c "'$BARRAGE' agents --controller 127.0.0.1:$G | grep -q '^2 agent'"
agents > "$WORK/agents.out"
head -1 "$WORK/agents.out" | grep -q "AGENT *VERSION *WORKERS *CAPACITY *IN-FLIGHT *STATE *LABELS *RUN *LIMITS" ||
  fail "agents header: $(cat "$WORK/agents.out")"
grep -Eq "^strict +[0-9.]+ +2 +2 +500 +idle +zone=b +- +max-rate=50/s allow-targets=127.0.0.1 require-tls-verify$" \
  "$WORK/agents.out" || fail "agents line: $(cat "$WORK/agents.out")"
echo "ok: barrage agents lists labels, workers, capacity, in-flight limit, version and limits"

# 4. TLS verification belongs to the scenario.
bash "$ROOT/deploy/certs/make-certs.sh" "$WORK/certs" > /dev/null
openssl s_server -quiet -www -accept "127.0.0.1:$S" -cert "$WORK/certs/controller.pem" \
  -key "$WORK/certs/controller-key.pem" > "$WORK/s_server.log" 2>&1 &
PIDS+=($!)
await "s_server did not listen" sh -c "echo | openssl s_client -connect 127.0.0.1:$S > /dev/null 2>&1"
scenario() {  # scenario FILE ZONE TLS
  cat > "$1" <<YAML
name: tls
target: https://127.0.0.1:$S
agents: {min: 1, wait: 5s, select: {labels: {zone: $2}}}
defaults: {timeout: 2s, tls: $3}
requests: [{name: a, path: /}]
stages: [{duration: 2s, rate: 5/s}]
thresholds: [{metric: error_rate, below: 1%}]
YAML
}
run() {  # run FILE: sets code
  set +e
  "$BARRAGE" run "$1" --controller "127.0.0.1:$G" -q --out "json=$1.json" > "$1.out" 2>&1
  code=$?
  set -e
}
scenario "$WORK/verify.yaml" a "{verify: true}"
run "$WORK/verify.yaml"
[ "$code" = 99 ] || fail "verify: true against an unknown CA: exit $code, want 99: $(cat "$WORK/verify.yaml.out")"
[ "$(json "$WORK/verify.yaml.json" 'r["totals"]["requests"]')" -ge 9 ] || fail "verify: too few requests"
scenario "$WORK/noverify.yaml" a "{verify: false}"
run "$WORK/noverify.yaml"
[ "$code" = 0 ] || fail "verify: false: exit $code: $(cat "$WORK/noverify.yaml.out")"
scenario "$WORK/ca.yaml" a "{ca: certs/ca.pem}"
run "$WORK/ca.yaml"
[ "$code" = 0 ] || fail "ca: FILE: exit $code: $(cat "$WORK/ca.yaml.out")"
echo "ok: verify: true fails on a private CA's certificate; verify: false and ca: FILE pass"
scenario "$WORK/strict.yaml" b "{verify: false}"
run "$WORK/strict.yaml"
[ "$code" = 3 ] || fail "--require-tls-verify: exit $code, want 3"
grep -q "agent strict refused the run: .*--require-tls-verify" "$WORK/strict.yaml.out" ||
  fail "--require-tls-verify: no reason: $(cat "$WORK/strict.yaml.out")"
echo "ok: an agent with --require-tls-verify refuses verify: false; the CLI says why"
