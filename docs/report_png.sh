#!/usr/bin/env bash
# Regenerates docs/report.png (README "Reports") from a real run: a
# two-stage scenario, ~24 s, against `barrage target` answering 3% of
# requests with 500s, on two local agents; its HTML report screenshotted by
# headless Chromium 1400 px wide (no network: every host resolves to
# nothing and the proxy is dead).
#
# Usage: docs/report_png.sh BUILD_DIR   (then commit docs/report.png)
source "$(dirname "$0")/../tests/integration/lib.sh" "$1"
command -v chromium > /dev/null || { echo "no chromium" >&2; exit 1; }
T=$(port)
"$BARRAGE" target --listen "127.0.0.1:$T" --error-rate 0.03 > "$WORK/target.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "127.0.0.1:$T/" && break; sleep 0.05; done
cat > "$WORK/checkout.yaml" <<YAML
name: checkout
target: http://127.0.0.1:$T
requests:
  - {name: home, path: /, weight: 3}
  - {name: search, path: /search}
stages: [{duration: 12s, rate: 60/s}, {duration: 12s, rate: 180/s}]
thresholds:
  - {metric: p99, below: 250ms}
  - {metric: error_rate, below: 5%}
YAML
set +e
timeout 90 "$BARRAGE" run "$WORK/checkout.yaml" --local 2 -q --out "html=$WORK/report.html" \
  > "$WORK/run.log" 2>&1
code=$?
set -e
[ "$code" = 0 ] || [ "$code" = 99 ] || fail "barrage run: exit $code"
timeout 60 chromium --headless=new --no-sandbox --disable-gpu --no-first-run \
  --disable-extensions --disable-background-networking --disable-sync \
  --disable-component-update --proxy-server=127.0.0.1:9 \
  --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$WORK/profile" \
  --screenshot="$ROOT/docs/report.png" --window-size=1400,${REPORT_PNG_HEIGHT:-2000} \
  --hide-scrollbars "file://$WORK/report.html" > /dev/null 2> "$WORK/chromium.log"
echo "docs/report.png: $(stat -c %s "$ROOT/docs/report.png") bytes"
