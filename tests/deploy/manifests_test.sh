#!/usr/bin/env bash
# Every object `helm template` renders (default values, each example, mTLS from PEM values)
# and the `barrage run` Job example validate against the Kubernetes schemas and types
# (validate_manifests.mjs); two broken copies show that both checks bite: a misspelt
# optional field (types) and a wrong type (schema).
#
# Usage: manifests_test.sh BUILD_DIR   (exit 77: skipped, the reason printed)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/tests/deploy/tools.sh" "$1"
CHART=$ROOT/deploy/helm/barrage
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
KUBE=(--kube-version 1.31.0)
VALIDATE=(node "$ROOT/tests/deploy/validate_manifests.mjs")

files=()
for values in default "$ROOT"/deploy/helm/examples/*.yaml; do
  name=$(basename "$values" .yaml)
  args=()
  [ "$values" = default ] || args=(-f "$values")
  helm template rel "$CHART" "${KUBE[@]}" -n load "${args[@]}" > "$WORK/$name.yaml" ||
    fail "helm template ($name)"
  files+=("$WORK/$name.yaml")
done
bash "$ROOT/deploy/certs/make-certs.sh" "$WORK/pki" --agent barrage-agent > /dev/null
helm template rel "$CHART" "${KUBE[@]}" --set tls.enabled=true --set agent.replicas=1 \
  --set-file tls.controller.cert="$WORK/pki/controller.pem" \
  --set-file tls.controller.key="$WORK/pki/controller-key.pem" \
  --set-file tls.controller.ca="$WORK/pki/ca.pem" \
  --set-file tls.agent.cert="$WORK/pki/agents/barrage-agent.pem" \
  --set-file tls.agent.key="$WORK/pki/agents/barrage-agent-key.pem" \
  --set auth.token=t0ken --set networkPolicy.enabled=true --set metrics.serviceMonitor.enabled=true \
  > "$WORK/pem-tls.yaml" || fail "helm template (pem-tls)"
files+=("$WORK/pem-tls.yaml" "$ROOT/deploy/helm/run-job.example.yaml")
"${VALIDATE[@]}" "$WORK/check" "${files[@]}" || fail "rendered objects do not validate"

# The checks catch what they should.
sed 's/imagePullPolicy:/imagePullPolcy:/' "$WORK/default.yaml" > "$WORK/typo.yaml"
"${VALIDATE[@]}" "$WORK/check-typo" "$WORK/typo.yaml" > "$WORK/typo.log" 2>&1 &&
  fail "a misspelt optional field (imagePullPolcy) passed"
grep -q "imagePullPolcy" "$WORK/typo.log" || fail "typo not named: $(cat "$WORK/typo.log")"
sed 's/^  replicas: 1$/  replicas: "one"/' "$WORK/default.yaml" > "$WORK/type.yaml"
cmp -s "$WORK/type.yaml" "$WORK/default.yaml" && fail "could not break the file"
"${VALIDATE[@]}" "$WORK/check-type" "$WORK/type.yaml" > "$WORK/type.log" 2>&1 &&
  fail "a wrong type (replicas: \"one\") passed"
echo "ok: a misspelt optional field and a wrong type are both caught"
