#!/usr/bin/env bash
# The chart, checked with the real helm: `helm lint --strict` and `helm template` for the
# default values and each deploy/helm/examples/*.yaml; a value of the wrong type and an
# unknown key are refused by values.schema.json; the PrometheusRule and the dashboard
# ConfigMap carry exactly deploy/prometheus/barrage-rules.yml and deploy/grafana/barrage.json
# (also in the packaged chart); every value in values.yaml is documented there and in the
# chart's README. Renders go to BUILD/deploy-render/ for the other deploy tests.
#
# Usage: helm_lint_test.sh BUILD_DIR   (exit 77: skipped, the reason printed)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/tests/deploy/tools.sh" "$1"
CHART=$ROOT/deploy/helm/barrage
OUT=$(cd "$1" && pwd)/deploy-render
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
fail() { echo "FAIL: $*" >&2; exit 1; }
KUBE=(--kube-version 1.31.0)

for values in default "$ROOT"/deploy/helm/examples/*.yaml; do
  name=$(basename "$values" .yaml)
  args=()
  [ "$values" = default ] || args=(-f "$values")
  helm lint --strict "${KUBE[@]}" "$CHART" "${args[@]}" > "$WORK/lint.log" 2>&1 ||
    { cat "$WORK/lint.log"; fail "helm lint --strict ($name)"; }
  helm template rel "$CHART" "${KUBE[@]}" -n load "${args[@]}" > "$OUT/$name.yaml" ||
    fail "helm template ($name)"
  echo "ok: $name: helm lint --strict and helm template ($(grep -c '^kind:' "$OUT/$name.yaml") objects)"
done

# mTLS from PEM values (make-certs.sh), one agent: the chart makes the Secrets.
bash "$ROOT/deploy/certs/make-certs.sh" "$WORK/pki" --agent barrage-agent \
  --host rel-barrage-controller > /dev/null
helm template rel "$CHART" "${KUBE[@]}" -n load --set tls.enabled=true --set agent.replicas=1 \
  --set-file tls.controller.cert="$WORK/pki/controller.pem" \
  --set-file tls.controller.key="$WORK/pki/controller-key.pem" \
  --set-file tls.controller.ca="$WORK/pki/ca.pem" \
  --set-file tls.agent.cert="$WORK/pki/agents/barrage-agent.pem" \
  --set-file tls.agent.key="$WORK/pki/agents/barrage-agent-key.pem" \
  --set auth.token=t0ken > "$OUT/pem-tls.yaml" || fail "helm template with PEM values"
cp -r "$WORK/pki" "$OUT/pki"
echo "ok: pem-tls: mTLS and token Secrets made from PEM values"

# Refused values: a wrong type, an unknown key (misspelt), a bad enum, combinations.
refused() {  # refused NAME EXPECTED-MESSAGE VALUES-YAML
  printf '%s\n' "$3" > "$WORK/$1.yaml"
  if helm template rel "$CHART" "${KUBE[@]}" -f "$WORK/$1.yaml" > /dev/null 2> "$WORK/$1.err"; then
    fail "$1: accepted"
  fi
  grep -q -- "$2" "$WORK/$1.err" || fail "$1: wrong message: $(cat "$WORK/$1.err")"
  # helm lint turns a template's `fail` into an INFO line; the schema it enforces.
  if [ "${4:-}" != template-only ]; then
    helm lint --strict "${KUBE[@]}" "$CHART" -f "$WORK/$1.yaml" > /dev/null 2>&1 && fail "$1: lint accepted it"
  fi
  echo "ok: refused $1 ($2)"
}
refused wrong-type "agent.replicas: Invalid type. Expected: integer, given: string" $'agent:\n  replicas: "two"'
refused unknown-key "Additional property pullPolcy is not allowed" $'image:\n  pullPolcy: Always'
refused unknown-nested "Additional property maxRepicas is not allowed" $'agent:\n  autoscaling:\n    maxRepicas: 3'
refused bad-enum "agent.httpEngine" $'agent:\n  httpEngine: wget'
refused bad-rate "agent.maxRate" $'agent:\n  maxRate: 500/min'
refused tls-without-certs "give tls.controller.existingSecret" $'tls:\n  enabled: true' template-only
refused single-id-cert-many-agents "allows one agent" \
  $'tls:\n  enabled: true\n  controller: {existingSecret: c}\n  agent: {existingSecret: a, commonName: one-agent}' template-only

# One source of truth: the rendered rules and dashboard are the files under deploy/.
python3 - "$OUT/monitoring.yaml" "$ROOT" <<'PY' || fail "rules or dashboard differ from deploy/"
import json, sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
rule = next(d for d in docs if d["kind"] == "PrometheusRule")
src = yaml.safe_load(open(sys.argv[2] + "/deploy/prometheus/barrage-rules.yml"))
assert rule["spec"] == src, "PrometheusRule spec != barrage-rules.yml"
cm = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"].endswith("-dashboard"))
assert cm["metadata"]["labels"]["grafana_dashboard"] == "1", cm["metadata"]["labels"]
assert cm["data"]["barrage.json"] == open(sys.argv[2] + "/deploy/grafana/barrage.json").read().rstrip("\n")
json.loads(cm["data"]["barrage.json"])
PY
helm package "$CHART" -d "$WORK" > /dev/null || fail "helm package"
tar -xzf "$WORK"/barrage-*.tgz -C "$WORK" barrage/files
cmp "$WORK/barrage/files/barrage-rules.yml" "$ROOT/deploy/prometheus/barrage-rules.yml" &&
  cmp "$WORK/barrage/files/barrage.json" "$ROOT/deploy/grafana/barrage.json" ||
  fail "the packaged chart does not carry the rule file and the dashboard"
echo "ok: the PrometheusRule and dashboard ConfigMap are deploy/prometheus/barrage-rules.yml and deploy/grafana/barrage.json (rendered and packaged)"

# Every value is documented: a '# --' comment in values.yaml and a row in the README.
python3 - "$CHART" <<'PY' || fail "undocumented values"
import re, sys
chart = sys.argv[1]
lines = open(chart + "/values.yaml").read().splitlines()
readme = open(chart + "/README.md").read()
stack, documented, missing, whole = [], False, [], []
for i, line in enumerate(lines):
    if re.match(r"^\s*# -- ", line):
        documented = True
        continue
    m = re.match(r"^(\s*)([A-Za-z0-9_]+):(.*)$", line)
    if not m:
        continue
    depth = len(m.group(1)) // 2
    stack = stack[:depth] + [m.group(2)]
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    is_group = m.group(3).strip() == "" and re.match(r"^\s{%d,}" % (2 * depth + 2), nxt)
    key = ".".join(stack)
    if any(key.startswith(d + ".") for d in whole):
        continue  # inside a value documented as a whole (a probe, a security context)
    if documented:
        whole.append(key)
    if not is_group or documented:
        if not documented:
            missing.append(key + " (no '# --' comment in values.yaml)")
        if "`" + key + "`" not in readme:
            missing.append(key + " (not in README.md)")
    documented = False
if missing:
    print("\n".join(missing))
    sys.exit(1)
PY
echo "ok: every value has a '# --' comment in values.yaml and a row in the chart README"
