#!/usr/bin/env bash
# The HTML report in headless Chromium with no network at all (inside
# `unshare -rn`, else with every host resolved to nothing and a dead proxy;
# either way the net log must show no request but file://):
#   - a real `barrage run --local 2` against `barrage target` (two stages,
#     2% errors) and the report fixture (two stages, a 503 burst, an agent
#     lost; with the real run as its baseline) are rendered, loaded, and their
#     DOM checked against the JSON (html_report_check.py): verdict, every
#     chart with its points, stage bands and event markers, the tables' raw
#     numbers; the real run's charts have a point per interval of its series
#     and its achieved rate line is the series' achieved_rps;
#   - the same with JavaScript disabled (the charts are static SVG);
#   - a screenshot of the fixture's report is kept as
#     BUILD/test-artifacts/report.png.
#
# Usage: html_report_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"
RENDER=$BUILD/tests/html_report_render
CHECK="python3 $ROOT/tests/integration/html_report_check.py"
command -v chromium > /dev/null || { echo "skip: no chromium"; exit 77; }
ARTIFACTS=$BUILD/test-artifacts
mkdir -p "$ARTIFACTS"

source "$ROOT/tests/integration/chromium.sh"

# A real run: two stages, 2% of responses 500s.
T=$(port)
"$BARRAGE" target --listen "127.0.0.1:$T" --error-rate 0.02 > "$WORK/target.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "127.0.0.1:$T/" && break; sleep 0.05; done
cat > "$WORK/s.yaml" <<YAML
name: html-report
target: http://127.0.0.1:$T
requests:
  - {name: home, path: /, weight: 3}
  - {name: search.v2, path: /search}
stages: [{duration: 2s, rate: 40/s}, {duration: 2s, rate: 120/s}]
thresholds:
  - {metric: p99, below: 1s}
  - {metric: error_rate, below: 0.1%}
YAML
set +e
timeout 60 "$BARRAGE" run "$WORK/s.yaml" --local 2 -q --out "json=$WORK/real.json" \
  > "$WORK/run.log" 2>&1
code=$?
set -e
[ "$code" = 0 ] || [ "$code" = 99 ] || fail "barrage run: exit $code"
[ -s "$WORK/real.json" ] || fail "no result written"
"$RENDER" "$WORK/real.json" "$WORK/real.html" || fail "rendering the real run"
"$RENDER" --fixture "$WORK/fixture.json" 240 6 || fail "writing the fixture"
"$RENDER" "$WORK/fixture.json" "$WORK/fixture.html" "$WORK/real.json" || fail "rendering the fixture"
echo "ok: rendered: real $(stat -c %s "$WORK/real.html") bytes, fixture $(stat -c %s "$WORK/fixture.html") bytes"

# Headless Chromium neither dumps nor screenshots a page with scripts
# disabled (--blink-settings=scriptEnabled=false gives nothing), so "scripts
# off" is the page without its <script>: its DOM must hold everything, and
# it must look exactly the same (identical screenshots).
for name in real fixture; do
  check_args=(--series)  # the real run: its charts hold its series
  [ "$name" = fixture ] && check_args=(--baseline)
  python3 -c 'import re, sys; s = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(re.sub(r"<script>.*?</script>", "", s, flags=re.S))' \
    "$WORK/$name.html" "$WORK/$name-noscript.html"
  ! grep -q '<script' "$WORK/$name-noscript.html" || fail "$name: the script was not removed"
  chromium_run "$name" "file://$WORK/$name.html" --dump-dom > "$WORK/$name.dom.html"
  $CHECK "$WORK/$name.dom.html" "$WORK/$name.json" "${check_args[@]}" || fail "$name: the DOM"
  grep -q 'class="tip"' "$WORK/$name.dom.html" || fail "$name: the hover script did not run"
  chromium_run "$name-noscript" "file://$WORK/$name-noscript.html" --dump-dom \
    > "$WORK/$name.noscript.dom.html"
  $CHECK "$WORK/$name.noscript.dom.html" "$WORK/$name.json" "${check_args[@]}" ||
    fail "$name: the DOM without scripts"
  for page in "$name" "$name-noscript"; do
    chromium_run "$page-shot" "file://$WORK/$page.html" --screenshot="$WORK/$page.png" \
      --window-size=1400,3000 --hide-scrollbars > /dev/null
  done
  cmp -s "$WORK/$name.png" "$WORK/$name-noscript.png" || fail "$name: looks different without scripts"
done
echo "ok: the charts and tables are in the DOM with scripts on and off, and look the same"

rm -f "$ARTIFACTS/report.png"
chromium_run screenshot "file://$WORK/fixture.html" --screenshot="$ARTIFACTS/report.png" \
  --window-size=1400,3000 --hide-scrollbars > /dev/null
[ -s "$ARTIFACTS/report.png" ] || fail "no screenshot"
cp "$WORK/fixture.html" "$ARTIFACTS/report.html"
echo "ok: screenshot $ARTIFACTS/report.png"
