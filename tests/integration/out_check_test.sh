#!/usr/bin/env bash
# `barrage run --out` is checked before any load is sent: an output path
# whose directory does not exist, is not writable, or that is a directory
# is refused with exit 2 and the reason, for remote and --local runs, and
# the target serves nothing.
#
# Usage: out_check_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"

T=$(port); G=$(port)
export BARRAGE_CONTROLLER="127.0.0.1:$G"
"$BARRAGE" target --listen "127.0.0.1:$T" > "$WORK/target.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-controller" --grpc "127.0.0.1:$G" --http "" > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
"$BUILD/bin/barrage-agent" --controller "127.0.0.1:$G" --id a1 --http "" --workers 1 \
  > "$WORK/agent.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 150); do "$BARRAGE" agents 2>/dev/null | grep -q '^1 agent' && break; sleep 0.1; done
"$BARRAGE" agents | grep -q '^1 agent' || fail "the agent did not connect"

served() {
  curl -s "127.0.0.1:$T/__barrage/metrics" |
    awk '/^barrage_target_requests_total/ {n += $2} END {print n + 0}'
}
cat > "$WORK/s.yaml" <<YAML
name: out-check
target: http://127.0.0.1:$T
requests: [{name: a, path: /}]
stages: [{duration: 2s, rate: 50/s}]
YAML
mkdir "$WORK/adir"

# refused NAME WANT RUN-ARGS...: `barrage run` exits 2 at once, naming WANT.
refused() {
  local name=$1 want=$2
  shift 2
  set +e
  timeout 20 "$BARRAGE" run "$WORK/s.yaml" -q "$@" > "$WORK/$name.log" 2>&1
  local code=$?
  set -e
  [ "$code" = 2 ] || fail "$name: exit $code, want 2: $(cat "$WORK/$name.log")"
  grep -q -- "$want" "$WORK/$name.log" || fail "$name: the reason is missing: $(cat "$WORK/$name.log")"
  echo "ok: $name: $(head -1 "$WORK/$name.log")"
}
refused remote_missing_dir "directory /nonexistent/dir does not exist" \
  --out json=/nonexistent/dir/x.json
refused local_missing_dir "directory /nonexistent/dir does not exist" \
  --local 1 --out json=/nonexistent/dir/x.json
refused remote_is_dir "is a directory" --out "json=$WORK/adir"
refused local_is_dir "is a directory" --local 1 --out "json=$WORK/adir"
if [ "$(id -u)" != 0 ]; then
  mkdir "$WORK/ro" && chmod 555 "$WORK/ro"
  refused remote_read_only "is not writable" --out "json=$WORK/ro/x.json"
else
  echo "skip: a read-only directory (running as root)"
fi
[ "$(served)" = 0 ] || fail "the target served $(served) requests before --out was refused"
"$BARRAGE" runs > "$WORK/runs.txt" 2>&1 || true
grep -q out-check "$WORK/runs.txt" && fail "a run was started: $(cat "$WORK/runs.txt")"
echo "ok: no request reached the target"

# A good path still works.
"$BARRAGE" run "$WORK/s.yaml" -q --out "json=$WORK/ok.json" > "$WORK/ok.log" 2>&1 || fail "a good --out"
[ -s "$WORK/ok.json" ] || fail "no result written"
[ "$(served)" -gt 0 ] || fail "the good run sent nothing"
echo "ok: a writable --out runs and is written"
