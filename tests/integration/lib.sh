# Shared by the integration scripts: `source "$(dirname "$0")/lib.sh" BUILD_DIR`.
# Sets BUILD, ROOT, BARRAGE and WORK (a temporary directory); processes whose
# pids are added to PIDS are killed, and WORK removed, on exit.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BARRAGE=$BUILD/bin/barrage
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
# fail MESSAGE: print it and the tail of every log in WORK, then exit 1.
fail() {
  echo "FAIL: $*" >&2
  for f in "$WORK"/*.log; do [ -f "$f" ] && { echo "== $f" >&2; tail -n 5 "$f" >&2; }; done
  exit 1
}
# A loopback TCP port that was free a moment ago.
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# json FILE EXPR: a value from a JSON file (a python3 expression on `r`).
json() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"; }
# start_target PORT ARGS...: `barrage target` on 127.0.0.1:PORT (its log
# WORK/target.log), back once it listens.
start_target() {
  local port=$1
  shift
  "$BARRAGE" target --listen "127.0.0.1:$port" "$@" > "$WORK/target.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do grep -q listening "$WORK/target.log" && break; sleep 0.05; done
  grep -q listening "$WORK/target.log" || fail "the target did not start"
}
# start_prometheus TARGET_PORT PORT: Debian's Prometheus on 127.0.0.1:PORT
# scraping `barrage target`'s /__barrage/metrics on TARGET_PORT every second;
# sets PROM (its pid) and returns once it sees the target up.
start_prometheus() {
  cat > "$WORK/prometheus.yml" <<YAML
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: target
    metrics_path: /__barrage/metrics
    static_configs: [{targets: ['127.0.0.1:$1']}]
YAML
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
    --web.listen-address="127.0.0.1:$2" --log.level=warn > "$WORK/prometheus.log" 2>&1 &
  PROM=$!
  PIDS+=($PROM)
  local up=""
  for _ in $(seq 100); do
    up=$(curl -s "127.0.0.1:$2/api/v1/query" --data-urlencode 'query=sum(up)' |
      python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' 2>/dev/null || true)
    [ "$up" = 1 ] && return 0
    sleep 0.2
  done
  fail "Prometheus does not see the target"
}
