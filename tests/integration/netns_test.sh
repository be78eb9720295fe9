#!/usr/bin/env bash
# Several hosts on one machine: the controller (with the target and the CLI)
# and two agents each in their own network namespace, joined by veth pairs
# to a bridge in a fourth namespace (10.201.0.0/24). The test creates and
# removes all of it, and every process (CLI included) runs inside a
# namespace, so nothing is ever dialed from the root namespace.
# Mid-run, agent 2's link is cut (its network is gone; its process lives
# on): the controller must notice within 3 heartbeats, go on (on_loss:
# continue), and record the loss; the cut-off agent's dead-man switch
# stops it.
#
# Usage: netns_test.sh BUILD_DIR   (needs root and iproute2; else exit 77 = skipped)
set -euo pipefail
BUILD=$(cd "$1" && pwd)
BARRAGE=$BUILD/bin/barrage
NS="bgt$$"
WORK=$(mktemp -d)
created=()
cleanup() {
  for ns in "${created[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  done
  sleep 0.2
  for ns in "${created[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$WORK"/*.log; do echo "== $f" >&2; tail -n 5 "$f" >&2; done; exit 1; }
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || ! ip netns add "${NS}br" 2>/dev/null; then
  echo "skipped: cannot create network namespaces here"
  exit 77
fi
created+=("${NS}br")
ip -n "${NS}br" link add br0 type bridge
ip -n "${NS}br" link set br0 up
i=1
for host in ctl a1 a2; do
  ip netns add "${NS}$host"
  created+=("${NS}$host")
  ip link add "v${NS}$i" type veth peer name "b${NS}$i"
  ip link set "v${NS}$i" netns "${NS}$host"
  ip link set "b${NS}$i" netns "${NS}br"
  ip -n "${NS}br" link set "b${NS}$i" master br0 up
  ip -n "${NS}$host" addr add "10.201.0.$i/24" dev "v${NS}$i"
  ip -n "${NS}$host" link set "v${NS}$i" up
  ip -n "${NS}$host" link set lo up
  i=$((i + 1))
done
on() { local host=$1; shift; ip netns exec "${NS}$host" "$@"; }
CTL=10.201.0.1

on ctl "$BARRAGE" target --listen "$CTL:8080" > "$WORK/target.log" 2>&1 &
on ctl "$BUILD/bin/barrage-controller" --grpc "$CTL:7400" --http "" --insecure > "$WORK/controller.log" 2>&1 &
on a1 "$BUILD/bin/barrage-agent" --controller "$CTL:7400" --id host-a1 --http "" --workers 1 --insecure > "$WORK/a1.log" 2>&1 &
on a2 "$BUILD/bin/barrage-agent" --controller "$CTL:7400" --id host-a2 --http "" --workers 1 --insecure > "$WORK/a2.log" 2>&1 &
for _ in $(seq 150); do
  on ctl "$BARRAGE" agents --controller "$CTL:7400" --insecure 2>/dev/null | grep -q '^2 agent' && break
  sleep 0.1
done
on ctl "$BARRAGE" agents --controller "$CTL:7400" --insecure | grep -q '^2 agent' || fail "agents did not connect across namespaces"
echo "ok: two agents in their own namespaces joined the controller at $CTL"

cat > "$WORK/s.yaml" <<YAML
name: across-hosts
target: http://$CTL:8080
agents: {min: 2, wait: 10s, on_loss: continue}
requests: [{name: a, path: /, timeout: 1s}]
stages: [{duration: 12s, rate: 100/s}]
YAML
on ctl "$BARRAGE" run "$WORK/s.yaml" --controller "$CTL:7400" --insecure -q --out "json=$WORK/r.json" > "$WORK/run.log" 2>&1 &
RUN=$!
sleep 4
ip -n "${NS}a2" link del "v${NS}3"   # host a2 drops off the network
cut=$(date +%s.%N)
set +e
wait "$RUN"; code=$?
set -e
[ "$code" = 0 ] || fail "the run exited $code"
python3 - "$WORK/r.json" <<'PY' || fail "result"
import json, sys
r = json.load(open(sys.argv[1]))
lost = [e for e in r["events"] if e["kind"] == "agent_lost" and e["agent"] == "host-a2"]
assert lost and lost[0]["action"] == "continue", r["events"]
started = [e for e in r["events"] if e["kind"] == "started"]
# The cut came about 3.5 s into the run; loss must be seen within 3 heartbeats (+1 s).
assert lost[0]["at_s"] < 3.5 + 4.5, lost[0]
assert 0 < r["totals"]["requests"] < 1200, r["totals"]
print("ok: host-a2 lost at %.1f s of the run, run continued with %d requests" % (lost[0]["at_s"], r["totals"]["requests"]))
PY
grep -q "dead-man switch" "$WORK/a2.log" || fail "the cut-off agent did not stop (dead-man switch)"
echo "ok: the cut-off agent's dead-man switch fired: $(grep -m1 'dead-man switch' "$WORK/a2.log")"
