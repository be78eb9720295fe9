#!/usr/bin/env bash
# Every daemon listener refuses a busy port (exit 2, "cannot listen on
# HOST:PORT: address already in use") instead of sharing it, and the first
# process keeps serving; the controller's banner names the address it
# really listens on (the host as given, IPv6 bracketed, the bound port).
#
# Usage: listen_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

G=$(port); H=$(port)
export BARRAGE_CONTROLLER="127.0.0.1:$G"
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "127.0.0.1:$H" \
  > "$WORK/first.log" 2>&1 &
FIRST=$!
PIDS+=($FIRST)
for _ in $(seq 100); do grep -q listening "$WORK/first.log" && break; sleep 0.1; done
grep -q "listening: grpc 127.0.0.1:$G, http 127.0.0.1:$H\$" "$WORK/first.log" ||
  fail "the first controller's banner: $(cat "$WORK/first.log")"

# second NAME WANT COMMAND...: runs COMMAND (it must exit at once) and checks
# exit 2 and the message naming WANT (HOST:PORT).
second() {
  local name=$1 want=$2
  shift 2
  set +e
  timeout 10 "$@" > "$WORK/$name.log" 2>&1
  local code=$?
  set -e
  [ "$code" = 2 ] || fail "$name: exit $code, want 2: $(cat "$WORK/$name.log")"
  grep -q "cannot listen on $want: address already in use" "$WORK/$name.log" ||
    fail "$name: no clear message: $(cat "$WORK/$name.log")"
  grep -q "listening" "$WORK/$name.log" && fail "$name: says it is listening"
  echo "ok: $name refused: $(grep 'cannot listen' "$WORK/$name.log")"
}
second controller_grpc "127.0.0.1:$G" \
  "$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http ""
second controller_http "127.0.0.1:$H" \
  "$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$(port)" --http "127.0.0.1:$H"

# An agent on a busy --http: its own first instance holds the port.
A=$(port)
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id first --http "127.0.0.1:$A" \
  --workers 1 > "$WORK/agent.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 150); do "$BARRAGE" agents 2>/dev/null | grep -q '^1 agent' && break; sleep 0.1; done
"$BARRAGE" agents | grep -q '^1 agent' || fail "the first agent did not connect"
second agent_http "127.0.0.1:$A" \
  "$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id second --http "127.0.0.1:$A"

# The first ones still serve, alone.
kill -0 "$FIRST" || fail "the first controller died"
"$BARRAGE" agents > "$WORK/agents.txt" || fail "barrage agents against the first controller"
grep -q '^1 agent' "$WORK/agents.txt" || fail "agents: $(cat "$WORK/agents.txt")"
python3 - "$H" "$A" <<'PY' || fail "the first controller's or agent's /healthz"
import sys, urllib.request
for port in sys.argv[1:]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
        assert r.status == 200, r.status
PY
echo "ok: the first controller and agent keep serving"

# The banner of an IPv6 listener.
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
  "$BUILD/bin/barrage-controller" --grpc "[::1]:0" --http "[::1]:0" > "$WORK/v6.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do grep -q listening "$WORK/v6.log" && break; sleep 0.1; done
  grep -Eq "listening: grpc \[::1\]:[1-9][0-9]*, http \[::1\]:[1-9][0-9]*\$" "$WORK/v6.log" ||
    fail "the IPv6 banner: $(cat "$WORK/v6.log")"
  V6=$(sed -n 's/.*grpc \(\[::1\]:[0-9]*\),.*/\1/p' "$WORK/v6.log")
  "$BARRAGE" agents --controller "$V6" > /dev/null || fail "nothing answers on the banner's $V6"
  echo "ok: $(cat "$WORK/v6.log")"
else
  echo "skip: ::1 is not available here"
fi
