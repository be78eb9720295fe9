#!/usr/bin/env bash
# Data feeders and network profiles end to end:
#   1. `unique` rows across 3 agents, one killed (SIGKILL) mid-run: the shop
#      (a server written for the test, shop_server.py) logs every row's id at
#      least once, and twice only within the killed agent's last ~100 ms
#      (README "Data files": the controller cannot know what a killed agent
#      sent after its last report): no more than the result's data[].redealt
#      (every unreported row dealt again) and its estimate maybe_twice; the
#      run ends when the rows are used up;
#   1b. the same with one agent terminated (SIGTERM, a graceful leave): every
#      id exactly once, and nothing counted as maybe sent twice;
#   2. `network: {latency: 50ms}` raises p50 against `barrage target` by
#      50 ms (+- 5 ms), and the result's fingerprint names the profile.
#
# Usage: traffic_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

S=$(port); G=$(port)
python3 "$ROOT/tests/integration/shop_server.py" --port "$S" --log "$WORK/shop.txt" > "$WORK/shop.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
export BARRAGE_CONTROLLER="127.0.0.1:$G"
declare -A AGENT_PID
for id in a1 a2 a3; do
  "$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id "$id" --http "" --workers 1 > "$WORK/$id.log" 2>&1 &
  AGENT_PID[$id]=$!
  PIDS+=($!)
done
for _ in $(seq 100); do
  [ "$("$BARRAGE" agents 2>/dev/null | grep -c ' idle')" = 3 ] && break
  sleep 0.1
done
[ "$("$BARRAGE" agents 2>/dev/null | grep -c ' idle')" = 3 ] || fail "3 idle agents expected"

# 1. unique rows, one agent killed.
python3 -c "
print('id,email')
for i in range(1, 601): print('%d,user%d@example.com' % (i, i))" > "$WORK/users.csv"
cat > "$WORK/unique.yaml" <<YAML
name: unique-rows
target: http://127.0.0.1:$S
agents: {min: 3, wait: 10s, on_loss: redistribute}
data:
  users: {file: users.csv, mode: unique, on_end: stop}
requests:
  - {name: item, path: "/item/\${users.id}", headers: {X-User: "\${users.email}"}}
stages: [{duration: 60s, rate: 60/s}]
YAML
: > "$WORK/shop.txt"
"$BARRAGE" run "$WORK/unique.yaml" -q --out "json=$WORK/unique.json" > "$WORK/run-unique.log" 2>&1 &
run=$!
sleep 4
kill -9 "${AGENT_PID[a2]}"
set +e
wait "$run"; code=$?
set -e
[ "$code" = 0 ] || fail "unique: exit $code ($(tail -3 "$WORK/run-unique.log"))"
python3 - "$WORK/unique.json" "$WORK/shop.txt" <<'PY' || fail "unique: see above"
import collections, json, sys
r = json.load(open(sys.argv[1]))
ids = collections.Counter(int(l.split()[1]) for l in open(sys.argv[2]) if l.startswith("item "))
missing = [i for i in range(1, 601) if ids[i] == 0]
twice = sorted(i for i, n in ids.items() if n > 1)
assert not missing, "rows never used: %s" % missing[:20]
assert set(ids) <= set(range(1, 601)), "ids outside the file: %s" % (set(ids) - set(range(1, 601)))
assert all(n <= 2 for n in ids.values()), [(i, n) for i, n in ids.items() if n > 2]
kinds = [e["kind"] for e in r["events"]]
assert "data_used_up" in kinds, kinds
assert "agent_lost" in kinds, kinds
assert r["duration_s"] < 30, r["duration_s"]   # the data ended the run, not the 60 s plan
data = r["data"][0]
assert data["name"] == "users" and data["rows"] == 600 and data["used"] >= 600, data
assert len(twice) <= data["redealt"], ("more rows twice than the result's bound", len(twice), data)
# The killed agent's window: its rows since its last DataUsed (<= 100 ms of
# its ~20 rows/s: ~2), estimated as maybe_twice: 20/s x 1.25 x (<= 100 +
# 100 ms) + 1 = 6 at most while its rate holds; 8 leaves room for jitter.
assert len(twice) <= data["maybe_twice"] <= data["redealt"], ("the estimate", len(twice), data)
assert data["maybe_twice"] <= 8, ("the crash window is ~100 ms of a2's rows", data)
print("ok: 600 unique rows across 3 agents, a2 killed at 4 s: every id served, %d twice "
      "(the killed agent's last ~100 ms: maybe_twice %d of redealt %d); run ended "
      "by the data at %.1f s" % (len(twice), data["maybe_twice"], data["redealt"], r["duration_s"]))
PY

# 1b. unique rows, one agent terminated: a graceful leave is exact.
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id a4 --http "" --workers 1 > "$WORK/a4.log" 2>&1 &
AGENT_PID[a4]=$!
PIDS+=($!)
for _ in $(seq 100); do
  [ "$("$BARRAGE" agents 2>/dev/null | grep -c ' idle')" = 3 ] && break
  sleep 0.1
done
[ "$("$BARRAGE" agents 2>/dev/null | grep -c ' idle')" = 3 ] || fail "3 idle agents expected (a1, a3, a4)"
: > "$WORK/shop.txt"
"$BARRAGE" run "$WORK/unique.yaml" -q --out "json=$WORK/leave.json" > "$WORK/run-leave.log" 2>&1 &
run=$!
sleep 4
kill -TERM "${AGENT_PID[a4]}"
set +e
wait "$run"; code=$?
wait "${AGENT_PID[a4]}"; left=$?
set -e
[ "$code" = 0 ] || fail "leave: exit $code ($(tail -3 "$WORK/run-leave.log"))"
[ "$left" = 0 ] || fail "leave: a4 exited $left ($(tail -3 "$WORK/a4.log"))"
python3 - "$WORK/leave.json" "$WORK/shop.txt" <<'PY' || fail "leave: see above"
import collections, json, sys
r = json.load(open(sys.argv[1]))
ids = collections.Counter(int(l.split()[1]) for l in open(sys.argv[2]) if l.startswith("item "))
wrong = {i: ids[i] for i in set(ids) | set(range(1, 601)) if ids[i] != 1}
assert not wrong, "ids not served exactly once (id: times): %s" % sorted(wrong.items())[:20]
kinds = [e["kind"] for e in r["events"]]
assert "agent_left" in kinds and "agent_lost" not in kinds, kinds
assert "data_used_up" in kinds, kinds
data = r["data"][0]
assert data["used"] == 600 and data["redealt"] == 0 and data["maybe_twice"] == 0, data
print("ok: 600 unique rows across 3 agents, a4 terminated at 4 s: every id exactly once, "
      "redealt 0; run ended by the data at %.1f s" % r["duration_s"])
PY

# 2. Network profile: +50 ms per round trip.
T=$(port)
"$BARRAGE" target --listen "127.0.0.1:$T" --delay 5ms > "$WORK/target.log" 2>&1 &
PIDS+=($!)
for profile in none latency; do
  net=""
  [ "$profile" = latency ] && net="network: {latency: 50ms}"
  cat > "$WORK/net-$profile.yaml" <<YAML
name: net-$profile
target: http://127.0.0.1:$T
agents: {min: 2, wait: 10s}
$net
requests: [{name: a, path: /}]
stages: [{duration: 3s, rate: 30/s}]
YAML
  "$BARRAGE" run "$WORK/net-$profile.yaml" -q --out "json=$WORK/net-$profile.json" > "$WORK/run-net-$profile.log" 2>&1 ||
    fail "network $profile: exit $?"
done
python3 - "$WORK/net-none.json" "$WORK/net-latency.json" <<'PY' || fail "network: see above"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
pa, pb = a["latency_ms"]["p50"], b["latency_ms"]["p50"]
assert abs((pb - pa) - 50) <= 5, "p50 %.2f ms without, %.2f ms with 50 ms latency" % (pa, pb)
assert b["fingerprint"].get("network") == "latency 50ms", b["fingerprint"]
assert "network" not in a["fingerprint"], a["fingerprint"]
print("ok: latency 50ms: p50 %.2f -> %.2f ms (+%.2f); the fingerprint says \"%s\"" %
      (pa, pb, pb - pa, b["fingerprint"]["network"]))
PY
