#!/usr/bin/env bash
# The capacity report (`barrage capacity --out html=F`, capacity_html.h) in
# headless Chromium with no network (chromium.sh), rendered from a fixture
# of a real search, tests/testdata/capacity_report.json, made by
#   barrage target --listen 127.0.0.1:18656 --concurrency 4 --delay 10ms &
#   prometheus (1 s scrape of the target's /__barrage/metrics) &
#   barrage capacity checkout.yaml --local 1 --slo 'p95<50ms,error_rate<1%' \
#     --start 150 --max 1200 --step 3s --warmup 1s --deadline 3m \
#     --growth 8%/month --peak 100/s --baseline 30/s --times 10 --out json=F
# (checkout.yaml: one GET /, and monitor: cpu =
# sum(rate(barrage_target_busy_seconds_total[3s])) with saturation 3.5,
# in_service = sum(barrage_target_in_service) with saturation 4):
#   - with its script: the DOM holds the answer, every chart with the points
#     the JSON implies, the SLO lines at their limits, the N* marker and the
#     step table's raw numbers (capacity_html_check.py); a probe the test
#     adds measures every chart (non-zero size) and collects the page's
#     errors and console.error calls (none);
#   - without its script: the same DOM and sizes, and the same screenshot;
#   - no request but file:// either way.
# The screenshot is kept as BUILD/test-artifacts/capacity.png.
#
# Usage: capacity_html_test.sh BUILD_DIR
source "$(dirname "$0")/lib.sh" "$1"
RENDER=$BUILD/tests/html_report_render
CHECK="python3 $ROOT/tests/integration/capacity_html_check.py"
FIXTURE=$ROOT/tests/testdata/capacity_report.json
command -v chromium > /dev/null || { echo "skip: no chromium"; exit 77; }
source "$ROOT/tests/integration/chromium.sh"
ARTIFACTS=$BUILD/test-artifacts
mkdir -p "$ARTIFACTS"

cp "$FIXTURE" "$WORK/cap.json"
"$RENDER" --capacity "$WORK/cap.json" "$WORK/cap.html" || fail "rendering the capacity report"
echo "ok: rendered $(stat -c %s "$WORK/cap.html") bytes"

# The probe (the test's, first in <head>): records errors and console.error
# from the start, and after load writes each chart's rendered size.
PROBE='<script>(function(){var errors=[];
window.addEventListener("error",function(e){errors.push(String(e.message))});
var ce=console.error;console.error=function(){errors.push([].join.call(arguments," "));ce.apply(console,arguments)};
window.addEventListener("load",function(){var out={errors:errors,charts:{}};
document.querySelectorAll("svg.chart").forEach(function(s){var b=s.getBoundingClientRect();out.charts[s.id]=[b.width,b.height]});
var pre=document.createElement("pre");pre.id="probe";pre.textContent=JSON.stringify(out);document.body.appendChild(pre)})})();</script>'
python3 - "$WORK/cap.html" "$WORK" "$PROBE" <<'PY'
import re, sys
page, work, probe = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
noscript = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
assert "<script" not in noscript
open(f"{work}/cap-noscript.html", "w").write(noscript)
for name, text in (("cap-probe", page), ("cap-noscript-probe", noscript)):
    open(f"{work}/{name}.html", "w").write(text.replace("<head>", "<head>" + probe, 1))
PY

for page in cap-probe cap-noscript-probe; do
  chromium_run "$page" "file://$WORK/$page.html" --dump-dom > "$WORK/$page.dom.html"
  $CHECK "$WORK/$page.dom.html" "$WORK/cap.json" --probe || fail "$page: the DOM"
done
grep -q 'class="tip"' "$WORK/cap-probe.dom.html" || fail "the hover script did not run"
! grep -q 'class="tip"' "$WORK/cap-noscript-probe.dom.html" || fail "the script was not removed"
for page in cap cap-noscript; do
  chromium_run "$page-shot" "file://$WORK/$page.html" --screenshot="$WORK/$page.png" \
    --window-size=1400,2800 --hide-scrollbars > /dev/null
  [ -s "$WORK/$page.png" ] || fail "$page: no screenshot"
done
cmp -s "$WORK/cap.png" "$WORK/cap-noscript.png" || fail "the page looks different without scripts"
echo "ok: the charts and tables are in the DOM and sized with scripts on and off, no errors"
cp "$WORK/cap.png" "$ARTIFACTS/capacity.png"
cp "$WORK/cap.html" "$ARTIFACTS/capacity.html"
echo "ok: screenshot $ARTIFACTS/capacity.png"
