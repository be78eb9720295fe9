#!/usr/bin/env bash
# The chart's rendered controller, agent and `helm test` commands run as real processes on
# loopback (chart_processes.py), with a short scenario across them: once in plaintext with
# the allow-list and a rate cap (2 agents, plus the `barrage run` Job example), once
# with mTLS from PEM values (1 agent). A chart flag the binaries refuse fails this test.
#
# Usage: chart_processes_test.sh BUILD_DIR   (exit 77: skipped, the reason printed)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "$1" && pwd)
source "$ROOT/tests/deploy/tools.sh" "$BUILD"
CHART=$ROOT/deploy/helm/barrage
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
KUBE=(--kube-version 1.31.0)

helm template rel "$CHART" "${KUBE[@]}" --set agent.replicas=2 \
  --set 'agent.allowTargets={127.0.0.1,*.example.com}' --set agent.maxRate=1000/s \
  > "$WORK/plain.yaml"
echo "== plaintext, allow-list, rate cap, 2 agents"
python3 -u "$ROOT/tests/deploy/chart_processes.py" "$BUILD" "$WORK/plain.yaml" 2 \
  --job "$ROOT/deploy/helm/run-job.example.yaml"

bash "$ROOT/deploy/certs/make-certs.sh" "$WORK/pki" --agent 'rel-barrage-agent-*' \
  --host rel-barrage-controller > /dev/null
helm template rel "$CHART" "${KUBE[@]}" --set tls.enabled=true --set agent.replicas=2 \
  --set-file tls.controller.cert="$WORK/pki/controller.pem" \
  --set-file tls.controller.key="$WORK/pki/controller-key.pem" \
  --set-file tls.controller.ca="$WORK/pki/ca.pem" \
  --set-file tls.agent.cert="$WORK/pki/agents/rel-barrage-agent-any.pem" \
  --set-file tls.agent.key="$WORK/pki/agents/rel-barrage-agent-any-key.pem" \
  --set auth.token=t0ken > "$WORK/tls.yaml"
echo "== mTLS from PEM values (one fleet certificate), token, 2 agents"
python3 -u "$ROOT/tests/deploy/chart_processes.py" "$BUILD" "$WORK/tls.yaml" 2
