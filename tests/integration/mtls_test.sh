#!/usr/bin/env bash
# Mutual TLS on the agent link, with real processes on loopback: an agent
# with a certificate from the controller's CA joins (its id is its
# certificate's name); plaintext, a certificate from another CA, and an id
# that does not match the certificate are all rejected. The CLI verifies
# the controller with --tls-ca and authenticates with the bearer token.
#
# Usage: mtls_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

bash "$ROOT/deploy/certs/make-certs.sh" "$WORK/pki" --agent good --agent other-name --agent 'fleet-*' > /dev/null
bash "$ROOT/deploy/certs/make-certs.sh" "$WORK/rogue" --agent rogue > /dev/null
echo "t0ken" > "$WORK/token"
T=$(port); G=$(port)
"$BARRAGE" target --listen "127.0.0.1:$T" > "$WORK/target.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" \
  --tls-cert "$WORK/pki/controller.pem" --tls-key "$WORK/pki/controller-key.pem" \
  --tls-ca "$WORK/pki/ca.pem" --token-file "$WORK/token" > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
agent() {  # agent ID LOG [flags...]
  local id=$1 log=$2; shift 2
  "$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id "$id" --http "" --workers 1 "$@" \
    > "$WORK/$log.log" 2>&1 &
  PIDS+=($!)
}
agent good good --tls-ca "$WORK/pki/ca.pem" --tls-cert "$WORK/pki/agents/good.pem" --tls-key "$WORK/pki/agents/good-key.pem"
agent plain plain
agent rogue rogue --tls-ca "$WORK/pki/ca.pem" --tls-cert "$WORK/rogue/agents/rogue.pem" --tls-key "$WORK/rogue/agents/rogue-key.pem"
agent imposter imposter --tls-ca "$WORK/pki/ca.pem" --tls-cert "$WORK/pki/agents/other-name.pem" --tls-key "$WORK/pki/agents/other-name-key.pem"
# A fleet certificate (CN fleet-*): two agents share it under ids with its
# prefix; an id without the prefix is refused.
FLEET=(--tls-ca "$WORK/pki/ca.pem" --tls-cert "$WORK/pki/agents/fleet-any.pem" --tls-key "$WORK/pki/agents/fleet-any-key.pem")
agent fleet-1 fleet1 "${FLEET[@]}"
agent fleet-2 fleet2 "${FLEET[@]}"
agent outsider outsider "${FLEET[@]}"

CLI=(--controller "127.0.0.1:$G" --tls-ca "$WORK/pki/ca.pem" --token-file "$WORK/token")
for _ in $(seq 100); do
  "$BARRAGE" agents "${CLI[@]}" 2>/dev/null | grep -q '^3 agent' && break
  sleep 0.1
done
sleep 3  # give the rejected agents time to try (and retry)
"$BARRAGE" agents "${CLI[@]}" > "$WORK/agents.txt" || fail "barrage agents over TLS"
grep -q '^good ' "$WORK/agents.txt" || fail "the agent with a valid certificate is missing"
grep -q '^fleet-1 ' "$WORK/agents.txt" && grep -q '^fleet-2 ' "$WORK/agents.txt" ||
  fail "the two agents sharing the fleet certificate are not both in: $(cat "$WORK/agents.txt")"
grep -q '^3 agent' "$WORK/agents.txt" || fail "a rejected agent got in: $(cat "$WORK/agents.txt")"
grep -q "does not match its certificate ('fleet-\*')" "$WORK/outsider.log" ||
  fail "an id outside the fleet certificate's prefix was not refused with the reason: $(cat "$WORK/outsider.log")"
grep -q "does not match its certificate" "$WORK/imposter.log" ||
  fail "the imposter was not told why it was rejected"
echo "ok: only agents with a certificate from the controller's CA that names their id joined (plaintext, another CA and mismatched ids were rejected; two agents shared a fleet certificate)"

set +e
"$BARRAGE" agents --controller "127.0.0.1:$G" --token-file "$WORK/token" > "$WORK/out" 2>&1; code=$?
[ "$code" = 3 ] || fail "plaintext CLI to a TLS controller: exit $code, want 3"
"$BARRAGE" agents --controller "127.0.0.1:$G" --tls-ca "$WORK/pki/ca.pem" > "$WORK/out" 2>&1; code=$?
[ "$code" = 2 ] || fail "TLS CLI without token: exit $code, want 2"
set -e
echo "ok: the CLI needs --tls-ca to reach a TLS controller and the token to be served"

cat > "$WORK/s.yaml" <<YAML
name: over-tls
target: http://127.0.0.1:$T
requests: [{name: a, path: /}]
stages: [{duration: 2s, rate: 50/s}]
YAML
"$BARRAGE" run "$WORK/s.yaml" "${CLI[@]}" -q --out "json=$WORK/r.json" > "$WORK/run.log" 2>&1 || fail "run over TLS"
python3 -c "import json; r=json.load(open('$WORK/r.json')); assert r['totals']['requests'] == 100 and sorted(a['id'] for a in r['agents']) == ['fleet-1', 'fleet-2', 'good'], r" ||
  fail "run result"
echo "ok: a run over mTLS completes (100 requests from good, fleet-1 and fleet-2)"
