#!/usr/bin/env bash
# CPU per request of a templated request (two substitutions: a path segment
# and a header value, from a data source's columns) against a static one,
# closed model, 50 connections, against nginx (1 worker, pinned to CPU 1);
# the generator pinned to CPU 0 with one worker thread, the native client.
# Both run back to back in the same invocation, ROUNDS times.
# Goal: the templated request's CPU-seconds per request <= 1.3x the static's.
#
# Needs the scenario keys `data:` and `${source.column}` references (README
# "Data"): it fails at `validate` on a build without them.
#
#   bench/template_efficiency.sh        (ROUNDS=3 DURATION=10 ROWS=100000 by default)
source "$(dirname "$0")/lib.sh"
need nginx taskset curl python3 /usr/bin/time
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
ROWS=${ROWS:-100000}
start_nginx
python3 - "$WORK/users.csv" "$ROWS" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("id,email\n")
    for i in range(int(sys.argv[2])):
        f.write(f"{i},user{i}@example.com\n")
PY
cat > "$WORK/static.yaml" <<YAML
name: template-efficiency-static
target: http://127.0.0.1:$NGINX_PORT
requests: [{name: item, path: /item/12345, headers: {X-User: user12345@example.com}}]
stages: [{duration: ${DURATION}s, vus: 50}]
YAML
cat > "$WORK/templated.yaml" <<YAML
name: template-efficiency-templated
target: http://127.0.0.1:$NGINX_PORT
data:
  users: {file: users.csv, mode: sequential, on_end: recycle}
requests: [{name: item, path: "/item/\${users.id}", headers: {X-User: "\${users.email}"}}]
stages: [{duration: ${DURATION}s, vus: 50}]
YAML
"$BARRAGE" validate "$WORK/templated.yaml" > /dev/null

# run NAME FILE: prints requests and CPU us per request; sets RUN_US.
run() {
  local before after n u s errors
  before=$(nginx_requests)
  /usr/bin/time -f '%U %S' -o "$WORK/$1.time" \
    taskset -c 0 "$BARRAGE" run "$2" --local 1 --workers 1 -q \
      --out "json=$WORK/$1.json" > /dev/null
  after=$(nginx_requests)
  n=$(( after - before ))
  read -r u s < "$WORK/$1.time"
  RUN_US=$(python3 -c "print(($u + $s) * 1e6 / $n)")
  errors=$(python3 -c "import json; print(json.load(open('$WORK/$1.json'))['totals']['errors'])")
  printf '%-6s %-10s %12d %10.0f %14.2f   errors %s\n' "$round" "$1" "$n" \
    "$(python3 -c "print($n / $DURATION)")" "$RUN_US" "$errors"
}

printf '%-6s %-10s %12s %10s %14s\n' round request requests req/s "cpu us/req"
for round in $(seq "$ROUNDS"); do
  run static "$WORK/static.yaml"
  static_us=$RUN_US
  run templated "$WORK/templated.yaml"
  templated_us=$RUN_US
  echo "round $round: templated / static CPU per request = $(ratio "$templated_us" "$static_us") (goal <= 1.3)"
done
