#!/usr/bin/env bash
# Agent memory with a 1,000,000-row data file: a controller and one
# barrage-agent as processes, `barrage run` of a 10 s scenario whose
# `data:` source is a 1,000,000-row CSV (about 40 MB). The agent's peak RSS
# (VmHWM) over its idle RSS, against the file's size.
# Goal: agent peak RSS - idle RSS <= file size + 50 MB.
# Needs the scenario loader's `data:` syntax (issue 15).
#
#   bench/data_memory.sh
source "$(dirname "$0")/lib.sh"
need python3
CONTROLLER=${CONTROLLER:-$ROOT/build/bin/barrage-controller}
AGENT=${AGENT:-$ROOT/build/bin/barrage-agent}
python3 - "$WORK/users.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("id,email,password\n")
    for i in range(1_000_000):
        f.write(f"{i},user{i}@example.com,pw-{i:08d}\n")
PY
GRPC=$(free_port)
"$CONTROLLER" --grpc "127.0.0.1:$GRPC" --http "" > "$WORK/controller.log" 2>&1 &
PIDS+=($!)
wait_port "$GRPC"
"$AGENT" --controller "127.0.0.1:$GRPC" --id mem-1 --workers 1 --http "" > "$WORK/agent.log" 2>&1 &
AGENT_PID=$!
PIDS+=($AGENT_PID)
"$BARRAGE" target --listen "127.0.0.1:$(free_port)" > "$WORK/target.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do grep -q listening "$WORK/target.log" 2>/dev/null && break; sleep 0.05; done
TARGET=$(grep -o '127.0.0.1:[0-9]*' "$WORK/target.log" | head -1)
for _ in $(seq 100); do "$BARRAGE" agents --controller "127.0.0.1:$GRPC" 2>/dev/null | grep -q mem-1 && break; sleep 0.05; done
idle_kb=$(awk '/VmRSS/ {print $2}' "/proc/$AGENT_PID/status")
cat > "$WORK/d.yaml" <<YAML
name: data-memory
target: http://$TARGET
data: {users: {file: users.csv, mode: sequential}}
requests: [{name: login, path: "/login?u=\${users.email}"}]
stages: [{duration: 10s, rate: 200/s}]
YAML
"$BARRAGE" run "$WORK/d.yaml" --controller "127.0.0.1:$GRPC" -q --out "json=$WORK/d.json" > /dev/null
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$AGENT_PID/status")
file_mb=$(( $(stat -c %s "$WORK/users.csv") / 1048576 ))
grown_mb=$(( (peak_kb - idle_kb) / 1024 ))
echo "agent: idle RSS $((idle_kb / 1024)) MB, peak $((peak_kb / 1024)) MB (+$grown_mb MB) for a $file_mb MB file (goal <= file + 50 MB: $( [ "$grown_mb" -le $((file_mb + 50)) ] && echo ok || echo MISSED))"
