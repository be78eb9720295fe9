#!/usr/bin/env bash
# Real processes on loopback: barrage-controller, 3 barrage-agents and
# `barrage target`, driven by the `barrage` CLI. Checks counts against the
# plan and the target's own count, the weighted mix, `barrage agents`, and
# the exit codes 0, 99, 4, 3 and 2.
#
# Usage: distributed_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"
CONTROLLER=$BUILD/bin/barrage-controller
AGENT=$BUILD/bin/barrage-agent

TARGET_PORT=$(port); GRPC_PORT=$(port); HTTP_PORT=$(port)
"$BARRAGE" target --listen "127.0.0.1:$TARGET_PORT" --delay 2ms > "$WORK/target.log" 2>&1 &
PIDS+=($!)
"$CONTROLLER" --grpc "127.0.0.1:$GRPC_PORT" --http "127.0.0.1:$HTTP_PORT" --data "$WORK/data" \
  > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
for i in 1 2 3; do
  "$AGENT" --controller "127.0.0.1:$GRPC_PORT" --id "agent-$i" --http "" --workers 1 \
    > "$WORK/agent$i.log" 2>&1 &
  PIDS+=($!)
done
export BARRAGE_CONTROLLER="127.0.0.1:$GRPC_PORT"

# Await the three agents (no sleeping on a guess).
for _ in $(seq 100); do
  if "$BARRAGE" agents > "$WORK/agents.txt" 2>/dev/null && grep -q '^3 agent' "$WORK/agents.txt"; then break; fi
  sleep 0.1
done
grep -q '^3 agent' "$WORK/agents.txt" || fail "barrage agents did not list 3 agents"
for i in 1 2 3; do grep -q "^agent-$i " "$WORK/agents.txt" || fail "agent-$i missing"; done
curl -sf "127.0.0.1:$HTTP_PORT/healthz" > /dev/null || fail "/healthz"
curl -sf "127.0.0.1:$HTTP_PORT/readyz" > /dev/null || fail "/readyz"
echo "ok: barrage agents lists 3 agents; /healthz and /readyz answer"

metrics_count() {
  curl -s "127.0.0.1:$TARGET_PORT/__barrage/metrics" |
    awk '/^barrage_target_requests_total/ {n += $2} END {print n + 0}'
}

cat > "$WORK/mix.yaml" <<YAML
name: mix
target: http://127.0.0.1:$TARGET_PORT
agents: {min: 3, wait: 10s}
requests:
  - {name: light, path: /l, weight: 1}
  - {name: medium, path: /m, weight: 2}
  - {name: heavy, method: POST, path: /h, body: '{"x": 1}', weight: 3}
stages:
  - {duration: 2s, rate: 0/s, to: 600/s}
  - {duration: 3s, rate: 600/s}
thresholds:
  - {metric: p99, below: 2s}
  - {metric: error_rate, below: 1%}
YAML
before=$(metrics_count)
"$BARRAGE" run "$WORK/mix.yaml" --out "json=$WORK/mix.json" > "$WORK/mix.out" 2>&1 ||
  fail "passing run exited $?"
served=$(( $(metrics_count) - before ))
requests=$(json "$WORK/mix.json" "r['totals']['requests']")
planned=2400  # 600/s ramp over 2 s (600) + 3 s at 600/s (1800)
python3 - "$requests" "$planned" "$served" <<'PY' || fail "counts"
import sys
n, plan, served = map(int, sys.argv[1:])
assert abs(n - plan) <= plan * 0.01, f"sent {n}, plan {plan}"
assert n == served, f"controller counted {n}, target served {served}"
PY
python3 - "$WORK/mix.json" <<'PY' || fail "merge and mix"
import json, sys
r = json.load(open(sys.argv[1]))
n = r["totals"]["requests"]
assert sum(a["requests"] for a in r["agents"]) == n, "agents do not add up"
assert len(r["agents"]) == 3
assert all(a["http_client"] == "native-http1" for a in r["agents"]), "client not named"
assert all(a["h2_retries"] == 0 for a in r["agents"]), "h2_retries missing"
assert all(abs(a["requests"] - n / 3) <= 2 for a in r["agents"]), "uneven split"
w = {"light": 1, "medium": 2, "heavy": 3}
for name, weight in w.items():
    share = r["requests"][name]["requests"] / n
    assert abs(share - weight / 6) <= 0.05, f"{name}: {share:.3f} vs {weight/6:.3f}"
assert r["start_skew_ms"] < 10, f"start skew {r['start_skew_ms']} ms"
assert r["status"] == "passed"
PY
echo "ok: $requests requests (plan $planned), target served $served, agents add up, mix within 5%, start skew $(json "$WORK/mix.json" "r['start_skew_ms']") ms"
[ -f "$WORK/data/runs/$(json "$WORK/mix.json" "r['run']").json" ] || fail "result not stored"

cat > "$WORK/fail.yaml" <<YAML
name: failing-threshold
target: http://127.0.0.1:$TARGET_PORT
requests: [{name: a, path: /}]
stages: [{duration: 2s, rate: 50/s}]
thresholds: [{metric: p50, below: 1ms}]
YAML
set +e
"$BARRAGE" run "$WORK/fail.yaml" -q > "$WORK/fail.out" 2>&1; code=$?
[ "$code" = 99 ] || fail "failing threshold exited $code, want 99"
echo "ok: a failed threshold exits 99"

cat > "$WORK/abort.yaml" <<YAML
name: abort-threshold
target: http://127.0.0.1:$TARGET_PORT
requests: [{name: a, path: /}]
stages: [{duration: 30s, rate: 50/s}]
thresholds: [{metric: p50, below: 1ms, window: 1s, abort: true}]
YAML
start=$(date +%s)
"$BARRAGE" run "$WORK/abort.yaml" -q --out "json=$WORK/abort.json" > "$WORK/abort.out" 2>&1; code=$?
[ "$code" = 4 ] || fail "abort threshold exited $code, want 4"
[ $(( $(date +%s) - start )) -lt 15 ] || fail "the abort did not stop the 30 s run early"
[ "$(json "$WORK/abort.json" "r['status']")" = aborted ] || fail "status not aborted"
echo "ok: an abort threshold stops the run early and exits 4"

cat > "$WORK/few.yaml" <<YAML
name: too-few-agents
target: http://127.0.0.1:$TARGET_PORT
agents: {min: 4, wait: 1s}
requests: [{name: a, path: /}]
stages: [{duration: 2s, rate: 10/s}]
YAML
"$BARRAGE" run "$WORK/few.yaml" -q > "$WORK/few.out" 2>&1; code=$?
[ "$code" = 3 ] || fail "too few agents exited $code, want 3"
grep -q "only 3 of the 4 agents" "$WORK/few.out" || fail "too-few message"
echo "ok: too few agents exits 3 and says so"

# Ctrl-C: the first interrupt stops the run gracefully (aborted, exit 4).
cat > "$WORK/long.yaml" <<YAML
name: long
target: http://127.0.0.1:$TARGET_PORT
requests: [{name: a, path: /}]
stages: [{duration: 60s, rate: 20/s}]
YAML
start=$(date +%s)
"$BARRAGE" run "$WORK/long.yaml" > "$WORK/int.out" 2>&1 &
run_pid=$!
for _ in $(seq 100); do grep -q "target" "$WORK/int.out" 2>/dev/null && break; sleep 0.1; done
sleep 1
kill -INT "$run_pid"
wait "$run_pid"; code=$?
[ "$code" = 4 ] || fail "Ctrl-C exited $code, want 4"
[ $(( $(date +%s) - start )) -lt 20 ] || fail "Ctrl-C did not end the 60 s run early"
grep -q "stopping" "$WORK/int.out" || fail "no stopping message after Ctrl-C"
echo "ok: Ctrl-C stops the run gracefully and exits 4"

printf 'name: bad\ntarget: http://127.0.0.1:1\nrequests: [{name: a, path: /}]\nstages: [{duration: 10, rate: 1/s}]\n' > "$WORK/bad.yaml"
"$BARRAGE" run "$WORK/bad.yaml" > "$WORK/bad.out" 2>&1; code=$?
[ "$code" = 2 ] || fail "invalid scenario exited $code, want 2"
grep -q "bad.yaml:4:.*stages\[0\].duration" "$WORK/bad.out" || fail "invalid scenario location"
echo "ok: an invalid scenario exits 2 naming line and field"
