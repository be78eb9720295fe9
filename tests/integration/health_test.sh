#!/usr/bin/env bash
# `barrage health` against the real daemons: a barrage-controller answers
# SERVING (exit 0) once ready and, after SIGTERM, nothing (exit 3, "cannot
# reach"); `--http` gets an agent's /healthz (exit 0), a closed port exits 3,
# and a listener that never answers exits 3 within --timeout.
#
# Usage: health_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

# health ARGS...: runs `barrage health`, setting CODE, OUT and ERR.
health() {
  set +e
  "$BARRAGE" health "$@" > "$WORK/health.out" 2> "$WORK/health.err"
  CODE=$?
  set -e
  OUT=$(cat "$WORK/health.out"); ERR=$(cat "$WORK/health.err")
}

G=$(port); H=$(port); A=$(port)
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "127.0.0.1:$H" \
  > "$WORK/controller.log" 2>&1 &
CONTROLLER=$!
PIDS+=($CONTROLLER)
# Ready within 15 s; until then the port is closed (3) or NOT_SERVING (1).
for _ in $(seq 150); do
  health "127.0.0.1:$G"
  [ "$CODE" = 0 ] && break
  [ "$CODE" = 1 ] || [ "$CODE" = 3 ] || fail "barrage health while starting: exit $CODE: $ERR"
  sleep 0.1
done
[ "$CODE" = 0 ] || fail "the controller never became SERVING: exit $CODE: $OUT $ERR"
[ "$OUT" = "127.0.0.1:$G: SERVING" ] || fail "unexpected answer: $OUT"
echo "ok: barrage health 127.0.0.1:G exits 0 once the controller is ready ($OUT)"

"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id h1 --http "127.0.0.1:$A" \
  --workers 1 > "$WORK/agent.log" 2>&1 &
AGENT=$!
PIDS+=($AGENT)
for _ in $(seq 150); do
  health --http "127.0.0.1:$A"
  [ "$CODE" = 3 ] || break
  sleep 0.1
done
[ "$CODE" = 0 ] || fail "barrage health --http on the agent: exit $CODE: $OUT $ERR"
[ "$OUT" = "127.0.0.1:$A/healthz: HTTP 200" ] || fail "unexpected answer: $OUT"
echo "ok: barrage health --http exits 0 against the agent's /healthz"

kill -TERM "$CONTROLLER"
wait "$CONTROLLER" || fail "the controller exited $? after SIGTERM"
health "127.0.0.1:$G"
[ "$CODE" = 3 ] || fail "after the controller stopped: exit $CODE, want 3: $OUT $ERR"
grep -q "^barrage health: cannot reach 127.0.0.1:$G: " "$WORK/health.err" || fail "no reason: $ERR"
echo "ok: after SIGTERM the controller's port answers nothing: exit 3 ($ERR)"

kill -TERM "$AGENT"
wait "$AGENT" || true
health --http "127.0.0.1:$A"
[ "$CODE" = 3 ] || fail "--http on a closed port: exit $CODE, want 3: $OUT $ERR"
[ "$ERR" = "barrage health: cannot reach 127.0.0.1:$A: cannot connect (refused or unreachable)" ] ||
  fail "unexpected reason: $ERR"
echo "ok: barrage health --http on a closed port exits 3 ($ERR)"

# A listener that accepts and never answers: both modes give up at --timeout.
S=$(port)
python3 -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); print("listening", flush=True)
conns=[]
while True: conns.append(s.accept())' "$S" > "$WORK/silent.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do grep -q listening "$WORK/silent.log" && break; sleep 0.05; done
for mode in "" --http; do
  t0=$(date +%s%N)
  health $mode "127.0.0.1:$S" --timeout 300ms
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ "$CODE" = 3 ] || fail "health $mode on a silent listener: exit $CODE, want 3: $OUT $ERR"
  [[ "$ERR" == *"within 300ms"* ]] || fail "health $mode: no timeout reason: $ERR"
  [ "$ms" -lt 2000 ] || fail "health $mode took $ms ms with --timeout 300ms"
  echo "ok: barrage health $mode on a listener that never answers exits 3 in $ms ms ($ERR)"
done
