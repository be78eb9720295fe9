# Shared helpers for the system benchmarks (sourced, not run).
# Everything listens on 127.0.0.1 only, every load is bounded in time.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BARRAGE=${BARRAGE:-$ROOT/build/bin/barrage}
WORK=$(mktemp -d)
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
  done
  [ -x "$BARRAGE" ] || { echo "no barrage binary at $BARRAGE (build first)" >&2; exit 1; }
}

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

wait_port() {  # wait_port PORT
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "nothing listening on port $1" >&2; return 1
}

# start_nginx: one worker pinned to CPU 1, access_log off, return 200, on
# HTTP/1.1 (NGINX_PORT) and h2c by prior knowledge (NGINX_H2C_PORT), with
# $NGINX_WORKER_CONNECTIONS connections (default 4096) and
# $NGINX_RLIMIT_NOFILE descriptors (default: those connections + 64).
# Sets NGINX_PORT, NGINX_H2C_PORT, NGINX_PID (master) and NGINX_WORKER_PID.
# With NGINX_TLS=1 the same server also listens for https (HTTP/1.1) on
# NGINX_TLS_PORT, with a certificate for 127.0.0.1 signed by $WORK/ca.pem,
# and for HTTP/2 over TLS (ALPN h2) on NGINX_TLS_H2_PORT.
start_nginx() {
  NGINX_PORT=$(free_port)
  NGINX_H2C_PORT=$(free_port)
  mkdir -p "$WORK/nginx/logs"
  local tls_conf=""
  if [ "${NGINX_TLS:-0}" = 1 ]; then
    NGINX_TLS_PORT=$(free_port)
    NGINX_TLS_H2_PORT=$(free_port)
    make_test_certs
    tls_conf="listen 127.0.0.1:$NGINX_TLS_PORT ssl;
    listen 127.0.0.1:$NGINX_TLS_H2_PORT ssl http2;
    ssl_certificate $WORK/server.pem;
    ssl_certificate_key $WORK/server.key;
    ssl_session_cache shared:bench:10m;"
  fi
  cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
worker_cpu_affinity 10;
worker_rlimit_nofile ${NGINX_RLIMIT_NOFILE:-$(( ${NGINX_WORKER_CONNECTIONS:-4096} + 64 ))};
error_log $WORK/nginx/logs/error.log warn;
pid $WORK/nginx/nginx.pid;
$( [ "$(id -u)" = 0 ] && echo "user root;" )
events { worker_connections ${NGINX_WORKER_CONNECTIONS:-4096}; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    listen 127.0.0.1:$NGINX_H2C_PORT http2;
    http2_max_concurrent_streams 1000;
    $tls_conf
    location / { return 200 "ok\n"; }
    location = /stub { stub_status; }
  }
}
CONF
  taskset -c 1 nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  wait_port "$NGINX_PORT"
  NGINX_WORKER_PID=$(pgrep -P "$NGINX_PID" | head -1)
}

# make_test_certs: $WORK/ca.pem and, signed by it, $WORK/server.pem/.key
# for IP 127.0.0.1 (RSA 2048, as most targets).
make_test_certs() {
  (cd "$WORK" &&
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench-ca \
      -keyout ca.key -out ca.pem &&
    openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr &&
    printf 'subjectAltName=IP:127.0.0.1\n' > server.ext &&
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
      -extfile server.ext -out server.pem) > "$WORK/certs.log" 2>&1
}

# nginx's own request counter (stub_status), minus the stub request itself.
nginx_requests() {
  curl -s "http://127.0.0.1:$NGINX_PORT/stub" | awk 'NR==3 {print $3 - 1}'
}

# start_target ARGS...: `barrage target` pinned to CPU 1. Sets TARGET_PORT.
start_target() {
  TARGET_PORT=$(free_port)
  taskset -c 1 "$BARRAGE" target --listen "127.0.0.1:$TARGET_PORT" "$@" \
    > "$WORK/target.out" 2>&1 &
  PIDS+=("$!")
  wait_port "$TARGET_PORT"
}

target_requests() {
  curl -s "http://127.0.0.1:$TARGET_PORT/__barrage/metrics" |
    awk '/^barrage_target_requests_total/ {n += $2} END {print n + 0}'
}

# json FILE EXPR: a value from a result JSON (python3 expression on `r`).
json() {
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"
}

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
