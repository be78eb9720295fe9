#!/usr/bin/env bash
# `barrage stop --now` against a slow target (3 s delay, 20/s): requests in
# flight at the stop are abandoned and counted (outcome aborted, with the
# bytes they had sent), so the result reconciles with what the target read.
#
# The check is on bytes: the target counts a request in its requests total
# only once it answers (none here: the stop comes at ~2 s), but it counts
# every byte it reads. On loopback every byte a request sent is read by the
# target, so the result's bytes_sent equals the target's received bytes
# exactly; a request still connecting at the stop is aborted with 0 bytes
# and reaches nobody, which the bytes check counts honestly as nothing.
#
# Usage: stop_now_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

T=$(port); G=$(port)
"$BARRAGE" target --listen "127.0.0.1:$T" --delay 3s > "$WORK/target.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
export BARRAGE_CONTROLLER="127.0.0.1:$G"
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id a1 --http "" --workers 1 > "$WORK/a1.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  [ "$("$BARRAGE" agents 2>/dev/null | grep -c ' idle')" = 1 ] && break
  sleep 0.1
done
[ "$("$BARRAGE" agents 2>/dev/null | grep -c ' idle')" = 1 ] || fail "no idle agent"

cat > "$WORK/slow.yaml" <<YAML
name: slow
target: http://127.0.0.1:$T
requests: [{name: a, path: /}]
stages: [{duration: 30s, rate: 20/s}]
YAML
# The target counts the bytes of its own metrics requests too: read it
# twice before the run to learn what one read adds.
read_bytes() {
  local b
  b=$(curl -s "http://127.0.0.1:$T/__barrage/metrics" | awk '/^barrage_target_received_bytes_total/ {print $2}')
  echo "${b%.*}"
}
b1=$(read_bytes); b2=$(read_bytes); per_read=$((b2 - b1))
"$BARRAGE" run "$WORK/slow.yaml" -q --out "json=$WORK/slow.json" > "$WORK/run.log" 2>&1 &
run=$!
# The run starts about 1 s after it is accepted; stop it ~2 s into the load,
# well before the first answer (3 s).
sleep 3
"$BARRAGE" stop --now > "$WORK/stop.log" 2>&1 || fail "stop --now failed: $(cat "$WORK/stop.log")"
set +e
wait "$run"; code=$?
set -e
[ -f "$WORK/slow.json" ] || fail "no result (exit $code): $(cat "$WORK/run.log")"
received=$(( $(read_bytes) - b2 - per_read ))
sent=$(json "$WORK/slow.json" "r['totals']['bytes_sent']")
requests=$(json "$WORK/slow.json" "r['totals']['requests']")
aborted=$(json "$WORK/slow.json" "r['outcomes']['aborted']")
errors=$(json "$WORK/slow.json" "r['totals']['errors']")
[ "$aborted" -ge 20 ] || fail "expected >= 20 aborted requests, got $aborted (requests $requests)"
[ "$requests" = "$aborted" ] || fail "requests $requests != aborted $aborted (none could complete)"
[ "$errors" = 0 ] || fail "aborted requests counted as errors ($errors)"
[ "$sent" = "$received" ] || fail "result says $sent bytes sent, the target read $received"
echo "ok: stop --now: $aborted requests aborted and counted; $sent bytes sent = $received read by the target"
