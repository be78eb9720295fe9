#!/usr/bin/env bash
# Memory with 1,000 open connections: 1,000 VUs each sending a request per
# second (think 1 s) for 20 s against nginx; peak RSS of Barrage against wrk
# holding 1,000 connections for the same time.
# Goal: Barrage RSS <= 100 MB.
#
#   bench/memory_connections.sh
source "$(dirname "$0")/lib.sh"
need wrk nginx taskset curl python3 /usr/bin/time
ulimit -n 8192
start_nginx
cat > "$WORK/m.yaml" <<YAML
name: memory
target: http://127.0.0.1:$NGINX_PORT
requests: [{name: root, path: /}]
stages: [{duration: 20s, vus: 1000, think: 1s}]
YAML
/usr/bin/time -f '%M' -o "$WORK/b.rss" taskset -c 0 "$BARRAGE" run "$WORK/m.yaml" \
  --local 1 --workers 1 -q --out "json=$WORK/m.json" > /dev/null
/usr/bin/time -f '%M' -o "$WORK/w.rss" taskset -c 0 wrk -t1 -c1000 -d20s \
  "http://127.0.0.1:$NGINX_PORT/" > /dev/null
b=$(( $(tail -1 "$WORK/b.rss") / 1024 ))
w=$(( $(tail -1 "$WORK/w.rss") / 1024 ))
conns=$(json "$WORK/m.json" "r['agents'][0]['connections_opened']")
n=$(json "$WORK/m.json" "r['totals']['requests']")
echo "barrage: peak RSS $b MB, $conns connections opened, $n requests (goal <= 100 MB: $( [ "$b" -le 100 ] && echo ok || echo MISSED))"
echo "wrk -c1000: peak RSS $w MB"
